"""The indicator cube: one query over the warehouse, every statistic afterwards on the cube.

The cube holds, for each date family (registration, arrest decision, prosecution decision,
judgment, disposition ...), the count of defendants for every measure by

    province × prefecture × county × police agency × procuratorate × court
             × crime group × procedure × month

and, for each histogram, the same counts split by an integer value (days), so that medians
and 90th percentiles are exact and stay additive. All families are aggregated by **one** SQL
statement (a ``UNION ALL`` of one ``GROUP BY`` per family, compiled by Ibis for DuckDB or Spark)
and fetched in batches into compact Polars frames (categorical keys, 32-bit counts). Funnels,
trends and tables then read the cube in milliseconds; nothing goes back to the warehouse
(``shared/analytics.md`` §3.5, §5).

Callers may add measures, histograms and families of their own (``extra=``) so that, e.g., the
data-integrity audit's histograms ride the same scan.

Must never: order units by a value, or keep a defendant-level row.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from caseledger.analytics import engine as engines
from caseledger.analytics import indicators as ind
from caseledger.analytics.indicators.base import Family, Measure
from caseledger.errors import InvalidInput, UnknownCode

# unit key of the cube -> warehouse column; regions are kept apart (county -> prefecture, province)
KEY_COLUMNS: dict[str, str] = {
    "county": "county_code",
    "police": "police_agency_id",
    "procuratorate": "procuratorate_id",
    "court": "court_id",
    "crime_group": "crime_group",
    "procedure": "procedure",
}
REGION_COLUMNS: dict[str, str] = {
    "province": "province_code",
    "prefecture": "prefecture_code",
    "county": "county_code",
}
KEYS: tuple[str, ...] = (*KEY_COLUMNS, "month")
_UNION = ("part", "province", "prefecture", *KEY_COLUMNS, "month", "value")
_RESERVED = {*_UNION, "count", "unit", "period", "numerator", "denominator"}
AGENCY_KEYS: tuple[str, ...] = ("police", "procuratorate", "court")
NATIONAL = "national"  # the level of the whole country
ALL_UNITS = "all"  # its one unit
REGIONS = "regions"
CUBE_FORMAT = "caseledger-cube"
CUBE_VERSION = 2  # 2: marginals (grouping sets) beside or instead of the full frames


@dataclass(frozen=True)
class Plan:
    """What the one cube query computes: per family, its measures."""

    schema_version: int
    families: tuple[Family, ...]
    measures: dict[str, tuple[Measure, ...]]

    def measure_family(self) -> dict[str, str]:
        """Measure name -> the id of its family."""
        return {m.name: fid for fid, ms in self.measures.items() for m in ms}

    @property
    def width(self) -> int:
        return max([len(m) for m in self.measures.values()] + [1])


def plan(schema_version: int, extra: Iterable[Measure | Family] = ()) -> Plan:
    """The measures of every indicator a ``schema_version`` warehouse can feed, plus ``extra``
    measures (and the families they need)."""
    families: dict[str, Family] = {
        k: f for k, f in ind.FAMILIES.items() if f.min_schema <= schema_version
    }
    measures: dict[str, Measure] = {}

    def add_measure(m: Measure) -> None:
        if m.name in _RESERVED or not m.name:
            raise InvalidInput(f"measure name {m.name!r} is reserved by the cube", field="measure")
        if m.name in measures and measures[m.name] is not m:
            raise InvalidInput(f"two different measures are named {m.name!r}", field="measure")
        if m.min_schema > schema_version:
            raise InvalidInput(
                f"measure {m.name!r} needs warehouse schema version {m.min_schema}",
                field="measure",
            )
        if m.family not in families:
            raise InvalidInput(
                f"measure {m.name!r} names an unknown family {m.family!r}", field="family"
            )
        measures[m.name] = m

    extra = list(extra)
    for item in extra:
        if isinstance(item, Family):
            if item.id == REGIONS or (item.id in families and families[item.id] is not item):
                raise InvalidInput(f"family name {item.id!r} is taken", field="family")
            families[item.id] = item
    for i in ind.all_indicators(schema_version=schema_version):
        for m in i.measures:
            add_measure(m)
    for item in extra:
        if isinstance(item, Measure):
            add_measure(item)
        elif not isinstance(item, Family):
            raise InvalidInput("extra items must be measures or families", field="extra")
    by_family = {fid: tuple(m for m in measures.values() if m.family == fid) for fid in families}
    used = tuple(f for f in families.values() if by_family[f.id])
    return Plan(schema_version, used, {f.id: by_family[f.id] for f in used})


def month_expr(date: Any) -> Any:
    """The month number (year × 12 + month − 1) of a date expression (Ibis)."""
    return (date.year() * 12 + date.month() - 1).cast("int32")


def _select(agg: Any, index: int, filled: dict[str, Any], width: int, used: int) -> Any:
    import ibis

    nulls: dict[str, Any] = {
        "province": ibis.null("string"),
        "prefecture": ibis.null("string"),
        **{k: ibis.null("string") for k in KEY_COLUMNS},
        "month": ibis.null("int32"),
        "value": ibis.null("int32"),
    }
    fill = {k: v for k, v in nulls.items() if k not in filled}
    pad = {f"m{i}": ibis.literal(0, "int32") for i in range(used, width)}
    agg = agg.mutate(part=ibis.literal(index, "int32"), **fill, **pad)
    return agg.select(*_UNION, *(f"m{i}" for i in range(width)))


def cube_expression(table: Any, the_plan: Plan, *, regions: bool = True) -> Any:
    """The one Ibis expression: a union of one aggregate per family, plus the region map."""
    import ibis

    width = the_plan.width
    branches = []
    for index, fam in enumerate(the_plan.families):
        t = table.filter(fam.date(table).notnull())
        if fam.value is not None:
            t = t.filter(fam.value(t).notnull())
        keys = {k: t[c] for k, c in KEY_COLUMNS.items()}
        keys["month"] = month_expr(fam.date(t))
        if fam.value is not None:
            keys["value"] = fam.value(t).cast("int32")
        ms = the_plan.measures[fam.id]
        agg = t.group_by(**keys).aggregate(
            # a null condition counts as false; fill_null keeps Spark's SUM from returning null
            **{
                f"m{i}": t.count(where=m.where(t).fill_null(False)).cast("int32")
                for i, m in enumerate(ms)
            }
        )
        branches.append(_select(agg, index, keys, width, len(ms)))
    if regions:
        counties = table.group_by(**{k: table[c] for k, c in REGION_COLUMNS.items()}).aggregate(
            m0=table.count().cast("int32")
        )
        branches.append(_select(counties, len(the_plan.families), dict(REGION_COLUMNS), width, 1))
    return branches[0] if len(branches) == 1 else ibis.union(*branches, distinct=False)


def unbound_defendants(schema_version: int) -> Any:
    """An Ibis table with the warehouse's defendants columns and no data (to compile SQL)."""
    import ibis
    import pyarrow as pa

    from caseledger.analytics.source import KNOWN_SCHEMA_VERSIONS
    from caseledger.warehouse import schema as wschema

    types = {f.name: f.type for f in wschema.DEFENDANTS.schema}
    arrow = pa.schema([(c, types[c]) for c in KNOWN_SCHEMA_VERSIONS[schema_version]])
    return ibis.table(ibis.Schema.from_pyarrow(arrow), name="defendants")


