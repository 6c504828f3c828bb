"""Benchmark of the indicator pass (issue 6): DuckDB against pandas, PostgreSQL and Spark.

    python bench/bench_analytics.py --warehouse /tmp/dwh/w10                  # DuckDB only
    python bench/bench_analytics.py --warehouse DIR --pandas --postgres --spark
    python bench/bench_analytics.py --warehouse DIR --baseline-years 2024     # baselines on a year

The measured pass is what ``caseledger report`` needs from the analytics: the cube (one scan),
every indicator at every unit level by month, every funnel (rate indicators × unit levels, the
last registration year) and one trend. In the same run, the same indicator set (rates and exact
nearest-rank quantiles of every indicator × every unit level × month) is computed

- with **pandas** on the same Parquet files, as a notebook would: read the needed columns, one
  boolean column per measure, ``groupby(level, month).sum()`` per level (the measures' Ibis
  definitions are evaluated on pandas columns by a small shim, so the conditions are the same);
- with plain **SQL on PostgreSQL**: the defendants table loaded once with COPY (not timed) into
  the schema ``perf_bench`` of the ``test`` database, then one ``GROUP BY`` query per family and
  level (the same definitions compiled by Ibis for PostgreSQL) and ``percentile_disc`` for the
  quantiles;
- with the **Spark** engine: the same cube and query layer on a local[2] session (on the
  baseline data).

The baselines' numbers are checked against DuckDB's (every level and month of two indicators,
and the national monthly figures of all), then the ratios are printed. ``--baseline-years``
restricts the baselines — and a DuckDB pass on the same files, for the ratio — to some year
partitions when the full warehouse does not fit pandas' memory.
"""

from __future__ import annotations

import argparse
import io
import math
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from caseledger.analytics import cube as cubes
from caseledger.analytics import indicators, marginals, periods, query, reporting, source

LEVEL_COLUMNS = {
    "national": None,
    "province": "province_code",
    "prefecture": "prefecture_code",
    "county": "county_code",
    "police": "police_agency_id",
    "procuratorate": "procuratorate_id",
    "court": "court_id",
    "crime_group": "crime_group",
    "procedure": "procedure",
}
SCHEMA = "perf_bench"
# The report's indicator set: every rate at each level by the period the report reads it at
# (regions and the nation by month — trends, monitoring; agencies and case types by year —
# funnels, case types), and the days quantiles nationally and by case type, by year.
RATE_GRAIN = {
    "national": "month",
    "province": "month",
    "prefecture": "month",
    "county": "month",
    "police": "year",
    "procuratorate": "year",
    "court": "year",
    "crime_group": "year",
    "procedure": "year",
}
QUANTILE_LEVELS = ("national", "crime_group", "procedure")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def timed(label: str, fn: Callable[[], Any], rows: list[list[str]], note: str = "") -> Any:
    wall, c0, l0 = time.perf_counter(), cpu(), load()
    out = fn()
    wall, used = time.perf_counter() - wall, cpu() - c0
    rows.append([label, f"{wall:.1f}", f"{used:.1f}", f"{rss_mb() / 1024:.2f}", l0, note])
    print(f"  {label}: {wall:.1f} s wall, {used:.1f} s CPU, load {l0} {note}", flush=True)
    return out, wall


# ---- the measured pass (any engine) ----------------------------------------------------------


