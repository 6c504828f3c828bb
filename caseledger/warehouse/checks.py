"""Row checks of an import: convert each value to its schema type and judge it by the rules.

Owns the checks that need nothing but the row itself — types, required values, vocabularies,
formats, bounds, dates in range and in legal order, columns present only with another, the crime
catalogue, region codes and the agencies that belong to a region — and the checks across the
rows of one import (the same key twice). Each check is one vectorised expression over a chunk
(Polars), never a Python loop over rows; a failing row yields one *reject*: row number, field,
check id, the value as read and a reason a person can act on. A row may fail several checks;
it is rejected once, with every reason listed.

Checks against the warehouse (a defendant already there, an event's defendant) are in
:mod:`.importer`, which holds the transaction.

Must never: drop or alter a row silently, or report a check that depends on a value that could
not be read (the unreadable value is the one reason given).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import polars as pl
import pyarrow as pa

from caseledger.case import catalogue
from caseledger.warehouse import rules as rules_mod
from caseledger.warehouse.schema import PARTITION_KEY, TABLES
from caseledger.warehouse.sources import ROW

RAW = "_raw_"
REJECT_SCHEMA = {
    ROW: pl.Int64,
    "field": pl.String,
    "check": pl.String,
    "value": pl.String,
    "reason": pl.String,
}
_INT_BOUNDS = {"int16": (-(2**15), 2**15 - 1), "int32": (-(2**31), 2**31 - 1)}
_LIST_AT_MOST = 8


CHECKS: dict[str, str] = {
    "column": "the file's header: a column missing, unknown or repeated (the file is refused)",
    "fields": "a CSV record with more or fewer fields than the header",
    "json": "a JSONL line that is not a JSON object",
    "type": "the value cannot be read as the column's type",
    "required": "a required column is empty",
    "vocabulary": "not one of the documented values",
    "format": "does not match the documented id format",
    "range": "an integer or date outside its bounds",
    "presence": "given when it must be empty, or empty when it is required",
    "order": "a date (or number) before the one that must precede it",
    "crime_code": "not in the crime catalogue",
    "crime_group": "not a catalogue group, or not the group of the crime",
    "catalogue": "not an installed sentencing pack",
    "region": "not a valid region code, inconsistent codes, or a county the warehouse lacks",
    "agency": "an agency or official that does not belong to the region or agency",
    "partition": "a `year` column that is not the cohort year",
    "duplicate": "the key twice in the import, or already in the warehouse",
    "defendant": "an event whose defendant is unknown, or whose case or county differ",
}


@dataclass(frozen=True)
class Check:
    """One check: rows where ``fails`` is true are rejected with ``reason`` under ``field``."""

    field: str
    check: str
    fails: pl.Expr
    reason: pl.Expr | str
    value: pl.Expr | None = None

    def __post_init__(self) -> None:
        assert self.check in CHECKS, self.check


def empty_rejects() -> pl.DataFrame:
    return pl.DataFrame(schema=REJECT_SCHEMA)


def _polars_type(typ: pa.DataType) -> pl.DataType:
    return pl.from_arrow(pa.array([], typ)).dtype  # type: ignore[union-attr]


def _missing(col: str, raw: pl.DataType) -> pl.Expr:
    """No value: null, or empty text."""
    r = pl.col(RAW + col)
    if raw == pl.String:
        return r.is_null() | (r.str.len_bytes() == 0)
    return r.is_null()


_TRUE = ["true", "True", "TRUE", "1"]
_FALSE = ["false", "False", "FALSE", "0"]


def _parse(col: str, raw: pl.DataType, typ: pa.DataType) -> tuple[pl.Expr, str]:
    """The value of one column in its schema type (null where it cannot be read), and the
    reason given when it cannot. Text is taken as written (no trimming)."""
    r = pl.col(RAW + col)
    target = _polars_type(typ)
    if raw == target:
        return r, ""
    if raw == pl.String:
        if pa.types.is_string(typ):
            return pl.when(r.str.len_bytes() == 0).then(None).otherwise(r), ""
        if pa.types.is_integer(typ):
            return r.str.to_integer(strict=False), "not an integer"
        if pa.types.is_date(typ):
            return r.str.to_date("%Y-%m-%d", strict=False), "not a date (expected YYYY-MM-DD)"
        if pa.types.is_boolean(typ):
            value = pl.when(r.is_in(_TRUE)).then(True).when(r.is_in(_FALSE)).then(False)
            return value.otherwise(None), "not true or false"
    value = r.cast(target, strict=False)
    if raw.is_float() and target.is_integer():
        value = pl.when(r == r.round(0)).then(value).otherwise(None)
    return value, f"not a valid {typ} (the file has {raw})"


def _typed(frame: pl.DataFrame, fields: list[pa.Field]) -> tuple[pl.DataFrame, list[Check]]:
    """Add each field's typed value and ``_miss_<col>``; return the type checks."""
    first, narrow, out = [], [], []
    for f in fields:
        raw = frame.schema[RAW + f.name]
        value, reason = _parse(f.name, raw, f.type)
        first.append(_missing(f.name, raw).alias("_miss_" + f.name))
        bounds = _INT_BOUNDS.get(str(f.type))
        if bounds and raw != _polars_type(f.type):
            wide_value, reason = _parse(f.name, raw, pa.int64())
            first.append(wide_value.alias("_wide_" + f.name))
            wide = pl.col("_wide_" + f.name)
            fits = pl.when(wide.is_between(*bounds)).then(wide).otherwise(None)
            narrow.append(fits.cast(_polars_type(f.type)).alias(f.name))
            reason_expr: pl.Expr | str = (
                pl.when(wide.is_null())
                .then(pl.lit(reason))
                .otherwise(pl.lit(f"too large for {f.type}"))
            )
        else:
            first.append(value.alias(f.name))
            reason_expr = reason
        failed = ~pl.col("_miss_" + f.name) & pl.col(f.name).is_null()
        out.append(Check(f.name, "type", failed, reason_expr))
    frame = frame.with_columns(first)
    if narrow:
        frame = frame.with_columns(narrow)
    return frame, out


