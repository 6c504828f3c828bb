"""The cube as marginals: the counts a report reads, by grouping sets, one scan per date family.

A full cube (:func:`caseledger.analytics.cube.build_cube`) keeps every measure by county × police
× procuratorate × court × crime group × procedure × month: at national scale over ten years that
is nearly one row per defendant, and every table after it re-aggregates millions of rows. A
report reads far less: the national figure by month, one level's units by month (monitoring),
each unit level by year (funnels), crime groups and procedures by year (case types), and the
days histogram nationally and by case type (exact quantiles). A :class:`Grain` names those key
sets; :func:`build_marginal_cube` computes all of them with one ``GROUP BY GROUPING SETS``
statement per date family — plain SQL around the Ibis-compiled measure definitions, the same
expressions the full cube evaluates, so DuckDB and Spark give the same counts — and keeps each
set as a small Polars frame (``Cube.marginals``). This is still the one pass of
``shared/analytics.md`` §3.5: one scan, every statistic afterwards on the cube.

:func:`aggregate` answers the query layer from the smallest marginal that holds every key a
question needs (its unit, the keys its selection filters on, its period); when none does, it
refuses with a message naming what the cube holds, rather than answer from the wrong grain.

Must never: order units by a value, keep a defendant-level row, or answer a question from a
marginal that lacks one of its keys.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from caseledger.analytics import cube as cubes
from caseledger.analytics import rollup
from caseledger.analytics.indicators.base import Family, Measure
from caseledger.errors import InvalidInput

# key of a marginal -> warehouse column (units, regions, case types)
UNIT_COLUMNS: dict[str, str] = {
    "province": "province_code",
    "prefecture": "prefecture_code",
    **cubes.KEY_COLUMNS,
}
TIME_KEYS = ("month", "year")
VALUE = "value"
KEYS: tuple[str, ...] = (*UNIT_COLUMNS, *TIME_KEYS, VALUE)


def _check_set(keys: Sequence[str]) -> tuple[str, ...]:
    unknown = [k for k in keys if k not in KEYS]
    if unknown:
        raise InvalidInput(
            f"unknown marginal key {unknown[0]!r}", field="grain", allowed=",".join(KEYS)
        )
    if sum(k in TIME_KEYS for k in keys) != 1:
        raise InvalidInput("each marginal has exactly one time key (month or year)", field="grain")
    return tuple(k for k in KEYS if k in keys)  # canonical order


@dataclass(frozen=True)
class Grain:
    """The key sets the cube is built for. A set with ``value`` applies to families with a
    value (the days histogram) only; every other set to every family."""

    sets: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, sets: Iterable[Sequence[str]]) -> Grain:
        out: list[tuple[str, ...]] = []
        for s in sets:
            canon = _check_set(s)
            if canon not in out:
                out.append(canon)
        if not out:
            raise InvalidInput("a grain needs at least one key set", field="grain")
        return cls(tuple(out))

    def for_family(self, family: Family) -> tuple[tuple[str, ...], ...]:
        return tuple(s for s in self.sets if VALUE not in s or family.value is not None)


def report_grain(levels: Sequence[str], monitor_level: str) -> Grain:
    """The few sets the quality report reads, each as coarse as its uses allow (every key set
    costs a hash of its keys per defendant; rolling a small marginal up afterwards is free):
    counties by month (national months and trends, region monitoring, region funnels — provinces
    and prefectures are unions of counties), the agencies asked for by year (their funnels), an
    agency by month when it is the monitored level, crime group × procedure by year (case types
    and the national figures of the year), and the same with the days histogram (quantiles).
    ``agency`` stands for the three kinds of agency."""

    def units(level: str) -> list[str]:
        return list(cubes.AGENCY_KEYS) if level == "agency" else [level]

    agencies = [u for lv in levels for u in units(lv) if u in cubes.AGENCY_KEYS]
    sets: list[tuple[str, ...]] = [("county", "month")]
    if agencies:
        sets.append((*agencies, "year"))
    # the monitored level by month (regions come from the counties' months)
    sets += [(u, "month") for u in units(monitor_level) if u not in cubes.REGION_COLUMNS]
    sets += [(u, "year") for lv in levels for u in units(lv) if u in ("crime_group", "procedure")]
    sets += [("crime_group", "procedure", "year"), ("crime_group", "procedure", "year", VALUE)]
    return Grain.of(sets)


# ---- the scan ---------------------------------------------------------------------------------


def _inner(table: Any, fam: Family, measures: Sequence[Measure], keys: Sequence[str]) -> Any:
    """The family's rows with the keys the sets use and one boolean per measure (Ibis)."""
    t = table.filter(fam.date(table).notnull())
    if fam.value is not None:  # as in the full cube: a family with a value counts where it is set
        t = t.filter(fam.value(t).notnull())
    cols: dict[str, Any] = {}
    for k in keys:
        if k in UNIT_COLUMNS:
            cols[f"k_{k}"] = t[UNIT_COLUMNS[k]]
        elif k == "month":
            cols["k_month"] = cubes.month_expr(fam.date(t))
        elif k == "year":
            cols["k_year"] = fam.date(t).year().cast("int32")
        else:
            assert fam.value is not None
            cols["k_value"] = fam.value(t).cast("int32")
    flags = {f"f{i}": m.where(t).fill_null(False) for i, m in enumerate(measures)}
    return t.select(**cols, **flags)


