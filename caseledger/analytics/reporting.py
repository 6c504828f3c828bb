"""The quality report's numbers, assembled from one cube (issue 6, trends and reports).

:func:`build_report` reads only the cube and returns the same result objects the Python API
gives (``query.IndicatorTable``, ``query.FunnelResult``, ``query.TrendResult``,
``monitoring.LevelMonitoring``), grouped into the report's sections:

1. **overview** — every indicator nationally, for the report's year and for each year;
2. **trends** — the monthly national series of the key rates over every year with a level-shift
   test, and CUSUM monitoring of every unit of one level over the report's year (the units that
   signal, by code);
3. **funnels** — every rate indicator at every chosen unit level for the year: each unit's
   category and expected ranges, the units outside the limits by code;
4. **case types** — every indicator by crime group and by procedure for the year;
5. whatever **extra** parts a caller plugs in (e.g. the data-integrity audit).

:func:`to_json` turns it into plain JSON values (the ``--format json`` output), and
:mod:`caseledger.analytics.report_pages` into a self-contained HTML page.

Must never: rank, sort or select units by a value; no field of the output is a rank,
percentile or position, and every list of units is in code order.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from caseledger.analytics import indicators as ind
from caseledger.analytics import monitoring, periods, query
from caseledger.analytics.cube import Cube
from caseledger.errors import InvalidInput

REPORT_FORMAT = "caseledger-report"
REPORT_VERSION = 1

# The rates the reform's documents name (seed 000: detention, arrest, prosecution and verdict
# figures once used as targets; seed 002: the plea procedure and its safeguards), followed month
# by month and drawn as funnel charts. Every other rate is in the funnel tables and the JSON.
KEY_RATES: tuple[str, ...] = (
    "pretrial_detention_rate",
    "non_arrest_rate",
    "non_prosecution_rate",
    "plea_rate",
    "recommendation_adoption_rate",
    "appeal_rate.plea",
    "acquittal_rate",
    "check.confession_only_conviction",
)
# Regions and the three kinds of agency. ``agency`` repeats one of the three for each indicator,
# and crime groups and procedures are case types (section 4), so neither is a default level.
FUNNEL_LEVELS: tuple[str, ...] = (
    "province",
    "prefecture",
    "county",
    "police",
    "procuratorate",
    "court",
)
CHART_LEVELS: tuple[str, ...] = ("prefecture", "county")
CASE_TYPE_LEVELS: tuple[str, ...] = ("crime_group", "procedure")
METHODS: tuple[str, ...] = ("exact", "multiplicative", "additive")


@dataclass(frozen=True)
class ReportOptions:
    """What the report covers. ``year`` defaults to the latest year with registrations;
    ``indicators`` (empty: all the cube can feed) limits every section; ``levels`` are the unit
    levels of the funnels; ``chart_levels`` and ``key_indicators`` choose the funnels drawn as
    charts and the monthly trends; ``monitor_level`` is the level whose units are monitored."""

    year: int | None = None
    indicators: tuple[str, ...] = ()
    levels: tuple[str, ...] = FUNNEL_LEVELS
    chart_levels: tuple[str, ...] = CHART_LEVELS
    key_indicators: tuple[str, ...] = KEY_RATES
    monitor_level: str = "province"
    method: str = "additive"
    odds_ratio: float = 2.0
    false_alarm: float = 0.05
    title: str = "Case-quality report"

    def checked(self) -> ReportOptions:
        """The options with every name validated (one-line errors)."""
        for i in (*self.indicators, *self.key_indicators):
            ind.get(i)
        for level in (*self.levels, *self.chart_levels, self.monitor_level):
            query.check_level(level)
            if level == query.NATIONAL:
                raise InvalidInput(
                    "funnels and monitoring compare units: the national level has one",
                    field="level",
                )
        if not self.levels:
            raise InvalidInput("give at least one unit level", field="level")
        if self.method not in METHODS:
            raise InvalidInput(
                f"unknown funnel method {self.method!r}", field="method", allowed=",".join(METHODS)
            )
        if self.year is not None and not 1900 <= self.year <= 2200:
            raise InvalidInput(f"year {self.year} is out of range", field="year")
        if not self.odds_ratio > 1:
            raise InvalidInput("the CUSUM odds ratio must be above 1", field="odds_ratio")
        if not 0 < self.false_alarm < 1:
            raise InvalidInput("the false-alarm probability lies between 0 and 1")
        return self


@dataclass
class Report:
    """The report's numbers: the Python API's own result objects, by section."""

    title: str
    generated: str
    source: dict[str, Any]
    options: ReportOptions
    year: int | None
    years: list[int]  # the years of the warehouse's registrations
    overview: list[query.IndicatorTable]  # national, the report's year
    yearly: list[query.IndicatorTable]  # national, every year
    trends: list[query.TrendResult]  # national, by month
    monitoring: list[monitoring.LevelMonitoring]
    funnels: list[query.FunnelResult]  # indicator order, then level order
    case_types: dict[str, list[query.IndicatorTable]]
    no_data: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # JSON parts plugged in by callers

    @property
    def rate_ids(self) -> list[str]:
        return [t.indicator for t in self.overview if t.kind == "rate"]


def registration_years(cube: Cube) -> list[int]:
    """The years in which the warehouse's defendants were registered (its cohorts)."""
    return sorted({m // 12 for m in cube.months("registration")})


def _source(cube: Cube) -> dict[str, Any]:
    keep = ("warehouse", "engine", "defendants")
    return {k: cube.source[k] for k in keep if k in cube.source} | {
        "schema_version": cube.schema_version
    }


def _window(years: Sequence[int]) -> periods.Window:
    return periods.Window(periods.month_number(years[0], 1), periods.month_number(years[-1], 12))


def build_report(
    cube: Cube,
    options: ReportOptions | None = None,
    *,
    executor: Executor | None = None,
    generated: dt.datetime | None = None,
) -> Report:
    """Every number of the report from ``cube``; ``executor`` runs the monitoring's
    simulations (e.g. a process pool)."""
    opts = (options or ReportOptions()).checked()
    feedable = {i.id for i in ind.all_indicators(schema_version=cube.schema_version)}
    wanted = list(opts.indicators) or [i.id for i in ind.all_indicators() if i.id in feedable]
    rates = [i for i in wanted if ind.get(i).kind == "rate"]
    # the key rates among those asked for; when none is, every rate asked for
    keys = [i for i in opts.key_indicators if i in rates] or (rates if opts.indicators else [])
    years = registration_years(cube)
    year = opts.year if opts.year is not None else (years[-1] if years else None)
    report = Report(
        title=opts.title,
        generated=(generated or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        source=_source(cube),
        options=opts,
        year=year,
        years=years,
        overview=[],
        yearly=[],
        trends=[],
        monitoring=[],
        funnels=[],
        case_types={},
    )
    if year is None or year not in years:
        have = f"{years[0]}–{years[-1]}" if years else "none"
        report.no_data = (
            f"no data: no defendants registered in {year} (the warehouse's years: {have})"
            if year is not None
            else "no data: the warehouse has no registrations"
        )
        return report
    in_year = query.Selection(window=periods.parse(str(year)))
    every_year = query.Selection(window=_window(years))
    report.overview = query.tables(cube, wanted, period="all", selection=in_year)
    report.yearly = query.tables(cube, wanted, period="year", selection=every_year)
    report.trends = [
        query.trend(
            cube,
            i,
            selection=every_year,
            odds_ratio=opts.odds_ratio,
            false_alarm=opts.false_alarm,
        )
        for i in keys
    ]
    report.monitoring = monitoring.monitor_levels(
        cube,
        keys,
        level=opts.monitor_level,
        selection=in_year,
        odds_ratio=opts.odds_ratio,
        false_alarm=opts.false_alarm,
        executor=executor,
    )
    by_level = {
        lv: funnels(cube, rates, level=lv, year=year, method=opts.method) for lv in opts.levels
    }
    report.funnels = [by_level[lv][i] for i in rates for lv in opts.levels]
    report.case_types = {
        lv: query.tables(cube, wanted, level=lv, period="all", selection=in_year)
        for lv in CASE_TYPE_LEVELS
    }
    return report


def funnels(
    cube: Cube, rate_ids: Sequence[str], *, level: str, year: int, method: str = "additive"
) -> dict[str, query.FunnelResult]:
    """Every rate in ``rate_ids`` at ``level`` for ``year``, one table pass per date family:
    the same results as ``query.funnel_for(cube, i, level=level, period=str(year),
    method=method)`` for each ``i``."""
    label = str(year)
    sel = query.Selection(window=periods.parse(label))
    out: dict[str, query.FunnelResult] = {}
    if not rate_ids:  # (query.tables reads "none" as "all")
        return out
    for table in query.tables(cube, list(rate_ids), level=level, period="all", selection=sel):
        minimum = ind.get(table.indicator).min_denominator
        out[table.indicator] = query.funnel_from_table(table, label, method, minimum)
    return out


# ---- JSON ------------------------------------------------------------------------------------


def _num(x: Any) -> Any:
    """A JSON number (NaN and infinities, which JSON lacks, become null)."""
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def table_json(table: query.IndicatorTable) -> dict[str, Any]:
    """An indicator table as JSON: its header and its rows (unit-code, then period order)."""
    rows = table.rows.to_dicts() if table.rows.height else []
    return {
        "indicator": table.indicator,
        "title": table.title,
        "kind": table.kind,
        "level": table.level,
        "period": table.period,
        "selection": table.selection,
        "dated_by": table.dated_by,
        "unit_of_count": table.unit_of_count,
        "without_unit": table.without_unit,
        "no_data": table.no_data,
        "rows": [{k: _num(v) for k, v in r.items()} for r in rows],
    }


def funnel_json(f: query.FunnelResult) -> dict[str, Any]:
    """A funnel as JSON; ``units`` as columns (one list per field, in unit-code order)."""
    units = f.units
    r95 = [u.expected_range_95 for u in units]
    r998 = [u.expected_range_998 for u in units]
    return {
        "indicator": f.indicator,
        "title": f.title,
        "level": f.level,
        "period": f.period,
        "selection": f.selection,
        "method": f.method,
        "target": _num(f.target),
        "phi": _num(f.phi),
        "tau2": _num(f.tau2),
        "min_denominator": f.min_denominator,
        "expected_by_chance": f.expected_by_chance,
        "outside": f.outside,
        "without_unit": f.without_unit,
        "no_data": f.no_data,
        "units": {
            "unit": [u.unit for u in units],
            "numerator": [u.numerator for u in units],
            "denominator": [u.denominator for u in units],
            "value": [_num(u.observed) for u in units],
            "category": [u.category.value for u in units],
            "lower_998": [r[0] if r else None for r in r998],
            "lower_95": [r[0] if r else None for r in r95],
            "upper_95": [r[1] if r else None for r in r95],
            "upper_998": [r[1] if r else None for r in r998],
        },
    }


def trend_json(t: query.TrendResult) -> dict[str, Any]:
    shift = t.level_shift
    return {
        "indicator": t.indicator,
        "title": t.title,
        "level": t.level,
        "unit": t.unit,
        "selection": t.selection,
        "no_data": t.no_data,
        "months": t.months,
        "numerator": t.numerators,
        "denominator": t.denominators,
        "value": [_num(r) for r in t.rates],
        "level_shift": None
        if shift is None
        else {
            "first_month_after": t.months[shift.index],
            "rate_before": _num(shift.rate_before),
            "rate_after": _num(shift.rate_after),
            "statistic": shift.statistic,
            "p_value": shift.p_value,
        },
    }


def monitoring_json(m: monitoring.LevelMonitoring) -> dict[str, Any]:
    return {
        "indicator": m.indicator,
        "title": m.title,
        "level": m.level,
        "selection": m.selection,
        "no_data": m.no_data,
        "first_month": m.months[0] if m.months else None,
        "last_month": m.months[-1] if m.months else None,
        "odds_ratio": m.odds_ratio,
        "false_alarm": m.false_alarm,
        "units_monitored": m.units_monitored,
        "expected_by_chance": m.expected_by_chance,
        "signals": [{"unit": s.unit, "h": s.h, "up": s.up, "down": s.down} for s in m.signals],
    }


def to_json(report: Report) -> dict[str, Any]:
    """The report as JSON values: the same numbers as the HTML page and the Python API."""
    o = report.options
    return {
        "format": REPORT_FORMAT,
        "version": REPORT_VERSION,
        "title": report.title,
        "generated": report.generated,
        "source": report.source,
        "year": report.year,
        "years": report.years,
        "no_data": report.no_data,
        "options": {
            "indicators": list(o.indicators),
            "levels": list(o.levels),
            "chart_levels": list(o.chart_levels),
            "key_indicators": list(o.key_indicators),
            "monitor_level": o.monitor_level,
            "method": o.method,
            "odds_ratio": o.odds_ratio,
            "false_alarm": o.false_alarm,
        },
        "overview": [table_json(t) for t in report.overview],
        "yearly": [table_json(t) for t in report.yearly],
        "trends": [trend_json(t) for t in report.trends],
        "monitoring": [monitoring_json(m) for m in report.monitoring],
        "funnels": [funnel_json(f) for f in report.funnels],
        "case_types": {lv: [table_json(t) for t in ts] for lv, ts in report.case_types.items()},
        "extra": report.extra,
    }


def overview_value(table: query.IndicatorTable) -> dict[str, Any] | None:
    """The single national row of an overview table, or None."""
    if table.rows.height == 0:
        return None
    return table.rows.row(0, named=True)


def yearly_values(table: query.IndicatorTable) -> dict[str, dict[str, Any]]:
    """Year label -> the national row of that year."""
    return {r["period"]: r for r in table.rows.to_dicts()}


def units_frame(f: query.FunnelResult) -> pl.DataFrame:
    """A funnel's units as a Polars frame (unit-code order), e.g. for a notebook."""
    return pl.DataFrame(funnel_json(f)["units"])