COUNTY_OK = "_county_ok"


def _region_checks(table: rules_mod.TableRules, names: list[str]) -> tuple[list[Check], pl.Expr]:
    """Region code checks, and the expression "the county code is valid" (``COUNTY_OK``) that
    guards every check derived from the county, so one bad county gives one reason."""
    out: list[Check] = []
    provinces = list(rules_mod.load().province_prefixes.codes)
    shapes = {
        "county": (r"^[0-9]{6}$", "not a county code (six digits PPCCXX, CC and XX not 00)"),
        "prefecture": (r"^[0-9]{4}00$", "not a prefecture code (six digits PPCC00, CC not 00)"),
        "province": (r"^[0-9]{2}0000$", "not a province code (six digits PP0000)"),
    }
    by_level = {r.region: c for c, r in table.columns.items() if r.region and c in names}
    county_ok: pl.Expr = pl.lit(False)
    for level, col in by_level.items():
        v = pl.col(col)
        pattern, reason = shapes[level]
        shape = v.str.contains(pattern)
        if level in ("county", "prefecture"):
            shape = shape & (v.str.slice(2, 2) != "00")
        if level == "county":
            shape = shape & (v.str.slice(4, 2) != "00")
        out.append(Check(col, "region", v.is_not_null() & ~shape, reason))
        prefix = v.str.slice(0, 2)
        known = prefix.is_in(provinces)
        out.append(
            Check(
                col,
                "region",
                v.is_not_null() & shape & ~known,
                pl.concat_str(pl.lit("unknown province prefix "), prefix, pl.lit(" (GB/T 2260)")),
            )
        )
        if level == "county":
            county_ok = (shape & known).fill_null(False)
    county = by_level.get("county")
    for level, width in (("prefecture", 4), ("province", 2)):
        col = by_level.get(level)
        if county and col:
            expected = pl.col(county).str.slice(0, width) + "0" * (6 - width)
            out.append(
                Check(
                    col,
                    "region",
                    pl.col(COUNTY_OK) & (pl.col(col) != expected),
                    pl.concat_str(
                        pl.lit(f"does not match {county} (expected "), expected, pl.lit(")")
                    ),
                )
            )
    return out, county_ok