def family_sql(
    backend: Any,
    table: Any,
    fam: Family,
    measures: Sequence[Measure],
    sets: Sequence[tuple[str, ...]],
) -> str:
    """One statement: the family's measures counted by every set, with one ``g_<key>`` flag per
    key (1 where the key is rolled up) so that each row can be told to its set. The grouping
    clause is standard SQL that DuckDB and Spark both run; the rows inside are Ibis-compiled for
    the backend's own dialect."""
    keys = [k for k in KEYS if any(k in s for s in sets)]
    inner = str(backend.compile(_inner(table, fam, measures, keys)))
    select = [f"k_{k}" for k in keys]
    select += [f"grouping(k_{k}) AS g_{k}" for k in keys]
    # count_if: the cheapest of the equivalent forms in DuckDB (FILTER, SUM of a cast) and Spark
    select += [f"count_if(f{i}) AS m{i}" for i in range(len(measures))]
    groups = ", ".join("(" + ", ".join(f"k_{k}" for k in s) + ")" for s in sets)
    return (
        f"SELECT {', '.join(select)}\nFROM ({inner}) AS family_rows\n"
        f"GROUP BY GROUPING SETS ({groups})"
    )


def _run(warehouse: Any, sql: str) -> Any:
    """The statement's (small) result as an Arrow table."""
    if warehouse.engine == "duckdb":
        return warehouse.backend.con.sql(sql).to_arrow_reader(1_000_000).read_all()
    return warehouse.backend.sql(sql, dialect="spark").to_pyarrow()


def _split(
    result: Any, sets: Sequence[tuple[str, ...]], names: Sequence[str]
) -> dict[tuple[str, ...], pl.DataFrame]:
    frame = pl.from_arrow(result)
    assert isinstance(frame, pl.DataFrame)
    keys = [c[2:] for c in frame.columns if c.startswith("k_")]
    out: dict[tuple[str, ...], pl.DataFrame] = {}
    for s in sets:
        cond = [pl.col(f"g_{k}") == (0 if k in s else 1) for k in keys]
        part = frame.filter(*cond) if cond else frame
        cols: list[Any] = []
        for k in s:
            c = pl.col(f"k_{k}")
            cols.append(c.cast(pl.Int32 if k in (*TIME_KEYS, VALUE) else pl.String).alias(k))
        cols += [pl.col(f"m{i}").cast(pl.Int64).alias(n) for i, n in enumerate(names)]
        # code order (then time, then days): the order every consumer of the cube relies on
        out[s] = part.select(cols).sort(list(s), nulls_last=True)
    return out


def build_marginal_cube(
    warehouse: Any, grain: Grain, *, extra: Sequence[Measure | Family] = ()
) -> cubes.Cube:
    """Scan ``warehouse`` (from :func:`caseledger.analytics.source.open_warehouse`) once per date
    family and return a cube of the marginals ``grain`` names, for every indicator the warehouse
    can feed plus ``extra`` measures."""
    the_plan = cubes.plan(warehouse.schema_version, extra)
    started = time.perf_counter()
    marginals: dict[str, dict[tuple[str, ...], pl.DataFrame]] = {}
    for fam in the_plan.families:
        sets = grain.for_family(fam)
        measures = the_plan.measures[fam.id]
        sql = family_sql(warehouse.backend, warehouse.defendants, fam, measures, sets)
        marginals[fam.id] = _split(_run(warehouse, sql), sets, [m.name for m in measures])
    regions = cubes.region_map(warehouse)
    seconds = time.perf_counter() - started
    return cubes.Cube(
        schema_version=warehouse.schema_version,
        counts={},
        regions=regions,
        measure_family=the_plan.measure_family(),
        source=cubes.source_of(warehouse, seconds, grain=[list(s) for s in grain.sets]),
        marginals=marginals,
    )


