"""Benchmark of the indicator cube: one query over the warehouse, then every statistic on it.

    python bench/bench_indicators.py --defendants 1700000 --years 10      # full size
    python bench/bench_indicators.py --quick                              # 100,000 x 1 year
    python bench/bench_indicators.py --warehouse /data/wh                 # an existing warehouse

Prints, in the same run: the cube build with DuckDB (one query; seconds, cube rows and size,
peak RSS) next to the baseline of one query per indicator straight on the Parquet files (what
you would do without a cube: the same SQL, one scan per indicator); then, on the cube, every
indicator at every unit level by month, every funnel (rate indicators x unit levels, last year)
and a unit's trend. ``--spark`` adds the Spark cube build (local[2]) on the same warehouse.
The synthetic warehouse is generated first (not timed) unless ``--warehouse`` names one.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from caseledger.analytics import cube as cubes
from caseledger.analytics import indicators, query, source


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def timed(label: str, fn, rows: list[list[str]], note: str = ""):  # type: ignore[no-untyped-def]
    wall, c0 = time.perf_counter(), cpu()
    out = fn()
    wall, used = time.perf_counter() - wall, cpu() - c0
    rows.append([label, f"{wall:.2f}", f"{used:.2f}", note])
    print(f"  {label}: {wall:.2f} s wall, {used:.2f} s CPU {note}", flush=True)
    return out, wall


def per_indicator_queries(wh: source.Warehouse) -> int:
    """The baseline: each indicator's own SQL (same expressions) run on the Parquet files."""
    con = wh.backend.con
    table = wh.defendants.get_name()
    done = 0
    for spec in indicators.all_indicators(schema_version=wh.schema_version):
        expr = cubes.indicator_expression(wh.defendants, spec)
        sql = str(wh.backend.compile(expr))
        assert table in sql
        con.sql(sql).to_arrow_table()
        done += 1
    return done


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--defendants", type=int, default=1_700_000, help="defendants per year")
    ap.add_argument("--years", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--warehouse", type=Path, help="use this warehouse (no generation)")
    ap.add_argument("--quick", action="store_true", help="100,000 defendants, 1 year")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--spark", action="store_true", help="also build the cube with Spark")
    ap.add_argument("--skip-baseline", action="store_true")
    args = ap.parse_args()
    if args.quick:
        args.defendants, args.years = 100_000, 1

    tmp = None
    path = args.warehouse
    if path is None:
        from caseledger.synth.generator import SynthRequest, run

        tmp = tempfile.TemporaryDirectory(prefix="bench-ind-")
        path = Path(tmp.name) / "warehouse"
        print(f"generating {args.defendants:,} defendants x {args.years} years (not timed) ...")
        t = time.perf_counter()
        run(
            SynthRequest(
                defendants=args.defendants,
                years=args.years,
                seed=args.seed,
                warehouse=path,
                plants=(),
            )
        )
        print(f"  generated in {time.perf_counter() - t:.0f} s")

    rows: list[list[str]] = []
    wh = source.open_warehouse(path, threads=args.threads)
    print(f"warehouse {path}: {wh.rows:,} defendants, schema version {wh.schema_version}")
    print(f"cube and baseline (DuckDB, threads={args.threads}):")
    cube, build = timed("cube: one query, all indicators", lambda: cubes.build_cube(wh), rows)
    rows[-1][3] = (
        f"{cube.rows:,} cube rows, {cube.estimated_bytes() / 1e6:.0f} MB, "
        f"peak RSS {rss_mb():.0f} MB"
    )
    n = len(indicators.all_indicators(schema_version=wh.schema_version))
    if not args.skip_baseline:
        _, base = timed(
            f"baseline: {n} queries, one per indicator", lambda: per_indicator_queries(wh), rows
        )
        rows[-1][3] = f"ratio {base / build:.1f}x the cube's time"
    wh.close()

    print("on the cube:")
    levels = [lv for lv in query.LEVELS]
    timed(
        f"{n} indicators x {len(levels)} levels, by month",
        lambda: [query.tables(cube, level=lv, period="month") for lv in levels],
        rows,
    )
    registered = query.compute(cube, "criminal_detention_rate", period="year").rows
    last = max(int(p) for p in registered["period"])  # the latest registration (cohort) year
    rates = [i.id for i in indicators.all_indicators(schema_version=cube.schema_version)]
    rates = [i for i in rates if indicators.get(i).kind == "rate"]
    unit_levels = [lv for lv in levels if lv != query.NATIONAL]
    timed(
        f"{len(rates)} funnels x {len(unit_levels)} levels ({last})",
        lambda: [
            query.funnel_for(cube, i, level=lv, period=str(last))
            for i in rates
            for lv in unit_levels
        ],
        rows,
    )
    county = query.compute(cube, "plea_rate", level="county").rows["unit"][0]
    timed(
        "one county's monthly trend (level shift + CUSUM)",
        lambda: query.trend(cube, "plea_rate", level="county", unit=county),
        rows,
    )
    print(f"peak RSS {rss_mb():.0f} MB")

    if args.spark:
        from caseledger.analytics import engine

        session, _ = timed("Spark session start (local[2])", engine.local_spark_session, rows)
        session.sparkContext.setLogLevel("ERROR")
        swh = source.open_warehouse(path, engine="spark", spark=session)
        timed("cube with Spark (one query)", lambda: cubes.build_cube(swh), rows)
        session.stop()

    print("\n| measure | wall s | CPU s | note |\n|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