def _agency_checks(names: list[str]) -> list[Check]:
    """Agencies and officials belong to the case's region (the id formats of docs/warehouse.md)."""
    c = pl.col
    out: list[Check] = []
    have = set(names)
    ok = c(COUNTY_OK)
    if {"police_agency_id", "county_code"} <= have:
        expected = "PSB" + c("county_code")
        out.append(
            Check(
                "police_agency_id",
                "agency",
                ok & (c("police_agency_id") != expected),
                pl.concat_str(pl.lit("not the county's police ("), expected, pl.lit(")")),
            )
        )
    prefecture = c("county_code").str.slice(0, 4) + "00"
    for col, prefix, what in (
        ("procuratorate_id", "PRO", "procuratorate"),
        ("court_id", "CRT", "court"),
    ):
        if {col, "county_code"} <= have:
            own, branch = prefix + c("county_code"), prefix + prefecture
            out.append(
                Check(
                    col,
                    "agency",
                    ok & (c(col) != own) & (c(col) != branch),
                    pl.concat_str(
                        pl.lit(f"not the county's or the prefecture's {what} ("),
                        own,
                        pl.lit(" or "),
                        branch,
                        pl.lit(")"),
                    ),
                )
            )
    if {"court_level", "court_id", "county_code"} <= have:
        basic = c("court_id") == "CRT" + c("county_code")
        level = pl.when(basic).then(pl.lit("basic")).otherwise(pl.lit("intermediate"))
        court_ok = basic | (c("court_id") == "CRT" + prefecture)
        out.append(
            Check(
                "court_level",
                "agency",
                ok
                & court_ok
                & c("court_level").is_in(["basic", "intermediate"])
                & (c("court_level") != level),
                pl.concat_str(pl.lit("does not match court_id (expected "), level, pl.lit(")")),
            )
        )
    for official, agency in (
        ("investigator_id", "police_agency_id"),
        ("prosecutor_id", "procuratorate_id"),
        ("judge_id", "court_id"),
        ("actor_id", "agency_id"),
    ):
        if {official, agency} <= have:
            out.append(
                Check(
                    official,
                    "agency",
                    ~c(official).str.starts_with(c(agency) + "-"),
                    pl.concat_str(pl.lit(f"not an official of {agency} "), c(agency)),
                )
            )
    return out


@cache
def _crimes() -> tuple[list[str], dict[str, str], list[str]]:
    crimes = catalogue.catalogue()
    groups = {code: crime.crime_group for code, crime in crimes.items()}
    return list(crimes), groups, list(catalogue.CRIME_GROUPS)


@cache
def event_types() -> tuple[str, ...]:
    """The event types of the ledger's registry (every domain's)."""
    from caseledger.domains import load_all
    from caseledger.ledger import registry

    load_all()
    return tuple(sorted(t.name for t in registry.all_types() if not t.name.startswith("test.")))


def _catalogue_checks(table: rules_mod.TableRules, names: list[str]) -> list[Check]:
    codes, groups, group_names = _crimes()
    by = {r.catalogue: c for c, r in table.columns.items() if r.catalogue and c in names}
    out: list[Check] = []
    kind = by.get("ledger_event_type")
    if kind:
        out.append(
            Check(
                kind,
                "vocabulary",
                pl.col(kind).is_not_null() & ~pl.col(kind).is_in(list(event_types())),
                "unknown event type (see docs/reference/events.md)",
            )
        )
    code = by.get("crime_code")
    if code:
        v = pl.col(code)
        out.append(
            Check(
                code,
                "crime_code",
                v.is_not_null() & ~v.is_in(codes),
                "unknown crime code (see caseledger crimes)",
            )
        )
    group = by.get("crime_group")
    if group:
        g = pl.col(group)
        out.append(
            Check(
                group,
                "crime_group",
                g.is_not_null() & ~g.is_in(group_names),
                "unknown crime group; expected one of: " + ", ".join(group_names),
            )
        )
        if code:
            expected = pl.col(code).replace_strict(groups, default=None, return_dtype=pl.String)
            out.append(
                Check(
                    group,
                    "crime_group",
                    expected.is_not_null() & g.is_in(group_names) & (g != expected),
                    pl.concat_str(
                        pl.lit("does not match the catalogue ("),
                        pl.col(code),
                        pl.lit(" is "),
                        expected,
                        pl.lit(")"),
                    ),
                )
            )
    return out


