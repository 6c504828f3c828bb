"""Answers from a full cube: a family frame (every unit × case type × month) summed to the unit
level, period and selection a question asks for.

Two stages: a per-family pass by (key, month) for a selection — kept in a small cache on the
cube, and started from a copy summed over case types or over units where the question allows —
then the level's units (provinces and prefectures from counties) and the period. The cube of
marginals answers the same questions in :mod:`caseledger.analytics.marginals`.

Must never: sort, rank or select units by a value.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from caseledger.analytics.cube import ALL_UNITS, NATIONAL, Cube


def case_type_filters(sel: Any, not_tried: str) -> list[pl.Expr]:
    """The conditions of a selection's crime groups and procedures (``not_tried``: defendants
    never tried, whose procedure is null), on frames with those key columns."""
    conds = []
    if sel.crime_groups:
        conds.append(pl.col("crime_group").cast(pl.String).is_in(list(sel.crime_groups)))
    if sel.procedures:
        named = [p for p in sel.procedures if p != not_tried]
        cond = pl.col("procedure").cast(pl.String).is_in(named)
        if not_tried in sel.procedures:
            cond = cond | pl.col("procedure").is_null()
        conds.append(cond)
    return conds


def _filtered(not_tried: str, cube: Cube, frame: pl.DataFrame, sel: Any) -> pl.DataFrame:
    conds = case_type_filters(sel, not_tried)
    if sel.window.first is not None:
        conds.append(pl.col("month") >= sel.window.first)
    if sel.window.last is not None:
        conds.append(pl.col("month") <= sel.window.last)
    if sel.region is not None:
        _, counties = cube.region(sel.region)
        conds.append(pl.col("county").cast(pl.String).is_in(counties))
    return frame.filter(*conds) if conds else frame


_MEMO_SIZE = 8


def _stage_one(
    cube: Cube,
    family: str,
    sel: Any,
    key: str | None,
    value: bool,
    wanted: list[str],
    not_tried: str,
) -> Any:
    """Sums of every measure of ``family`` by (key, month) for a selection — the one pass over
    the cube's family frame that every indicator, granularity and region level of that key
    reuses (kept in a small cache on the cube). With ``value``, the histogram rows of the
    ``wanted`` measures instead (not cached: they are nearly as many as the defendants)."""
    memo: dict[Any, pl.DataFrame] = cube.__dict__.setdefault("_memo", {})
    token = (family, sel, key, value)
    if token in memo:
        memo[token] = memo.pop(token)  # most recently used last
        return memo[token]
    names = [m for m, f in cube.measure_family.items() if f == family]
    if key in (None, "crime_group", "procedure") and sel.region is None:
        frame = _filtered(not_tried, cube, _lean(cube, family, names, _CASE_KEYS), sel)
    elif sel.crime_groups or sel.procedures or key in ("crime_group", "procedure"):
        frame = _filtered(not_tried, cube, cube.counts[family], sel)
    else:
        frame = _filtered(not_tried, cube, _lean(cube, family, names, _UNIT_KEYS), sel)
    groups = [k for k in (key, "month", "value" if value else None) if k]
    if value:
        # Histogram rows are nearly one per defendant: grouping would not shrink them. Rows are
        # kept in ascending value order (the quantile step relies on it; repeats are fine).
        agg = frame.select(*groups, *(pl.col(n).cast(pl.Int64) for n in wanted))
        if not frame.get_column("value").is_sorted():
            agg = agg.sort("value")  # sorts days, not units
        return agg
    agg = frame.group_by(groups).agg(pl.col(n).sum().cast(pl.Int64) for n in names)
    memo[token] = agg
    while len(memo) > _MEMO_SIZE:
        memo.pop(next(iter(memo)))
    return agg


_UNIT_KEYS = ("county", "police", "procuratorate", "court")
_CASE_KEYS = ("crime_group", "procedure")


def _lean(cube: Cube, family: str, names: list[str], keep: tuple[str, ...]) -> pl.DataFrame:
    """The family frame summed over every key but ``keep`` (and month, value), kept on the
    cube: the units without crime group and procedure for region and agency levels, or crime
    group and procedure without units for the national figure and those two levels — each
    several times smaller than the cube."""
    lean: dict[Any, pl.DataFrame] = cube.__dict__.setdefault("_lean", {})
    if (family, keep) not in lean:
        frame = cube.counts[family]
        keys = [*keep, *(k for k in ("month", "value") if k in frame.columns)]
        agg = frame.group_by(keys).agg(pl.col(n).sum().cast(pl.Int64) for n in names)
        # sorts days, not units
        lean[(family, keep)] = agg.sort("value") if "value" in keys else agg
    return lean[(family, keep)]


def aggregate(
    cube: Cube,
    family: str,
    sel: Any,
    unit: str,
    granularity: str,
    names: list[str],
    value: bool = False,
    *,
    not_tried: str,
) -> pl.DataFrame:
    """Sums of ``names`` by (unit, period[, value]) for the selection ``sel``; ``unit`` is a
    level's column. Grouping runs on the categorical codes; unit codes become strings only on
    the summed rows."""
    region = unit in ("province", "prefecture")
    key = None if unit == NATIONAL else "county" if region else unit
    first = _stage_one(cube, family, sel, key, value, names, not_tried)
    m = pl.col("month")
    period = {
        "month": m,
        "quarter": m // 3 * 3,
        "year": m // 12 * 12,
    }.get(granularity, pl.lit(-1, pl.Int32))
    extra = ["value"] if value else []
    if key is None:
        framed = first.select(
            pl.lit(ALL_UNITS).alias("unit"), period.alias("period"), *extra, *names
        )
    elif region:
        codes = first.select(pl.col(key).unique())
        mapping = codes.join(
            cube.regions.select(pl.col("county").cast(pl.Categorical), pl.col(unit).alias("unit")),
            left_on=key,
            right_on="county",
            how="left",
        )
        framed = first.join(mapping, on=key, how="left", maintain_order="left").select(
            "unit", period.alias("period"), *extra, *names
        )
    else:
        framed = first.select(pl.col(key).alias("unit"), period.alias("period"), *extra, *names)
    groups = ["unit", "period", *extra]
    if not value and (granularity != "month" or region or key is None):
        framed = framed.group_by(groups).agg(pl.col(n).sum() for n in names)
    return framed.with_columns(pl.col("unit").cast(pl.String), pl.col("period").cast(pl.Int32))