def indicator_pass(wh: source.Warehouse) -> tuple[cubes.Cube, dict[str, float]]:
    """The report's cube (its marginals, one scan), its indicator set (every indicator at every
    level by the period the report shows it at), its funnels (rate indicators × the report's
    levels, the last registration year) and one county's trend; seconds of each."""
    out: dict[str, float] = {}
    opts = reporting.ReportOptions()
    t = time.perf_counter()
    cube = marginals.build_marginal_cube(
        wh, marginals.report_grain(opts.levels, opts.monitor_level)
    )
    out["cube"] = time.perf_counter() - t
    specs = indicators.all_indicators(schema_version=cube.schema_version)
    rate_ids = [i.id for i in specs if i.kind == "rate"]
    quantile_ids = [i.id for i in specs if i.kind == "quantiles"]
    t = time.perf_counter()
    tables = {}
    for level, grain in RATE_GRAIN.items():
        for table in query.tables(cube, rate_ids, level=level, period=grain):
            tables[(table.indicator, level)] = table.rows.height
    for level in QUANTILE_LEVELS:
        for table in query.tables(cube, quantile_ids, level=level, period="year"):
            tables[(table.indicator, level)] = table.rows.height
    out["tables"] = time.perf_counter() - t
    t = time.perf_counter()
    last = reporting.registration_years(cube)[-1]
    funnels = 0
    for level in opts.levels:
        funnels += len(reporting.funnels(cube, rate_ids, level=level, year=last))
    out["funnels"] = time.perf_counter() - t
    t = time.perf_counter()
    county = query.compute(cube, "plea_rate", level="county").rows["unit"][0]
    query.trend(cube, "plea_rate", level="county", unit=county)
    out["trend"] = time.perf_counter() - t
    out["n_tables"] = len(tables)
    out["n_funnels"] = funnels
    return cube, out


# ---- pandas -------------------------------------------------------------------------------


class _PCol:
    """The part of Ibis's column API the indicator definitions use, on a pandas Series."""

    def __init__(self, s: Any) -> None:
        self.s = s

    def _w(self, other: Any) -> Any:
        return other.s if isinstance(other, _PCol) else other

    def notnull(self) -> _PCol:
        return _PCol(self.s.notna())

    def isnull(self) -> _PCol:
        return _PCol(self.s.isna())

    def fill_null(self, v: Any) -> _PCol:
        return _PCol(self.s.fillna(v))

    def isin(self, values: Sequence[Any]) -> _PCol:
        return _PCol(self.s.isin(list(values)))

    def delta(self, other: _PCol, unit: str = "day") -> _PCol:
        assert unit == "day"
        return _PCol((self.s - other.s).dt.days)

    def as_interval(self, unit: str) -> _PCol:
        import pandas as pd

        assert unit == "D"
        if isinstance(self.s, _Any):
            return _PCol(_Any())
        return _PCol(pd.to_timedelta(self.s.astype("Int64"), unit="D"))

    def year(self) -> _PCol:
        return _PCol(self.s.dt.year)

    def month(self) -> _PCol:
        return _PCol(self.s.dt.month)

    def cast(self, to: str) -> _PCol:
        return _PCol(self.s.astype(to))

    def __and__(self, o: Any) -> _PCol:
        return _PCol(self.s & self._w(o))

    def __or__(self, o: Any) -> _PCol:
        return _PCol(self.s | self._w(o))

    def __invert__(self) -> _PCol:
        return _PCol(~self.s)

    def __eq__(self, o: Any) -> _PCol:  # type: ignore[override]
        return _PCol(self.s == self._w(o))

    def __ne__(self, o: Any) -> _PCol:  # type: ignore[override]
        return _PCol(self.s != self._w(o))

    def __le__(self, o: Any) -> _PCol:
        return _PCol(self.s <= self._w(o))

    def __lt__(self, o: Any) -> _PCol:
        return _PCol(self.s < self._w(o))

    def __ge__(self, o: Any) -> _PCol:
        return _PCol(self.s >= self._w(o))

    def __gt__(self, o: Any) -> _PCol:
        return _PCol(self.s > self._w(o))

    def __add__(self, o: Any) -> _PCol:
        return _PCol(self.s + self._w(o))


class _PFrame:
    def __init__(self, df: Any, seen: set[str] | None = None) -> None:
        self.df = df
        self.seen = seen

    def __getattr__(self, name: str) -> _PCol:
        if name in ("df", "seen"):
            raise AttributeError(name)
        if self.seen is not None:
            self.seen.add(name)
            return _PCol(_Any())
        return _PCol(self.df[name])

    __getitem__ = __getattr__


class _Any:
    """Absorbs any operation (to find which columns the definitions read)."""

    def __getattr__(self, name: str) -> Any:
        return _Any()

    def __call__(self, *a: Any, **k: Any) -> Any:
        return _Any()

    def _op(self, *a: Any) -> _Any:
        return _Any()

    __and__ = __or__ = __invert__ = __eq__ = __ne__ = __le__ = __lt__ = _op  # type: ignore
    __ge__ = __gt__ = __add__ = __sub__ = __rand__ = __ror__ = _op  # type: ignore


