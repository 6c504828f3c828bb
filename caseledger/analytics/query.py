"""Indicators, funnels and trends computed on the cube (never on the warehouse).

- :func:`compute` / :func:`tables`: an indicator (or all of them) by unit level × period for a
  selection (crime groups, procedures, a region, a window of months);
- :func:`funnel_for`: every unit of a level against exact (or over-dispersion adjusted) control
  limits around the overall rate — a category per unit, never a rank;
- :func:`trend`: one unit's monthly series with a level-shift test and two-sided CUSUM
  monitoring against the overall rate of the same month.

Units always come back ordered by their code, whatever their values.

Must never: sort, rank or select units by an indicator value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from caseledger.analytics import funnel as fn
from caseledger.analytics import indicators as ind
from caseledger.analytics import marginals, monitor, periods, rollup
from caseledger.analytics.cube import ALL_UNITS, NATIONAL, Cube
from caseledger.analytics.indicators.base import AGENCY_COLUMNS, Indicator
from caseledger.case.catalogue import CRIME_GROUPS
from caseledger.case.enums import Procedure
from caseledger.errors import InvalidInput, UnknownCode

REGION_LEVELS = ("province", "prefecture", "county")
LEVELS: tuple[str, ...] = (
    NATIONAL,
    *REGION_LEVELS,
    "agency",
    *AGENCY_COLUMNS,
    "crime_group",
    "procedure",
)
NOT_TRIED = "not_tried"  # the procedure of defendants never tried (procedure is null)


def check_level(level: str) -> str:
    if level not in LEVELS:
        raise UnknownCode(f"unknown unit level {level!r}", field="level", allowed=",".join(LEVELS))
    return level


@dataclass(frozen=True)
class Selection:
    """Which defendants count: crime groups, procedures, a region and a window of months
    (empty means all)."""

    crime_groups: tuple[str, ...] = ()
    procedures: tuple[str, ...] = ()
    region: str | None = None
    window: periods.Window = field(default_factory=periods.Window)

    @classmethod
    def of(
        cls,
        *,
        crime_group: str | Sequence[str] | None = None,
        procedure: str | Sequence[str] | None = None,
        region: str | None = None,
        start: str | None = None,
        end: str | None = None,
        period: str | None = None,
    ) -> Selection:
        """Validate user input: unknown codes are one-line errors. ``period`` is a label
        (``2024``, ``2024-Q2``, ``2024-05``); ``start``/``end`` bound a window of labels."""
        groups = _codes(crime_group, CRIME_GROUPS, "crime_group")
        procs = _codes(procedure, (*(p.value for p in Procedure), NOT_TRIED), "procedure")
        if period is not None and (start is not None or end is not None):
            raise InvalidInput("give a period or a start/end window, not both", field="period")
        window = periods.parse(period) if period else periods.between(start, end)
        if region is not None and not (isinstance(region, str) and region.strip()):
            raise InvalidInput("a region is a province, prefecture or county code", field="region")
        return cls(groups, procs, region.strip() if region else None, window)

    def describe(self) -> str:
        parts = [
            "crime groups " + ",".join(self.crime_groups) if self.crime_groups else "",
            "procedures " + ",".join(self.procedures) if self.procedures else "",
            f"region {self.region}" if self.region else "",
            self.window.describe(),
        ]
        return "; ".join(p for p in parts if p)


def _codes(value: str | Sequence[str] | None, allowed: Iterable[str], name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    items = (value,) if isinstance(value, str) else tuple(value)
    allowed = tuple(allowed)
    for item in items:
        if item not in allowed:
            raise UnknownCode(f"unknown {name} {item!r}", field=name, allowed=",".join(allowed))
    return tuple(sorted(set(items)))


@dataclass(frozen=True)
class IndicatorTable:
    """An indicator by unit × period. ``rows`` columns: ``unit``, ``period``, then
    ``numerator``, ``denominator``, ``value`` (rates) or ``defendants``, ``q50``, ``q90``
    (quantiles of days) — ordered by unit code, then period."""

    indicator: str
    title: str
    kind: str
    level: str
    period: str
    selection: str
    dated_by: str
    unit_of_count: str
    rows: pl.DataFrame
    without_unit: int = 0  # defendants left out because the level's unit is unknown for them
    no_data: str | None = None


def _unit_column(level: str, indicator: Indicator) -> str:
    if level == "agency":
        return indicator.agency
    return level


def _aggregate(
    cube: Cube,
    family: str,
    sel: Selection,
    unit: str,
    granularity: str,
    names: list[str],
    value: bool = False,
) -> pl.DataFrame:
    """Sums of ``names`` by (unit, period[, value]) for ``sel``, from the cube's full frame of
    ``family`` (:mod:`.rollup`) or, on a cube of marginals, from the smallest marginal that
    holds the keys needed (:mod:`.marginals`)."""
    if family in cube.counts:
        return rollup.aggregate(
            cube, family, sel, unit, granularity, names, value, not_tried=NOT_TRIED
        )
    asked = f"{unit} by {granularity}" + (f" for {sel.describe()}" if sel != Selection() else "")
    return marginals.aggregate(
        cube, family, sel, unit, granularity, names, value, not_tried=NOT_TRIED, asked=asked
    )


def period_label_expr(granularity: str) -> pl.Expr:
    """The label of ``period`` (a month number, -1 for "all") as a Polars expression."""
    m = pl.col("period")
    year = (m // 12).cast(pl.String).str.zfill(4)
    if granularity == "month":
        return pl.format("{}-{}", year, (m % 12 + 1).cast(pl.String).str.zfill(2))
    if granularity == "quarter":
        return pl.format("{}-Q{}", year, (m % 12 // 3 + 1).cast(pl.String))
    if granularity == "year":
        return year
    return pl.lit(periods.ALL)


def _labels(rows: pl.DataFrame, granularity: str) -> pl.DataFrame:
    return rows.with_columns(period=period_label_expr(granularity))


def _no_data(
    indicator: Indicator,
    level: str,
    granularity: str,
    sel: Selection,
    why: str,
    kind_cols: dict[str, Any],
) -> IndicatorTable:
    schema = {"unit": pl.String, "period": pl.String, **kind_cols}
    return IndicatorTable(
        indicator.id,
        indicator.title,
        indicator.kind,
        level,
        granularity,
        sel.describe(),
        ind.FAMILIES[indicator.family].dated_by if indicator.family in ind.FAMILIES else "",
        indicator.unit,
        pl.DataFrame(schema=schema),
        0,
        why,
    )


_RATE_COLS = {"numerator": pl.Int64, "denominator": pl.Int64, "value": pl.Float64}


def _quantile_cols(indicator: Indicator) -> dict[str, Any]:
    return {"defendants": pl.Int64, **{f"q{q}": pl.Int32 for q in indicator.quantiles}}


def compute(
    cube: Cube,
    indicator: str,
    *,
    level: str = NATIONAL,
    period: str = "all",
    selection: Selection | None = None,
) -> IndicatorTable:
    """``indicator`` by ``level`` unit and ``period`` granularity (month, quarter, year, all)."""
    return tables(cube, [indicator], level=level, period=period, selection=selection)[0]


def tables(
    cube: Cube,
    indicator_ids: Sequence[str] | None = None,
    *,
    level: str = NATIONAL,
    period: str = "all",
    selection: Selection | None = None,
) -> list[IndicatorTable]:
    """Several indicators at once (default: all the cube can feed); one aggregation per family."""
    check_level(level)
    granularity = periods.check_granularity(period)
    sel = selection or Selection()
    wanted = [ind.get(i) for i in (indicator_ids or [i.id for i in ind.all_indicators()])]
    by_key: dict[tuple[str, str], list[Indicator]] = {}
    results: dict[str, IndicatorTable] = {}
    for indicator in wanted:
        cols = _RATE_COLS if indicator.kind == "rate" else _quantile_cols(indicator)
        if not cube.has(indicator.denominator.name) or (
            indicator.numerator and not cube.has(indicator.numerator.name)
        ):
            results[indicator.id] = _no_data(
                indicator,
                level,
                granularity,
                sel,
                f"no data: this cube (warehouse schema version {cube.schema_version}) has no"
                f" {indicator.id}; it needs schema version {indicator.min_schema}",
                cols,
            )
            continue
        unit = _unit_column(level, indicator)
        by_key.setdefault((indicator.family, unit), []).append(indicator)
    for (_, unit), group in by_key.items():
        family = cube.measure_family[group[0].denominator.name]
        rates = [i for i in group if i.kind == "rate"]
        if rates:
            results |= _rate_tables(cube, family, rates, level, unit, granularity, sel)
        for indicator in (i for i in group if i.kind == "quantiles"):
            results[indicator.id] = _quantile_table(
                cube, family, indicator, level, unit, granularity, sel
            )
    return [results[i.id] for i in wanted]


def _rate_tables(
    cube: Cube,
    family: str,
    group: list[Indicator],
    level: str,
    unit: str,
    granularity: str,
    sel: Selection,
) -> dict[str, IndicatorTable]:
    names = sorted({m.name for i in group for m in i.measures})
    agg = _aggregate(cube, family, sel, unit, granularity, names)
    unknown = agg.filter(pl.col("unit").is_null())
    agg = _labels(agg.filter(pl.col("unit").is_not_null()).sort("unit", "period"), granularity)
    out: dict[str, IndicatorTable] = {}
    for indicator in group:
        assert indicator.numerator is not None
        num, den = indicator.numerator.name, indicator.denominator.name
        rows = agg.select(
            "unit",
            "period",
            pl.col(num).alias("numerator"),
            pl.col(den).alias("denominator"),
            (pl.col(num) / pl.col(den)).alias("value"),
        ).filter(pl.col("denominator") > 0)
        missing = int(unknown[den].sum() or 0)
        out[indicator.id] = IndicatorTable(
            indicator.id,
            indicator.title,
            indicator.kind,
            level,
            granularity,
            sel.describe(),
            ind.FAMILIES[indicator.family].dated_by,
            indicator.unit,
            rows,
            missing,
            None if rows.height else f"no data: no defendants counted for {sel.describe()}",
        )
    return out


def _quantile_table(
    cube: Cube,
    family: str,
    indicator: Indicator,
    level: str,
    unit: str,
    granularity: str,
    sel: Selection,
) -> IndicatorTable:
    den = indicator.denominator.name
    hist = _aggregate(cube, family, sel, unit, granularity, [den], value=True)
    hist = hist.rename({den: "n"}).filter(pl.col("n") > 0)
    missing = int(hist.filter(pl.col("unit").is_null())["n"].sum() or 0)
    total = pl.col("n").sum()
    # rows arrive in ascending value order and group_by keeps that order within each group
    cum = pl.col("n").cum_sum()
    values = pl.col("value")
    exprs = [total.alias("defendants")]
    for q in indicator.quantiles:
        # nearest rank: the smallest value whose cumulative count reaches ceil(q·n/100)
        rank = (q * total + 99) // 100
        exprs.append(values.filter(cum >= rank).first().cast(pl.Int32).alias(f"q{q}"))
    rows = hist.filter(pl.col("unit").is_not_null()).group_by("unit", "period").agg(exprs)
    rows = _labels(rows.sort("unit", "period"), granularity)
    return IndicatorTable(
        indicator.id,
        indicator.title,
        indicator.kind,
        level,
        granularity,
        sel.describe(),
        ind.FAMILIES[indicator.family].dated_by,
        indicator.unit,
        rows,
        missing,
        None if rows.height else f"no data: no defendants counted for {sel.describe()}",
    )


# ---- funnels -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelResult:
    """One rate indicator at one unit level: the overall rate, the dispersion, and each unit's
    observed value, expected ranges and category, in unit-code order. ``outside`` lists the
    codes in each category other than "within" (code order)."""

    indicator: str
    title: str
    level: str
    period: str
    selection: str
    method: str
    target: float | None
    phi: float | None
    tau2: float | None
    min_denominator: int
    units: list[fn.UnitResult]
    outside: dict[str, list[str]]
    expected_by_chance: dict[str, float]
    without_unit: int = 0
    no_data: str | None = None


def _rate_indicator(indicator_id: str, what: str) -> Indicator:
    indicator = ind.get(indicator_id)
    if indicator.kind != "rate":
        raise InvalidInput(
            f"{what} needs a rate indicator; {indicator_id!r} gives quantiles of days",
            field="indicator",
        )
    return indicator


def funnel_for(
    cube: Cube,
    indicator: str,
    *,
    level: str,
    period: str | None = None,
    selection: Selection | None = None,
    method: str = "exact",
    min_denominator: int | None = None,
) -> FunnelResult:
    """Every unit of ``level`` for ``indicator`` over ``period`` (a label such as ``2024`` or
    ``2024-Q2``; default: the whole selection), with control limits by ``method`` (exact,
    multiplicative, additive)."""
    spec = _rate_indicator(indicator, "a funnel plot")
    check_level(level)
    if level == NATIONAL:
        raise InvalidInput("a funnel plot compares units: choose a unit level", field="level")
    if method not in ("exact", "multiplicative", "additive"):
        raise InvalidInput(
            f"unknown funnel method {method!r}",
            field="method",
            allowed="exact,multiplicative,additive",
        )
    sel = selection or Selection()
    if period is not None:
        window = periods.parse(period)
        lo = max(x for x in (window.first, sel.window.first) if x is not None)
        hi_vals = [x for x in (window.last, sel.window.last) if x is not None]
        sel = Selection(
            sel.crime_groups, sel.procedures, sel.region, periods.Window(lo, min(hi_vals))
        )
    table = compute(cube, indicator, level=level, period="all", selection=sel)
    minimum = spec.min_denominator if min_denominator is None else min_denominator
    return funnel_from_table(table, period or sel.window.describe(), method, minimum)


def funnel_from_table(
    table: IndicatorTable, label: str, method: str, min_denominator: int
) -> FunnelResult:
    """The funnel of a rate indicator's table of units (period "all"): each unit's category
    and expected ranges around the overall rate, the units outside the limits by code."""
    spec = ind.get(table.indicator)
    common = (spec.id, spec.title, table.level, label, table.selection, method)
    if table.no_data:
        return FunnelResult(
            *common, None, None, None, min_denominator, [], {}, {}, table.without_unit,
            table.no_data,
        )  # fmt: skip
    rows = table.rows
    result = fn.funnel(
        rows["unit"].to_list(),
        rows["numerator"].to_list(),
        rows["denominator"].to_list(),
        method=method,  # type: ignore[arg-type]
        min_denominator=min_denominator,
    )
    outside = {c.value: result.outside(c) for c in fn.Category if c is not fn.Category.within}
    return FunnelResult(
        *common,
        result.target,
        result.phi,
        result.tau2,
        min_denominator,
        result.units,
        outside,
        result.expected_by_chance(),
        table.without_unit,
        None,
    )


# ---- trends --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendResult:
    """One unit's monthly series of a rate indicator, with the overall rate of each month
    (``expected``), the most likely level shift and two-sided CUSUM monitoring against
    ``expected`` (odds multiplied by ``odds_ratio`` up, divided by it down)."""

    indicator: str
    title: str
    level: str
    unit: str
    selection: str
    months: list[str]
    numerators: list[int]
    denominators: list[int]
    rates: list[float | None]
    expected: list[float | None]
    level_shift: monitor.LevelShift | None
    cusum_up: monitor.Cusum | None
    cusum_down: monitor.Cusum | None
    odds_ratio: float
    h: float | None
    false_alarm: float
    no_data: str | None = None


def calibrate_h(
    denominators: Sequence[int],
    expected: Sequence[float],
    *,
    ra: float,
    false_alarm: float = 0.05,
    simulations: int = 2000,
    seed: int = 20261124,
) -> float:
    """The CUSUM threshold at which a unit that follows ``expected`` exactly signals anywhere
    in this window with probability ``false_alarm`` (simulated, fixed seed)."""
    return monitor.cusum_thresholds(
        denominators,
        expected,
        (ra,),
        false_alarm=false_alarm,
        simulations=simulations,
        seed=seed,
    )[0]


def trend(
    cube: Cube,
    indicator: str,
    *,
    level: str = NATIONAL,
    unit: str = ALL_UNITS,
    selection: Selection | None = None,
    odds_ratio: float = 2.0,
    h: float | None = None,
    false_alarm: float = 0.05,
) -> TrendResult:
    """The monthly series of ``unit`` at ``level`` for a rate ``indicator``, tested for a level
    shift and monitored by CUSUM against the overall monthly rate of the same selection."""
    spec = _rate_indicator(indicator, "a trend test")
    check_level(level)
    if not odds_ratio > 1:
        raise InvalidInput("the CUSUM odds ratio must be above 1", field="odds_ratio")
    if not 0 < false_alarm < 1:
        raise InvalidInput("the false-alarm probability lies between 0 and 1", field="false_alarm")
    if level == NATIONAL and unit != ALL_UNITS:
        raise InvalidInput(f"the national level has one unit, {ALL_UNITS!r}", field="unit")
    sel = selection or Selection()
    overall = compute(cube, indicator, level=NATIONAL, period="month", selection=sel)
    mine = compute(cube, indicator, level=level, period="month", selection=sel)
    empty = TrendResult(
        spec.id,
        spec.title,
        level,
        unit,
        sel.describe(),
        [],
        [],
        [],
        [],
        [],
        None,
        None,
        None,
        odds_ratio,
        None,
        false_alarm,
        None,
    )
    if overall.no_data:
        return _replace_no_data(empty, overall.no_data)
    if level != NATIONAL:
        known = set(compute(cube, indicator, level=level, selection=Selection()).rows["unit"])
        if unit not in known:
            raise UnknownCode(f"unit {unit!r} not found at level {level}", field="unit")
    rows = mine.rows.filter(pl.col("unit") == unit)
    if rows.height == 0:
        return _replace_no_data(empty, f"no data: {unit} has no defendants in {sel.describe()}")
    first = periods.parse(overall.rows["period"][0]).first
    last = periods.parse(overall.rows["period"][-1]).first
    assert first is not None and last is not None
    labels = [periods.month_label(m) for m in range(first, last + 1)]
    got = {r["period"]: (r["numerator"], r["denominator"]) for r in rows.iter_rows(named=True)}
    tot = {r["period"]: r["value"] for r in overall.rows.iter_rows(named=True)}
    y = [int(got.get(m, (0, 0))[0]) for m in labels]
    n = [int(got.get(m, (0, 0))[1]) for m in labels]
    rates = [yi / ni if ni else None for yi, ni in zip(y, n, strict=True)]
    expected = [tot.get(m) for m in labels]
    p = [e if e is not None else 0.0 for e in expected]
    shift = monitor.level_shift(y, n)
    up = down = None
    threshold = h
    if any(0 < pi < 1 for pi in p) and sum(n) > 0:
        if threshold is None:
            # both charts' thresholds from the same simulated series (one draw, not two)
            threshold = max(
                monitor.cusum_thresholds(
                    n, p, (odds_ratio, 1 / odds_ratio), false_alarm=false_alarm
                )
            )
        up = monitor.grouped_cusum(y, n, p, threshold, ra=odds_ratio)
        down = monitor.grouped_cusum(y, n, p, threshold, ra=1 / odds_ratio)
    return TrendResult(
        spec.id,
        spec.title,
        level,
        unit,
        sel.describe(),
        labels,
        y,
        n,
        rates,
        expected,
        shift,
        up,
        down,
        odds_ratio,
        threshold,
        false_alarm,
        None,
    )


def _replace_no_data(result: TrendResult, why: str) -> TrendResult:
    from dataclasses import replace

    return replace(result, no_data=why)