@cache
def _packs() -> tuple[str, ...]:
    from caseledger.sentencing import packs  # loads and validates every pack: only when needed

    return tuple(sorted(k for k, p in packs.load_all().items() if not p.abstract))


def _pack_checks(table: rules_mod.TableRules, typed: pl.DataFrame) -> list[Check]:
    out = []
    for col, rule in table.columns.items():
        if rule.catalogue != "sentencing_pack" or col not in typed.columns:
            continue
        if typed[col].null_count() == typed.height:
            continue
        known = list(_packs())
        out.append(
            Check(
                col,
                "catalogue",
                ~pl.col(col).is_in(known),
                "unknown sentencing pack; expected one of: " + ", ".join(known),
            )
        )
    return out


def _order_checks(
    table: rules_mod.TableRules, names: list[str], kinds: dict[str, str]
) -> list[Check]:
    out: list[Check] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for chain in table.order:
        chain = tuple(c for c in chain if c in names)
        for i in range(1, len(chain)):
            col, before = chain[i], chain[:i][::-1]
            if (col, before) in seen:
                continue
            seen.add((col, before))
            prev = pl.coalesce([pl.col(b) for b in before])
            name = pl.when(pl.col(before[0]).is_not_null()).then(pl.lit(before[0]))
            for b in before[1:]:
                name = name.when(pl.col(b).is_not_null()).then(pl.lit(b))
            word = "before" if kinds[col] == "date" else "less than"
            out.append(
                Check(
                    col,
                    "order",
                    pl.col(col) < prev,
                    pl.concat_str(
                        pl.lit(f"{col} is {word} "),
                        name.otherwise(pl.lit("")),
                        pl.lit(" ("),
                        prev.cast(pl.String),
                        pl.lit(")"),
                    ),
                    pl.col(col).cast(pl.String),
                )
            )
    return out


def _vocabulary_reason(values: tuple[str, ...]) -> str:
    if len(values) > _LIST_AT_MOST:
        return f"unknown value; not one of the {len(values)} documented values (docs/warehouse.md)"
    return "unknown value; expected one of: " + ", ".join(values)


