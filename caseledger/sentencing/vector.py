"""Vectorised mode: the same guideline rules over a Polars/Arrow table of many cases.

Owns: :func:`recommend_frame`, which adds the recommendation columns to a table of cases, and
:func:`inputs_to_frame` / :func:`result_row`, which translate between the per-case format and
the table. Built for sentencing-consistency analysis over millions of past cases and for the
synthetic data generator.

Table format (one row per case; ``docs/sentencing.md`` lists every column):
``crime``, ``as_of`` (date), optional ``jurisdiction``; one column per fact (null: the pack's
default); one Float64 column ``c_<code>`` per circumstance (null: absent, NaN: present with the
default percentage, otherwise the signed percentage); ``plea_stage`` (null: no plea) and
``plea_pct`` (null: the stage's maximum); ``particularly_serious`` and ``leniency_override``
(booleans; the override's reason and author stay in the case file).

Must never: diverge from ``engine.compute``. Every float operation here mirrors the engine's in
the same order, so results agree exactly (a property test checks it). Change both or neither.
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl
import pyarrow as pa

from caseledger.errors import InvalidInput, UnknownCode
from caseledger.sentencing.compiled import CCrime, CTier, Library, View, default_library
from caseledger.sentencing.engine import EPS, PCT
from caseledger.sentencing.inputs import check_circumstances, pick_view

OUT_COLUMNS = {
    "pack": pl.String,
    "tier": pl.String,
    "starting_point": pl.Float64,
    "baseline_months": pl.Float64,
    "adjusted_months": pl.Float64,
    "proposed_months": pl.Float64,
    "definite_months": pl.Int64,
    "range_lo": pl.Int64,
    "range_hi": pl.Int64,
    "penalty_type": pl.String,
    "below_minimum": pl.Boolean,
    "probation_eligible": pl.Boolean,
    "plea_pct_applied": pl.Float64,
    "leniency_excluded": pl.Boolean,
    "fine_min_yuan": pl.Float64,
    "fine_max_yuan": pl.Float64,
}
CONTROL = {"crime", "as_of", "jurisdiction", "plea_stage", "plea_pct", "particularly_serious",
           "leniency_override", "starting_point_months", "_row", "_view"}  # fmt: skip


def _bad(frame: pl.DataFrame, mask: pl.Expr, message: str, field: str, allowed: str = "") -> None:
    rows = frame.filter(mask)
    if rows.height:
        first = rows["_row"][0]
        raise InvalidInput(
            f"{message}: {rows.height} row(s), first at row {first}",
            field=field,
            allowed=allowed or None,
            row=first,
        )


def _max(*exprs: pl.Expr) -> pl.Expr:
    return pl.max_horizontal(list(exprs))


def _min(*exprs: pl.Expr) -> pl.Expr:
    return pl.min_horizontal(list(exprs))


def _half_up(x: pl.Expr) -> pl.Expr:
    return (x + 0.5 + EPS).floor()


def _units(excess: pl.Expr, per: float, inv: float) -> pl.Expr:
    """engine.whole_units, for excess ≥ per; 0 below (the engine then adds nothing)."""
    u = (excess * inv).floor()
    exact = (
        pl.when((u + 1) * per <= excess).then(u + 1).when(u * per > excess).then(u - 1).otherwise(u)
    )
    return pl.when(excess >= per).then(exact).otherwise(0.0)


def _by_tier(tiers: tuple[CTier, ...], value: Any, dtype: Any = None) -> pl.Expr:
    """A per-tier literal chosen by the ``_tier`` column."""
    expr = None
    for i, t in enumerate(tiers):
        v = pl.lit(value(t), dtype=dtype)
        expr = (
            pl.when(pl.col("_tier") == i).then(v)
            if expr is None
            else expr.when(pl.col("_tier") == i).then(v)
        )
    assert expr is not None
    return expr.otherwise(None)


def _penalty(view: View, allowed: tuple[str, ...], d: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    imp_lo = view.frame["imprisonment"][0]
    det_lo, det_hi, _ = view.frame["detention"]
    surv_lo = view.frame["surveillance"][0]
    t = pl.when(pl.lit(False)).then(pl.lit(None, pl.String))
    mo = pl.when(pl.lit(False)).then(pl.lit(None, pl.Float64))
    if "imprisonment" in allowed:
        t, mo = t.when(d >= imp_lo).then(pl.lit("imprisonment")), mo.when(d >= imp_lo).then(d)
    if "detention" in allowed:
        t = t.when(d >= det_lo).then(pl.lit("detention"))
        mo = mo.when(d >= det_lo).then(_min(d, pl.lit(det_hi)))
    if "surveillance" in allowed:
        return t.otherwise(pl.lit("surveillance")), mo.otherwise(_max(d, pl.lit(surv_lo)))
    if "detention" in allowed:
        return t.otherwise(pl.lit("detention")), mo.otherwise(pl.lit(det_lo))
    return t.otherwise(pl.lit("imprisonment")), mo.otherwise(pl.lit(imp_lo))


CAST = {"number": pl.Float64, "integer": pl.Float64, "boolean": pl.Boolean, "enum": pl.String}


def _crime_frame(view: View, crime: CCrime, df: pl.DataFrame) -> pl.DataFrame:
    cols = set(df.columns)
    casts = [pl.col(n).cast(CAST[d.type]) for n, d in crime.facts.items() if n in cols]
    casts += [pl.col(c).cast(pl.Float64) for c in cols if c.startswith("c_") or c == "plea_pct"]
    casts += [pl.col(c).cast(pl.String) for c in ("plea_stage",) if c in cols]
    casts += [
        pl.col(c).cast(pl.Boolean)
        for c in ("particularly_serious", "leniency_override")
        if c in cols
    ]
    df = df.with_columns(casts)
    # facts: defaults, types and values, as inputs.check_facts
    fact_exprs = []
    for name, d in crime.facts.items():
        if name in cols:
            col = pl.col(name)
            if d.type == "enum":
                _bad(
                    df,
                    col.is_not_null() & ~col.is_in(d.values or []),
                    f"fact {name} has a value outside its list",
                    f"facts.{name}",
                    ", ".join(d.values or []),
                )
            elif d.type in ("number", "integer") and d.min is not None:
                _bad(
                    df,
                    col < d.min,
                    f"fact {name} is below its minimum",
                    f"facts.{name}",
                    f"≥ {d.min:g}",
                )
            if d.type == "integer":
                _bad(df, col.floor() != col, f"fact {name} must be whole", f"facts.{name}")
            if name in crime.required:
                _bad(
                    df, col.is_null(), f"fact {name} is required for {crime.code}", f"facts.{name}"
                )
            expr = col.fill_null(d.default) if d.default is not None else col
        else:
            if name in crime.required:
                raise InvalidInput(
                    f"fact {name} is required for {crime.code}", field=f"facts.{name}"
                )
            expr = pl.lit(d.default)
        if d.type in ("number", "integer"):
            expr = expr.cast(pl.Float64)
        fact_exprs.append(expr.alias(name))
    circ_cols = {c[2:]: c for c in cols if c.startswith("c_")}
    for code, cname in circ_cols.items():
        if code not in crime.circumstances:
            _bad(
                df,
                pl.col(cname).is_not_null(),
                f"unknown circumstance {code!r} for {crime.code}",
                "circumstances",
                ", ".join(sorted(crime.circumstances)),
            )
    foreign = [
        c for c in cols if c not in CONTROL and not c.startswith("c_") and c not in crime.facts
    ]
    for name in foreign:
        if name in {"minor_crime", "ringleader", "pregnant"} or name in OUT_COLUMNS:
            continue
        _bad(
            df,
            pl.col(name).is_not_null(),
            f"unknown fact {name!r} for {crime.code}",
            f"facts.{name}",
            ", ".join(sorted(crime.facts)),
        )
    df = df.with_columns(fact_exprs)
    minor = pl.col("minor_crime") if "minor_crime" in crime.facts else pl.lit(False)
    circs = sorted(
        (c for c in crime.circumstances.values() if c.code in circ_cols or c.via_plea),
        key=lambda c: c.order,
    )
    pct_exprs = []
    for c in circs:
        if c.via_plea:
            continue
        col = pl.col(circ_cols[c.code])
        _check_circ(df, view, crime, c, col, minor)
        pct_exprs.append(col.fill_nan(c.sign * ((c.lo + c.hi) / 2)).alias(f"_p_{c.code}"))
    # plea
    has_plea = "plea_stage" in cols
    stage = pl.col("plea_stage") if has_plea else pl.lit(None, pl.String)
    serious = (
        pl.col("particularly_serious").fill_null(False)
        if "particularly_serious" in cols
        else pl.lit(False)
    )
    override = (
        pl.col("leniency_override").fill_null(False)
        if "leniency_override" in cols
        else pl.lit(False)
    )
    _bad(
        df,
        override & ~serious,
        "leniency_override is only for particularly serious cases",
        "leniency_override",
    )
    if has_plea:
        _bad(
            df,
            stage.is_not_null() & ~stage.is_in(list(view.ladder)),
            "unknown plea stage",
            "plea.stage",
            ", ".join(view.ladder),
        )
    cap = stage.replace_strict(view.ladder, default=None, return_dtype=pl.Float64)
    plea_pct = pl.col("plea_pct").cast(pl.Float64).fill_null(-cap) if "plea_pct" in cols else -cap
    if "plea_pct" in cols:
        _bad(
            df,
            stage.is_not_null() & ((plea_pct < -cap) | (plea_pct > 0)),
            "plea pct outside the stage's range",
            "plea.pct",
        )
    excluded = stage.is_not_null() & serious & ~override
    df = df.with_columns(
        *pct_exprs,
        plea_pct.alias("_plea_pct"),
        excluded.alias("_plea_excluded"),
        stage.is_not_null().alias("_has_plea"),
    )
    # tier selection
    from caseledger.sentencing.conditions import expression

    tier_expr = None
    for i, t in enumerate(crime.tiers):
        cond = expression(t.node)
        tier_expr = pl.when(cond).then(i) if tier_expr is None else tier_expr.when(cond).then(i)
    assert tier_expr is not None
    df = df.with_columns(tier_expr.otherwise(None).cast(pl.Int32).alias("_tier"))
    _bad(
        df,
        pl.col("_tier").is_null(),
        f"the facts do not reach the lowest tier of {crime.code}",
        "facts",
    )
    tiers = crime.tiers
    start_lo = _by_tier(tiers, lambda t: t.start_lo)
    start_hi = _by_tier(tiers, lambda t: t.start_hi)
    sp = start_lo if view.pick_min else (start_lo + start_hi) / 2
    if "starting_point_months" in cols:
        chosen = pl.col("starting_point_months").cast(pl.Float64)
        _bad(
            df.with_columns(start_lo.alias("_lo"), start_hi.alias("_hi")),
            chosen.is_not_null() & ((chosen < pl.col("_lo")) | (chosen > pl.col("_hi"))),
            "starting_point_months outside the tier's range",
            "starting_point_months",
        )
        sp = chosen.fill_null(sp)
    df = df.with_columns(sp.alias("starting_point"))
    # baseline
    m = pl.col("starting_point")
    for i, t in enumerate(tiers):
        if t.increments:
            seq = pl.col("starting_point")
            for inc in t.increments:
                seq = seq + _units(pl.col(inc.fact) - inc.over, inc.per, inc.inv) * inc.months
            m = pl.when(pl.col("_tier") == i).then(seq).otherwise(m)
    stat_lo = _by_tier(tiers, lambda t: t.stat_lo)
    stat_hi = _by_tier(tiers, lambda t: t.stat_hi)
    df = df.with_columns(m.alias("_m"), stat_lo.alias("_stat_lo"), stat_hi.alias("_stat_hi"))
    df = df.with_columns(
        pl.when(pl.col("_m") > pl.col("_stat_hi"))
        .then(pl.col("_stat_hi"))
        .otherwise(pl.col("_m"))
        .alias("baseline_months")
    )
    # first tier
    m = pl.col("baseline_months")
    t1 = [c for c in circs if c.tier == 1]
    if view.tier1_multiply:
        for c in t1:
            p = pl.col(f"_p_{c.code}")
            m = pl.when(p.is_not_null()).then(m * (1 + p * PCT)).otherwise(m)
    elif t1:
        s = pl.lit(0.0)
        for c in t1:
            s = s + pl.col(f"_p_{c.code}").fill_null(0.0)
        m = m * (1 + s * PCT)
    df = df.with_columns(m.alias("_b1"))
    # second tier
    b1 = pl.col("_b1")
    m = b1
    gsum = pl.lit(0.0)
    plus = pl.lit(False)
    reducers = pl.lit(False)
    for c in t1:
        if c.reduction:
            reducers = reducers | pl.col(f"_p_{c.code}").is_not_null()
    for c in (c for c in circs if c.tier == 2):
        if c.via_plea:
            p = pl.col("_plea_pct")
            applies = pl.col("_has_plea") & ~pl.col("_plea_excluded")
        else:
            p = pl.col(f"_p_{c.code}")
            applies = p.is_not_null()
            for x in c.excluded_by:
                if x in circ_cols and x in crime.circumstances:
                    applies = applies & pl.col(circ_cols[x]).is_null()
        contrib = b1 * (p * PCT)
        if c.min_months is not None:
            contrib = (
                pl.when(contrib.abs() < c.min_months)
                .then(pl.lit(c.sign * c.min_months))
                .otherwise(contrib)
            )
        m = m + pl.when(applies).then(contrib).otherwise(0.0)
        if c.reduction:
            reducers = reducers | applies
        if c.code in view.group_members:
            gsum = gsum + pl.when(applies).then(p).otherwise(0.0)
            if c.code in view.group_plus:
                plus = plus | applies
    gcap = (
        pl.when(plus)
        .then(pl.when(minor).then(view.group_minor_cap).otherwise(view.group_plus_cap))
        .otherwise(view.group_cap)
    )
    capped = pl.col("_has_plea") & ~pl.col("_plea_excluded") & (-pl.col("_gsum") > pl.col("_gcap"))
    df = df.with_columns(
        m.alias("_m2"), gsum.alias("_gsum"), gcap.alias("_gcap"), reducers.alias("_red")
    )
    df = df.with_columns(
        pl.when(capped)
        .then(pl.col("_m2") + b1 * ((-pl.col("_gsum") - pl.col("_gcap")) * PCT))
        .otherwise(pl.col("_m2"))
        .alias("adjusted_months")
    )
    adj = pl.col("adjusted_months")
    floor = _by_tier(tiers, lambda t: t.floor_if_reduced)
    below = adj < pl.col("_stat_lo")
    red = pl.col("_red")
    lower = pl.when(red).then(floor).otherwise(pl.col("_stat_lo"))
    proposed = (
        pl.when(below & red)
        .then(pl.when(adj > lower).then(adj).otherwise(lower))
        .when(below)
        .then(pl.col("_stat_lo"))
        .when(adj > pl.col("_stat_hi"))
        .then(pl.col("_stat_hi"))
        .otherwise(adj)
    )
    df = df.with_columns(
        proposed.alias("proposed_months"),
        (below & red).alias("below_minimum"),
        lower.alias("_lower"),
    )
    d = _half_up(pl.col("proposed_months"))
    ptype, months = None, None
    for i, t in enumerate(tiers):
        for reduced in (True, False):
            allowed = t.reduced_penalties if reduced else t.penalties
            ty, mo = _penalty(view, allowed, d)
            cond = (pl.col("_tier") == i) & (pl.col("below_minimum") == reduced)
            ptype = pl.when(cond).then(ty) if ptype is None else ptype.when(cond).then(ty)
            months = pl.when(cond).then(mo) if months is None else months.when(cond).then(mo)
    assert ptype is not None and months is not None
    df = df.with_columns(
        ptype.otherwise(None).alias("penalty_type"), months.otherwise(None).alias("_months")
    )
    mo = pl.col("_months")
    ty = pl.col("penalty_type")
    width = None
    for below_m, w in view.widths:
        cond = pl.lit(True) if below_m is None else mo < below_m
        width = pl.when(cond).then(w) if width is None else width.when(cond).then(w)
    assert width is not None
    half = (width.otherwise(0) // 2).cast(pl.Float64)
    t_lo = ty.replace_strict({k: v[0] for k, v in view.frame.items()}, return_dtype=pl.Float64)
    t_hi = ty.replace_strict({k: v[1] for k, v in view.frame.items()}, return_dtype=pl.Float64)
    r_lo = _max(mo - half, _half_up(mo * view.margin_lo), t_lo, pl.col("_lower").ceil())
    r_hi = _min(mo + half, _half_up(mo * view.margin_hi), t_hi, pl.col("_stat_hi"))
    prob = view.probation
    eligible = (ty != "surveillance") & (mo <= prob.max_months)
    for x in prob.excluded_circumstances:
        if x in circ_cols and x in crime.circumstances:
            eligible = eligible & pl.col(circ_cols[x]).is_null()
    for x in prob.excluded_facts:
        if x in crime.facts:
            eligible = eligible & ~pl.col(x)
    fine_min = fine_max = pl.lit(None, pl.Float64)
    if crime.fine is not None:
        f = crime.fine
        v = pl.col(f.fact)
        hi = pl.when(v > 0).then(f.factor * v).otherwise(f.fallback_max_yuan)
        fine_min = pl.lit(f.min_yuan, pl.Float64)
        fine_max = pl.when(hi > f.min_yuan).then(hi).otherwise(f.min_yuan)
    return df.with_columns(
        pl.lit(view.pack).alias("pack"),
        _by_tier(tiers, lambda t: t.id, pl.String).alias("tier"),
        mo.cast(pl.Int64).alias("definite_months"),
        _min(r_lo, mo).cast(pl.Int64).alias("range_lo"),
        _max(r_hi, mo).cast(pl.Int64).alias("range_hi"),
        eligible.alias("probation_eligible"),
        pl.when(pl.col("_has_plea"))
        .then(pl.when(pl.col("_plea_excluded")).then(0.0).otherwise(pl.col("_plea_pct")))
        .otherwise(None)
        .alias("plea_pct_applied"),
        pl.col("_plea_excluded").alias("leniency_excluded"),
        fine_min.alias("fine_min_yuan"),
        fine_max.alias("fine_max_yuan"),
    )


def _check_circ(
    df: pl.DataFrame, view: View, crime: CCrime, c: Any, col: pl.Expr, minor: pl.Expr
) -> None:
    field = f"circumstances.{c.code}"
    if (c.not_for_negligent and crime.negligent) or (c.only_for_negligent and not crime.negligent):
        _bad(df, col.is_not_null(), f"{c.code} does not apply to {crime.code}", field)
    hi = (
        pl.lit(c.hi)
        if c.minor_crime_hi is None
        else pl.when(minor).then(c.minor_crime_hi).otherwise(c.hi)
    )
    mag = col * c.sign
    wrong = (
        col.is_not_null()
        & ~col.is_nan()
        & ((mag < c.lo) | (mag > hi) | ((col != 0) & ((col > 0) != (c.sign > 0))))
    )
    _bad(
        df,
        wrong,
        f"pct of {c.code} outside its legal range",
        field,
        f"{-c.hi:g}..{-c.lo:g}" if c.sign < 0 else f"{c.lo:g}..{c.hi:g}",
    )
    for other in c.incompatible_with:
        oc = f"c_{other}"
        if oc in df.columns:
            _bad(
                df,
                col.is_not_null() & pl.col(oc).is_not_null(),
                f"{c.code} cannot be combined with {other}",
                "circumstances",
            )


def recommend_frame(
    cases: pl.DataFrame | pa.Table, *, lib: Library | None = None, jurisdiction: str | None = None
) -> pl.DataFrame:
    """``cases`` with the recommendation columns (see ``OUT_COLUMNS``) appended, same row order."""
    lib = lib or default_library()
    df = pl.from_arrow(cases) if isinstance(cases, pa.Table) else cases
    assert isinstance(df, pl.DataFrame)
    for needed in ("crime", "as_of"):
        if needed not in df.columns:
            raise InvalidInput(f"column {needed} is required", field=needed)
    df = df.with_row_index("_row")
    if df.schema["as_of"] == pl.String:
        df = df.with_columns(pl.col("as_of").str.to_date())
    if "jurisdiction" not in df.columns:
        df = df.with_columns(pl.lit(jurisdiction, pl.String).alias("jurisdiction"))
    keys = df.select("jurisdiction", "as_of").unique()
    views: dict[tuple[str, Any], View] = {}
    view_of: list[str] = []
    for j, on in keys.iter_rows():
        view = lib.select(j, on)
        views[(view.pack, view.period)] = view
        view_of.append(f"{view.pack}|{view.period[0]}")
    keys = keys.with_columns(pl.Series("_view", view_of))
    df = df.join(keys, on=["jurisdiction", "as_of"], how="left", nulls_equal=True)
    by_key = {f"{v.pack}|{v.period[0]}": v for v in views.values()}
    parts = []
    for (vkey, code), part in df.partition_by(["_view", "crime"], as_dict=True).items():
        view = by_key[vkey]
        crime = view.crimes.get(code)
        if crime is None:
            first = part["_row"][0]
            if code in view.absent_crimes:
                raise InvalidInput(
                    f"crime {code!r} has no guideline ({view.absent_crimes[code]})",
                    field="crime",
                    row=first,
                )
            raise UnknownCode(
                f"unknown crime {code!r}",
                field="crime",
                allowed=", ".join(sorted(view.crimes)),
                row=first,
            )
        parts.append(_crime_frame(view, crime, part).select("_row", *OUT_COLUMNS))
    out = pl.concat(parts, how="vertical_relaxed").sort("_row") if parts else None
    base = df.drop("_view")
    if out is None:
        return base.drop("_row").with_columns(
            [pl.lit(None, t).alias(n) for n, t in OUT_COLUMNS.items()]
        )
    return base.join(out, on="_row", how="left", maintain_order="left").drop("_row")


def inputs_to_frame(cases: list[dict[str, Any]], *, lib: Library | None = None) -> pl.DataFrame:
    """The table form of per-case inputs (aliases resolved, default percentages as NaN)."""
    lib = lib or default_library()
    rows: list[dict[str, Any]] = []
    for raw in cases:
        _, crime, on = pick_view(lib, raw)
        row: dict[str, Any] = {
            "crime": crime.code,
            "as_of": on,
            "jurisdiction": raw.get("jurisdiction"),
        }
        row.update(raw.get("facts") or {})
        minor = bool((raw.get("facts") or {}).get("minor_crime"))
        given = {
            (c if isinstance(c, str) else c["code"]): c for c in raw.get("circumstances") or []
        }
        for circ, pct, alias in check_circumstances(crime, raw.get("circumstances"), minor):
            item = given[alias or circ.code]
            explicit = isinstance(item, dict) and item.get("pct") is not None
            row[f"c_{circ.code}"] = pct if explicit else math.nan
        plea = raw.get("plea")
        row["plea_stage"] = plea["stage"] if plea else None
        row["plea_pct"] = plea.get("pct") if plea else None
        row["particularly_serious"] = bool(raw.get("particularly_serious", False))
        row["leniency_override"] = raw.get("leniency_override") is not None
        if raw.get("starting_point_months") is not None:
            row["starting_point_months"] = float(raw["starting_point_months"])
        rows.append(row)
    schema: dict[str, Any] = {
        "as_of": pl.Date,
        "jurisdiction": pl.String,
        "plea_stage": pl.String,
        "plea_pct": pl.Float64,
    }
    for row in rows:
        for k, v in row.items():
            if k.startswith("c_") or (isinstance(v, float) and k not in schema):
                schema.setdefault(k, pl.Float64)
    return pl.DataFrame(rows, schema_overrides=schema, infer_schema_length=None)


def result_row(r: dict[str, Any]) -> dict[str, Any]:
    """The vectorised columns of one per-case result (for comparisons)."""
    rec = r["recommendation"]
    fine = r["fine_yuan"]
    return {
        "pack": r["pack"],
        "tier": r["tier"]["id"],
        "starting_point": r["starting_point"],
        "baseline_months": r["baseline_months"],
        "adjusted_months": r["adjusted_months"],
        "proposed_months": r["proposed_months"],
        "definite_months": rec["definite_months"],
        "range_lo": rec["range_months"][0],
        "range_hi": rec["range_months"][1],
        "penalty_type": rec["penalty_type"],
        "below_minimum": any(s["kind"] == "below_minimum" for s in r["steps"]),
        "probation_eligible": r["probation_eligible"],
        "plea_pct_applied": None if r["plea"] is None else r["plea"]["pct"],
        "leniency_excluded": r["leniency_excluded"],
        "fine_min_yuan": None if fine is None else fine["min_yuan"],
        "fine_max_yuan": None if fine is None else fine["max_yuan"],
    }