def cube_sql(schema_version: int, *, dialect: str = "duckdb", extra: Sequence[Any] = ()) -> str:
    """The SQL of the cube query for ``dialect`` (``duckdb`` or ``pyspark``)."""
    import ibis

    expr = cube_expression(unbound_defendants(schema_version), plan(schema_version, extra))
    return str(ibis.to_sql(expr, dialect=dialect))


def indicator_expression(table: Any, indicator: Any) -> Any:
    """One indicator on its own: its numerator and denominator by the cube's keys and month (the
    same expressions the cube evaluates), e.g. to log the query behind a published figure."""
    the_plan = Plan(
        1, (ind.FAMILIES[indicator.family],), {indicator.family: tuple(indicator.measures)}
    )
    return cube_expression(table, the_plan, regions=False)


def indicator_sql(
    indicator_id: str, *, dialect: str = "duckdb", schema_version: int | None = None
) -> str:
    """The SQL of one indicator for ``dialect`` (``duckdb`` or ``pyspark``), against the
    defendants columns of ``schema_version`` (default: the latest this code reads)."""
    import ibis

    from caseledger.analytics.source import KNOWN_SCHEMA_VERSIONS

    version = max(KNOWN_SCHEMA_VERSIONS) if schema_version is None else schema_version
    expr = indicator_expression(unbound_defendants(version), ind.get(indicator_id))
    return str(ibis.to_sql(expr, dialect=dialect))