def needed_columns(the_plan: cubes.Plan) -> list[str]:
    seen: set[str] = set()
    probe = _PFrame(None, seen)
    for fam in the_plan.families:
        fam.date(probe)
        if fam.value is not None:
            fam.value(probe)
        for m in the_plan.measures[fam.id]:
            m.where(probe)
    return sorted(seen | {c for c in LEVEL_COLUMNS.values() if c})


def nearest_rank_pandas(frame: Any, keys: list[str], value: str, q: int) -> Any:
    s = frame.sort_values([*keys, value])
    g = s.groupby(keys, sort=False, observed=True)
    i = g.cumcount() + 1
    n = g[value].transform("size")
    rank = ((q * n + 99) // 100).clip(lower=1)
    return s[i == rank].set_index(keys)[value]


def pandas_pass(files: list[str], the_plan: cubes.Plan) -> dict[tuple[str, str], Any]:
    """Every measure of every family by level × its period (``RATE_GRAIN``), and the
    disposition-days quantiles by year (``QUANTILE_LEVELS``)."""
    import pandas as pd
    import pyarrow.parquet as pq

    df = pq.read_table(files, columns=needed_columns(the_plan)).to_pandas(
        types_mapper=pd.ArrowDtype
    )
    out: dict[tuple[str, str], Any] = {}
    quantile_dens = {
        i.denominator.name: i for i in indicators.all_indicators() if i.kind == "quantiles"
    }
    for fam in the_plan.families:
        t = _PFrame(df)
        date = fam.date(t).s
        mask = date.notna()
        if fam.value is not None:
            mask &= fam.value(t).s.notna()
        mask = mask.to_numpy(dtype=bool, na_value=False)
        sub = df[mask]
        date = date[mask]
        ft = _PFrame(sub)
        cols = {
            m.name: m.where(ft).fill_null(False).s.to_numpy(dtype=bool, na_value=False)
            for m in the_plan.measures[fam.id]
        }
        flags = pd.DataFrame(cols, index=sub.index)
        flags["month"] = (date.dt.year * 12 + date.dt.month - 1).astype("int64").to_numpy()
        flags["year"] = date.dt.year.astype("int64").to_numpy()
        for level, grain in RATE_GRAIN.items():
            col = LEVEL_COLUMNS[level]
            keys = [grain] if col is None else [col, grain]
            other = "year" if grain == "month" else "month"
            if col is not None:
                flags[col] = sub[col]
            out[(fam.id, level)] = (
                flags.drop(columns=[other]).groupby(keys, observed=True).sum(numeric_only=True)
            )
            if col is not None:
                flags = flags.drop(columns=[col])
        for name, spec in quantile_dens.items():
            if name not in cols:
                continue
            vals = pd.DataFrame({"year": flags["year"], "v": fam.value(ft).s.to_numpy()})
            vals = vals[cols[name]]
            for level in QUANTILE_LEVELS:
                col = LEVEL_COLUMNS[level]
                keys = ["year"] if col is None else [col, "year"]
                lv = vals
                if col is not None:
                    lv = vals.assign(**{col: sub[col].to_numpy()[cols[name]]})
                    lv = lv[lv[col].notna()]
                out[(spec.id, level)] = {
                    q: nearest_rank_pandas(lv, keys, "v", q) for q in spec.quantiles
                }
    return out


# ---- PostgreSQL ------------------------------------------------------------------------------


def pg_connect(dsn: str) -> Any:
    import psycopg

    return psycopg.connect(dsn, autocommit=True)


def pg_load(dsn: str, files: list[str], columns: list[str]) -> int:
    """Load the defendants columns into ``perf_bench.defendants`` with COPY (not timed)."""
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    from caseledger.warehouse import schema as wschema

    types = {f.name: f.type for f in wschema.DEFENDANTS.schema}

    def pg_type(t: Any) -> str:
        import pyarrow as pa

        if pa.types.is_boolean(t):
            return "boolean"
        if pa.types.is_integer(t):
            return "bigint"
        if pa.types.is_date(t):
            return "date"
        return "text"

    with pg_connect(dsn) as con:
        con.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        con.execute(f"CREATE SCHEMA {SCHEMA}")
        cols = ", ".join(f'"{c}" {pg_type(types[c])}' for c in columns)
        con.execute(f"CREATE UNLOGGED TABLE {SCHEMA}.defendants ({cols})")
        total = 0
        with con.cursor() as cur:
            for f in files:
                pf = pq.ParquetFile(f)
                for i in range(pf.num_row_groups):
                    tab = pf.read_row_group(i, columns=columns)
                    buf = io.BytesIO()
                    pcsv.write_csv(tab, buf, pcsv.WriteOptions(include_header=False))
                    with cur.copy(
                        f"COPY {SCHEMA}.defendants FROM STDIN WITH (FORMAT csv, NULL '')"
                    ) as cp:
                        cp.write(buf.getvalue())
                    total += tab.num_rows
        con.execute(f"ANALYZE {SCHEMA}.defendants")
    return total


def _family_rows(table: Any, fam: Any) -> Any:
    """The rows a family counts: its date present (and its value, for a day measure)."""
    t = table.filter(fam.date(table).notnull())
    if fam.value is not None:
        t = t.filter(fam.value(t).notnull())
    return t


def pg_sql(the_plan: cubes.Plan) -> list[tuple[str, str, str]]:
    """(what, level, SQL): one GROUP BY per family and level, and the quantiles."""
    import ibis

    t = cubes.unbound_defendants(the_plan.schema_version)
    out = []
    for fam in the_plan.families:
        rows = _family_rows(t, fam)
        time_keys = {
            "month": cubes.month_expr(fam.date(rows)),
            "year": fam.date(rows).year().cast("int32"),
        }
        ms = the_plan.measures[fam.id]
        aggs = {m.name: rows.count(where=m.where(rows).fill_null(False)) for m in ms}
        for level, grain in RATE_GRAIN.items():
            col = LEVEL_COLUMNS[level]
            tk = {grain: time_keys[grain]}
            keys = tk if col is None else {"unit": rows[col], **tk}
            expr = rows.group_by(**keys).aggregate(**aggs)
            if col is not None:
                expr = expr.filter(expr.unit.notnull())
            sql = str(ibis.to_sql(expr, dialect="postgres"))
            out.append((fam.id, level, sql.replace('"defendants"', f"{SCHEMA}.defendants")))
    for spec in indicators.all_indicators(schema_version=the_plan.schema_version):
        if spec.kind != "quantiles":
            continue
        fam = indicators.FAMILIES[spec.family]
        rows = _family_rows(t, fam)
        rows = rows.filter(spec.denominator.where(rows).fill_null(False))
        base = str(
            ibis.to_sql(
                rows.select(
                    year=fam.date(rows).year().cast("int32"),
                    v=fam.value(rows),
                    **{c: rows[c] for c in LEVEL_COLUMNS.values() if c},
                ),
                dialect="postgres",
            )
        ).replace('"defendants"', f"{SCHEMA}.defendants")
        for level in QUANTILE_LEVELS:
            col = LEVEL_COLUMNS[level]
            key = "" if col is None else f'"{col}" AS unit, '
            group = "year" if col is None else f'"{col}", year'
            where = "" if col is None else f'WHERE "{col}" IS NOT NULL'
            qs = ", ".join(
                f"percentile_disc({q / 100}) WITHIN GROUP (ORDER BY v) AS q{q}"
                for q in spec.quantiles
            )
            out.append(
                (
                    spec.id,
                    level,
                    f"SELECT {key}year, count(*) AS n, {qs} FROM ({base}) AS b {where}"
                    f" GROUP BY {group}",
                )
            )
    return out


def pg_pass(dsn: str, the_plan: cubes.Plan) -> dict[tuple[str, str], pl.DataFrame]:
    out = {}
    with pg_connect(dsn) as con:
        con.execute("SET max_parallel_workers_per_gather = 1")  # two cores in all
        for what, level, sql in pg_sql(the_plan):
            cur = con.execute(sql)
            names = [d.name for d in cur.description]
            out[(what, level)] = pl.DataFrame(cur.fetchall(), schema=names, orient="row")
    return out


# ---- equality checks -------------------------------------------------------------------------


def _duck_rates(cube: cubes.Cube, indicator: str, level: str) -> dict[tuple[str, int], tuple]:
    rows = query.compute(cube, indicator, level=level, period=RATE_GRAIN[level]).rows
    return {
        (r["unit"], periods.parse(r["period"]).first): (r["numerator"], r["denominator"])
        for r in rows.iter_rows(named=True)
    }


def _duck_quantiles(cube: cubes.Cube, indicator: str, level: str) -> dict[tuple[str, int], tuple]:
    rows = query.compute(cube, indicator, level=level, period="year").rows
    return {
        (r["unit"], periods.parse(r["period"]).first): (r["q50"], r["q90"])
        for r in rows.iter_rows(named=True)
    }


def _first_month(grain: str, key: Any) -> int:
    """A baseline's period key as the first month number of the period."""
    return int(key) * 12 if grain == "year" else int(key)


def check_pandas(cube: cubes.Cube, got: dict[tuple[str, str], Any]) -> str:
    checked = 0
    for spec in indicators.all_indicators(schema_version=cube.schema_version):
        levels = list(RATE_GRAIN) if spec.id in ("plea_rate",) else ["national"]
        for level in levels:
            if spec.kind == "rate":
                assert spec.numerator is not None
                frame = got[(spec.family, level)]
                mine = {}
                for key, r in frame.iterrows():
                    den = int(r[spec.denominator.name])
                    if den > 0:
                        unit, period = ("all", key) if level == "national" else key
                        month = _first_month(RATE_GRAIN[level], period)
                        mine[(unit, month)] = (int(r[spec.numerator.name]), den)
                assert mine == _duck_rates(cube, spec.id, level), (spec.id, level)
                checked += 1
    for level in QUANTILE_LEVELS:
        q = got[("disposition_days", level)]
        mine = {}
        for key, v50 in q[50].items():
            unit, year = ("all", key) if level == "national" else key
            mine[(unit, int(year) * 12)] = (int(v50), int(q[90][key]))
        assert mine == _duck_quantiles(cube, "disposition_days", level), ("days", level)
        checked += 1
    return f"{checked} tables equal"


def check_pg(cube: cubes.Cube, got: dict[tuple[str, str], pl.DataFrame]) -> str:
    checked = 0
    for spec in indicators.all_indicators(schema_version=cube.schema_version):
        if spec.kind == "rate":
            levels = list(RATE_GRAIN) if spec.id == "plea_rate" else ["national"]
        else:
            levels = list(QUANTILE_LEVELS)
        for level in levels:
            frame = got[(spec.family if spec.kind == "rate" else spec.id, level)]
            if "unit" not in frame.columns:
                frame = frame.with_columns(unit=pl.lit("all"))
            grain = "month" if "month" in frame.columns else "year"
            if spec.kind == "rate":
                assert spec.numerator is not None
                num, den = spec.numerator.name, spec.denominator.name
                mine = {
                    (r["unit"], _first_month(grain, r[grain])): (r[num], r[den])
                    for r in frame.iter_rows(named=True)
                    if r[den] > 0
                }
                assert mine == _duck_rates(cube, spec.id, level), (spec.id, level)
            else:
                mine = {
                    (r["unit"], _first_month(grain, r[grain])): (r["q50"], r["q90"])
                    for r in frame.iter_rows(named=True)
                }
                assert mine == _duck_quantiles(cube, spec.id, level), (spec.id, level)
            checked += 1
    return f"{checked} tables equal"


# ---- main ------------------------------------------------------------------------------------


def subset(path: Path, years: Sequence[str], into: Path) -> Path:
    """A warehouse of some year partitions of ``path`` (symlinks, nothing copied)."""
    into.mkdir(parents=True)
    shutil.copy(path / "_schema.json", into / "_schema.json")
    (into / "defendants").mkdir()
    for y in years:
        (into / "defendants" / f"year={y}").symlink_to(path / "defendants" / f"year={y}")
    return into


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--warehouse", type=Path, required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--memory-limit", default="4GB", help="DuckDB memory_limit")
    ap.add_argument("--pandas", action="store_true")
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--spark", action="store_true")
    ap.add_argument("--baseline-years", nargs="*", help="year partitions for the baselines")
    ap.add_argument("--dsn", default="postgresql://postgres@127.0.0.1:5432/test")
    ap.add_argument("--keep-pg", action="store_true", help="leave the perf_bench schema")
    args = ap.parse_args()
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    rows: list[list[str]] = []

    def duck(path: Path, label: str) -> tuple[cubes.Cube, float, dict[str, float]]:
        wh = source.open_warehouse(path, threads=args.threads, memory_limit=args.memory_limit)
        print(f"{label}: {wh.rows:,} defendants")
        (cube, parts), wall = timed(
            f"DuckDB indicator pass, {label}", lambda: indicator_pass(wh), rows
        )
        rows[-1][5] = (
            f"cube {parts['cube']:.1f} s ({cube.rows:,} rows, {cube.estimated_bytes() / 1e6:.0f}"
            f" MB); {parts['n_tables']} tables {parts['tables']:.1f} s; {parts['n_funnels']}"
            f" funnels {parts['funnels']:.1f} s; trend {parts['trend']:.1f} s"
        )
        wh.close()
        return cube, wall, parts

    cube, full_wall, full_parts = duck(args.warehouse, "all years")
    tmp = None
    base_path, base_cube, base_wall, base_parts = args.warehouse, cube, full_wall, full_parts
    if args.baseline_years:
        tmp = tempfile.TemporaryDirectory(prefix="bench-analytics-")
        base_path = subset(args.warehouse, args.baseline_years, Path(tmp.name) / "w")
        base_cube, base_wall, base_parts = duck(base_path, "years " + ",".join(args.baseline_years))
    # what the baselines compute: the cube and the tables (DuckDB's pass adds funnels, a trend)
    base_set = base_parts["cube"] + base_parts["tables"]
    files = sorted(str(p) for p in base_path.glob("defendants/year=*/*.parquet"))
    the_plan = cubes.plan(base_cube.schema_version)
    ratios = []
    if args.pandas:
        got, wall = timed(
            "pandas: same indicators, groupby per level x period",
            lambda: pandas_pass(files, the_plan),
            rows,
        )
        rows[-1][5] = check_pandas(base_cube, got) + (
            f"; DuckDB {wall / base_set:.1f}x faster (cube + tables),"
            f" {wall / base_wall:.1f}x (whole pass)"
        )
        ratios.append(("pandas", wall / base_set, wall / base_wall))
        del got
    if args.postgres:
        t = time.perf_counter()
        n = pg_load(args.dsn, files, needed_columns(the_plan))
        print(f"  loaded {n:,} rows into PostgreSQL in {time.perf_counter() - t:.0f} s (not timed)")
        got, wall = timed(
            "PostgreSQL: same indicators, SQL per family x level",
            lambda: pg_pass(args.dsn, the_plan),
            rows,
        )
        rows[-1][5] = check_pg(base_cube, got) + (
            f"; DuckDB {wall / base_set:.1f}x faster (cube + tables),"
            f" {wall / base_wall:.1f}x (whole pass)"
        )
        ratios.append(("PostgreSQL", wall / base_set, wall / base_wall))
        if not args.keep_pg:
            with pg_connect(args.dsn) as con:
                con.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    if args.spark:
        from caseledger.analytics import engine

        session, _ = timed("Spark session start (local[2])", engine.local_spark_session, rows)
        session.sparkContext.setLogLevel("ERROR")
        swh = source.open_warehouse(base_path, engine="spark", spark=session)
        (_scube, parts), wall = timed(
            "Spark indicator pass (baseline data)", lambda: indicator_pass(swh), rows
        )
        rows[-1][5] = f"cube {parts['cube']:.1f} s; {wall / base_wall:.1f}x DuckDB's time"
        session.stop()
    print("\n| measure | wall s | CPU s | peak RSS GB | load | note |\n|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    for name, ratio, whole in ratios:
        print(
            f"ratio {name} / DuckDB (same data): {ratio:.1f} against DuckDB's cube + tables,"
            f" {whole:.1f} against its whole pass (with funnels and a trend)"
        )
    if tmp is not None:
        tmp.cleanup()
    _ = (math, np)


if __name__ == "__main__":
    main()