# ---- answering from the marginals -------------------------------------------------------------


def describe(cube: cubes.Cube, family: str) -> str:
    sets = cube.marginals.get(family, {})
    return "; ".join("×".join(s) for s in sets) or "none"


def aggregate(
    cube: cubes.Cube,
    family: str,
    sel: Any,
    unit: str,
    granularity: str,
    names: list[str],
    value: bool = False,
    *,
    not_tried: str,
    asked: str,
) -> pl.DataFrame:
    """Sums of ``names`` by (unit, period[, value]) from the smallest marginal of ``family``
    that holds every key needed — the frame the query layer's full-cube path returns: ``unit``
    (String; ``all`` nationally), ``period`` (Int32 month number of the period's first month, -1
    for all), then ``value`` (ascending) with ``value``, then the sums (Int64)."""
    window = sel.window
    region_key: str | None = None
    counties: list[str] = []
    if sel.region is not None:
        region_key, counties = cube.region(sel.region)
    whole_years = (window.first is None or window.first % 12 == 0) and (
        window.last is None or window.last % 12 == 11
    )
    yearly_ok = granularity in ("year", "all") and whole_years
    best: tuple[int, tuple[str, ...], str | None, str | None] | None = None
    for keys, frame in cube.marginals.get(family, {}).items():
        if (VALUE in keys) != value:
            continue
        if "month" not in keys and not ("year" in keys and yearly_ok):
            continue
        if sel.crime_groups and "crime_group" not in keys:
            continue
        if sel.procedures and "procedure" not in keys:
            continue
        region_via: str | None = None
        if region_key is not None:
            if region_key in keys:
                region_via = region_key
            elif "county" in keys:
                region_via = "county"
            else:
                continue
        unit_via: str | None = None
        if unit != cubes.NATIONAL:
            if unit in keys:
                unit_via = unit
            elif unit in ("province", "prefecture") and "county" in keys:
                unit_via = "county"
            else:
                continue
        if best is None or frame.height < best[0]:  # the smallest: least to sum away
            best = (frame.height, keys, unit_via, region_via)
    if best is None:
        raise InvalidInput(
            f"this cube was built for a report and holds only the marginals "
            f"{describe(cube, family)} of {family}; it cannot give {asked} (build the full cube "
            f"with cube.build_cube for any unit × period × case type)",
            field="cube",
        )
    _, keys, unit_via, region_via = best
    frame = cube.marginals[family][keys]
    conds = rollup.case_type_filters(sel, not_tried)
    if region_via == "county":
        conds.append(pl.col("county").is_in(counties))
    elif region_via is not None:
        conds.append(pl.col(region_via) == sel.region)
    time_key = "month" if "month" in keys else "year"
    m = pl.col("month") if time_key == "month" else pl.col("year") * 12
    if window.first is not None:
        conds.append(m >= window.first)
    if window.last is not None:
        conds.append(m <= window.last)
    if conds:
        frame = frame.filter(*conds)
    period = {
        "month": m,
        "quarter": m // 3 * 3,
        "year": m // 12 * 12,
    }.get(granularity, pl.lit(-1, pl.Int32))
    if unit_via is None:
        unit_col = pl.lit(cubes.ALL_UNITS, pl.String)
    elif unit_via == unit:
        unit_col = pl.col(unit_via)
    else:  # province or prefecture from counties
        mapping = cube.regions.select("county", pl.col(unit).alias("_unit"))
        frame = frame.join(mapping, on="county", how="left", maintain_order="left")
        unit_col = pl.col("_unit")
    extra_cols = ["value"] if value else []
    framed = frame.select(
        unit_col.cast(pl.String).alias("unit"),
        period.cast(pl.Int32).alias("period"),
        *extra_cols,
        *names,
    )
    out = framed.group_by("unit", "period", *extra_cols).agg(pl.col(n).sum() for n in names)
    return out.sort("unit", "period", *extra_cols, nulls_last=True)