@dataclass
class Cube:
    """Counts of defendants by unit × month × crime group × procedure, one frame per family
    (with a ``value`` column where the family has one), and the region map."""

    schema_version: int
    counts: dict[str, pl.DataFrame]  # family id -> keys (+ value) + one column per measure
    regions: pl.DataFrame  # province, prefecture, county, defendants
    measure_family: dict[str, str]  # measure name -> family id
    source: dict[str, Any] = field(default_factory=dict)  # warehouse, engine, built, seconds
    # family id -> key set -> counts by those keys (:mod:`caseledger.analytics.marginals`)
    marginals: dict[str, dict[tuple[str, ...], pl.DataFrame]] = field(default_factory=dict)

    def frame(self, measure: str) -> pl.DataFrame | None:
        """The full family frame holding ``measure`` (None when the cube does not have it, or
        holds only marginals)."""
        fam = self.measure_family.get(measure)
        return None if fam is None else self.counts.get(fam)

    def has(self, measure: str) -> bool:
        """Whether the cube counts ``measure`` (in a full frame or in marginals)."""
        fam = self.measure_family.get(measure)
        return fam is not None and (fam in self.counts or fam in self.marginals)

    def region(self, code: str) -> tuple[str, list[str]]:
        """The level of a region ``code`` (province, prefecture or county) and its counties."""
        for level in REGION_COLUMNS:
            hit = self.regions.filter(pl.col(level) == code)
            if hit.height:
                return level, hit["county"].to_list()
        raise UnknownCode(f"unknown region code {code!r} (not in this warehouse)", field="region")

    def total(self, measure: str) -> int:
        """The number of defendants ``measure`` counts over the whole cube."""
        fam = self.measure_family.get(measure)
        if fam is None:
            raise InvalidInput(f"the cube has no measure {measure!r}", field="measure")
        if fam in self.counts:
            return int(self.counts[fam].get_column(measure).sum())
        frames = [f for k, f in self.marginals.get(fam, {}).items() if "value" not in k]
        if not frames:
            raise InvalidInput(f"the cube holds no counts of {measure!r}", field="measure")
        return int(min(frames, key=lambda f: f.height).get_column(measure).sum())

    def months(self, family: str) -> list[int]:
        """The month numbers (a year's first month where only years are kept) the cube holds for
        ``family``, ascending."""
        if family in self.counts:
            found = set(self.counts[family].get_column("month").unique().to_list())
        else:
            found = set()
            for keys, frame in self.marginals.get(family, {}).items():
                col = "month" if "month" in keys else "year"
                got = frame.get_column(col).drop_nulls().unique().to_list()
                found |= {int(x) if col == "month" else int(x) * 12 for x in got}
        return sorted(int(m) for m in found if m is not None)

    def _frames(self) -> list[pl.DataFrame]:
        return [*self.counts.values(), *(f for m in self.marginals.values() for f in m.values())]

    @property
    def rows(self) -> int:
        return sum(f.height for f in self._frames())

    def estimated_bytes(self) -> int:
        return sum(f.estimated_size() for f in self._frames())

    def save(self, path: str | Path) -> Path:
        """Write the cube as Parquet files plus ``cube.json``."""
        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        for name, frame in self.counts.items():
            frame.write_parquet(out / f"family-{name}.parquet")
        self.regions.write_parquet(out / "regions.parquet")
        marginals: dict[str, list[list[str]]] = {}
        for fam, sets in self.marginals.items():
            marginals[fam] = []
            for keys, frame in sets.items():
                frame.write_parquet(out / f"marginal-{fam}-{'.'.join(keys)}.parquet")
                marginals[fam].append(list(keys))
        meta = {
            "format": CUBE_FORMAT,
            "cube_version": CUBE_VERSION,
            "schema_version": self.schema_version,
            "measure_family": self.measure_family,
            "families": sorted(self.counts),
            "marginals": marginals,
            "source": self.source,
        }
        (out / "cube.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
        return out

    @classmethod
    def load(cls, path: str | Path) -> Cube:
        """Read a cube written by :meth:`save`."""
        where = Path(path)
        try:
            meta = json.loads((where / "cube.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise InvalidInput(
                "not a saved indicator cube (no readable cube.json)", path=str(where)
            ) from None
        if meta.get("format") != CUBE_FORMAT or meta.get("cube_version") not in (1, CUBE_VERSION):
            raise InvalidInput("unknown cube format or version", path=str(where))
        try:
            counts = {f: pl.read_parquet(where / f"family-{f}.parquet") for f in meta["families"]}
            marginals = {
                fam: {
                    tuple(keys): pl.read_parquet(where / f"marginal-{fam}-{'.'.join(keys)}.parquet")
                    for keys in sets
                }
                for fam, sets in meta.get("marginals", {}).items()
            }
            regions = pl.read_parquet(where / "regions.parquet")
        except (OSError, pl.exceptions.PolarsError) as exc:
            raise InvalidInput(
                "a file of the saved cube is missing or unreadable",
                path=str(where),
                reason=str(exc).splitlines()[0],
            ) from None
        return cls(
            meta["schema_version"],
            counts,
            regions,
            meta["measure_family"],
            meta.get("source", {}),
            marginals,
        )


def _frame(batch: Any, keys: Sequence[str], extra: Sequence[str], names: dict[str, str]) -> Any:
    """One part of a result batch as a compact Polars frame: categorical keys, int32 counts."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cols = {k: pc.dictionary_encode(batch.column(k)) for k in keys}
    cols |= {c: batch.column(c) for c in extra}
    cols |= {new: batch.column(old) for old, new in names.items()}
    return pl.from_arrow(pa.table(cols))


def _empty(keys: Sequence[str], extra: Sequence[str], names: Sequence[str]) -> pl.DataFrame:
    schema: dict[str, Any] = dict.fromkeys(keys, pl.Categorical)
    schema |= dict.fromkeys([*extra, *names], pl.Int32)
    return pl.DataFrame(schema=schema)


def build_cube(warehouse: Any, *, extra: Sequence[Measure | Family] = ()) -> Cube:
    """Scan ``warehouse`` (from :func:`caseledger.analytics.source.open_warehouse`) with one
    query and return the cube of every indicator it can feed, plus ``extra`` measures."""
    import pyarrow.compute as pc

    the_plan = plan(warehouse.schema_version, extra)
    expr = cube_expression(warehouse.defendants, the_plan)
    layouts: list[tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]] = []
    for fam in the_plan.families:
        names = {f"m{i}": m.name for i, m in enumerate(the_plan.measures[fam.id])}
        layouts.append((tuple(KEY_COLUMNS), ("month", "value") if fam.value else ("month",), names))
    layouts.append((tuple(REGION_COLUMNS), (), {"m0": "defendants"}))
    pieces: list[list[pl.DataFrame]] = [[] for _ in layouts]
    started = time.perf_counter()
    for batch in engines.record_batches(warehouse.backend, warehouse.engine, expr):
        part = batch.column("part")
        for index in pc.unique(part).to_pylist():
            sub = batch.filter(pc.equal(part, index))
            pieces[index].append(_frame(sub, *layouts[index]))
    seconds = time.perf_counter() - started
    frames = [
        pl.concat(p) if p else _empty(k, e, list(n.values()))
        for p, (k, e, n) in zip(pieces, layouts, strict=True)
    ]
    counts = {fam.id: frames[i] for i, fam in enumerate(the_plan.families)}
    regions = (
        frames[-1].with_columns(pl.col(c).cast(pl.String) for c in REGION_COLUMNS).sort("county")
    )
    return Cube(
        schema_version=warehouse.schema_version,
        counts=counts,
        regions=regions,
        measure_family=the_plan.measure_family(),
        source=source_of(warehouse, seconds),
    )


def source_of(warehouse: Any, seconds: float, **more: Any) -> dict[str, Any]:
    """A cube's ``source``: the warehouse and engine it was built from, when, in how long."""
    return {
        "warehouse": str(warehouse.path),
        "engine": warehouse.engine,
        "built": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": round(seconds, 3),
        "defendants": warehouse.rows,
        **more,
    }


def region_map(warehouse: Any) -> pl.DataFrame:
    """Province, prefecture and county of every county in ``warehouse``, with its defendants
    (the ``regions`` frame of a cube), in county-code order."""
    import pyarrow as pa

    table = warehouse.defendants
    expr = table.group_by(**{k: table[c] for k, c in REGION_COLUMNS.items()}).aggregate(
        defendants=table.count().cast("int32")
    )
    batches = list(engines.record_batches(warehouse.backend, warehouse.engine, expr))
    if not batches:
        return _empty((), tuple(REGION_COLUMNS), ("defendants",)).with_columns(
            pl.col(c).cast(pl.String) for c in REGION_COLUMNS
        )
    frame = pl.from_arrow(pa.Table.from_batches(batches))
    assert isinstance(frame, pl.DataFrame)
    return frame.with_columns(pl.col(c).cast(pl.String) for c in REGION_COLUMNS).sort("county")