def row_checks(table_name: str, frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Convert a chunk (raw columns + ``_row``) and check each row on its own.

    Returns the converted chunk (``_row`` and the schema's columns, typed; a value that could
    not be read is null) and its rejects (``_row, field, check, value, reason``).
    """
    spec = TABLES[table_name]
    rules = rules_mod.load()
    table = rules.tables[table_name]
    names = spec.schema.names
    frame = frame.rename({c: RAW + c for c in frame.columns if c != ROW})
    for col in names:  # a JSONL stream may lack a key everywhere in a chunk
        if RAW + col not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(RAW + col))
    fields = list(spec.schema)
    if RAW + PARTITION_KEY in frame.columns:
        fields.append(pa.field(PARTITION_KEY, pa.int32()))
    typed, checks = _typed(frame, fields)
    kinds = {f.name: "date" if pa.types.is_date(f.type) else "other" for f in spec.schema}
    for f in spec.schema:
        if table.column(f.name).required:
            checks.append(
                Check(f.name, "required", pl.col("_miss_" + f.name), "missing value (required)")
            )

    for f in spec.schema:
        rule = table.column(f.name)
        v = pl.col(f.name)
        if rule.values:
            checks.append(
                Check(
                    f.name,
                    "vocabulary",
                    ~v.is_in(list(rule.values)),
                    _vocabulary_reason(rule.values),
                )
            )
        if rule.pattern:
            checks.append(
                Check(
                    f.name,
                    "format",
                    ~v.str.contains(rule.pattern),
                    f"does not match the format {rule.format or rule.pattern}",
                )
            )
        cite = f" ({rule.source})" if rule.source else ""
        if rule.min is not None:
            checks.append(Check(f.name, "range", v < rule.min, f"less than {rule.min}{cite}"))
        if rule.max is not None:
            checks.append(Check(f.name, "range", v > rule.max, f"more than {rule.max}{cite}"))
        if pa.types.is_date(f.type):
            lo, hi = rules.dates.min, rules.dates.max
            checks.append(Check(f.name, "range", (v < lo) | (v > hi), f"outside {lo} to {hi}"))
    for col, cond in table.present_when.items():
        if col not in names:
            continue
        present = ~pl.col("_miss_" + col)
        if cond.is_ == "present":
            flag = ~pl.col("_miss_" + cond.column)
            word = "given"
        else:
            flag = pl.col(cond.column) == cond.is_
            word = "true" if cond.is_ else "false"
        checks.append(
            Check(col, "presence", present & ~flag, f"must be empty unless {cond.column} is {word}")
        )
        checks.append(
            Check(col, "presence", ~present & flag, f"required when {cond.column} is {word}")
        )
    checks += _order_checks(table, names, kinds)
    checks += _catalogue_checks(table, names)
    checks += _pack_checks(table, typed)
    region, county_ok = _region_checks(table, names)
    typed = typed.with_columns(county_ok.alias(COUNTY_OK))
    checks += region
    checks += _agency_checks(names)
    if table_name == "defendants" and PARTITION_KEY in typed.columns:
        cohort = pl.col("registered_on").dt.year()
        checks.append(
            Check(
                PARTITION_KEY,
                "partition",
                pl.col(PARTITION_KEY).is_not_null() & (pl.col(PARTITION_KEY) != cohort),
                pl.concat_str(
                    pl.lit("does not match the year of registered_on ("),
                    cohort.cast(pl.String),
                    pl.lit(")"),
                ),
            )
        )
    rejects = collect_rejects(typed, checks)
    keep = [ROW, *names] + ([PARTITION_KEY] if PARTITION_KEY in typed.columns else [])
    return typed.select(keep), rejects


def collect_rejects(frame: pl.DataFrame, checks: list[Check]) -> pl.DataFrame:
    """Evaluate every check over ``frame`` at once and gather the failing rows' rejects."""
    if not checks or not frame.height:
        return empty_rejects()
    masks = frame.select([c.fails.fill_null(False).alias(f"_m{i}") for i, c in enumerate(checks)])
    hits = masks.select(pl.all().any())
    parts = []
    for i, check in enumerate(checks):
        if not hits[f"_m{i}"][0]:
            continue
        rows = frame.filter(masks[f"_m{i}"])
        value = check.value
        if value is None:
            raw = RAW + check.field
            value = pl.col(raw if raw in frame.columns else check.field).cast(pl.String)
        reason = check.reason if isinstance(check.reason, pl.Expr) else pl.lit(check.reason)
        parts.append(
            rows.select(
                pl.col(ROW),
                pl.lit(check.field).alias("field"),
                pl.lit(check.check).alias("check"),
                value.alias("value"),
                reason.alias("reason"),
            )
        )
    if not parts:
        return empty_rejects()
    return pl.concat(parts).cast(REJECT_SCHEMA)  # type: ignore[arg-type]


def duplicate_checks(frame: pl.DataFrame, key: tuple[str, ...]) -> pl.DataFrame:
    """Rejects for rows sharing ``key`` with another row of the import (all of them)."""
    keyed = frame.filter(pl.all_horizontal([pl.col(k).is_not_null() for k in key]))
    dup = keyed.filter(pl.struct(list(key)).is_duplicated())
    if not dup.height:
        return empty_rejects()
    shown = 5
    groups = dup.group_by(list(key)).agg(
        pl.len().alias("n"),
        pl.col(ROW).sort().head(shown).cast(pl.String).str.join(", ").alias("rows"),
    )
    joined = dup.join(groups, on=list(key))
    label = " and ".join(key)
    value = pl.concat_str([pl.col(k).cast(pl.String) for k in key], separator=" ")
    more = pl.when(pl.col("n") > shown).then(pl.lit(", …")).otherwise(pl.lit(""))
    return joined.select(
        pl.col(ROW),
        pl.lit(key[-1]).alias("field"),
        pl.lit("duplicate").alias("check"),
        value.alias("value"),
        pl.concat_str(
            pl.lit(f"{label} repeated in this import: "),
            pl.col("n").cast(pl.String),
            pl.lit(" rows (rows "),
            pl.col("rows"),
            more,
            pl.lit(")"),
        ).alias("reason"),
    ).cast(REJECT_SCHEMA)  # type: ignore[arg-type]
