"""Benchmark of ``caseledger report``: the whole report from a warehouse, as a user runs it.

    python bench/bench_report.py --warehouse /tmp/report-w1              # an existing warehouse
    python bench/bench_report.py --defendants 100000                     # generated first

Prints, in the same run: the console script writing the HTML report with 2 worker processes
and with 1, and writing the JSON (wall, CPU of the process and its workers, peak RSS, size);
then, in this process, the floor — opening the warehouse and building the report's cube of
marginals, which every report needs — and the report's numbers from that cube next to the
baseline of getting the same numbers one Python API call at a time (``query.funnel_for`` per
indicator and level,
``query.trend`` per monitored unit); ``--full-cube`` adds the full unit × case type × month cube
and the report's numbers from it (the way before the marginals), checked equal.
The synthetic warehouse is generated first (not timed) unless ``--warehouse`` names one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from caseledger.analytics import cube as cubes
from caseledger.analytics import marginals, query, reporting, source

EXE = Path(sys.executable).parent / "caseledger"


def run_cli(args: list[str]) -> tuple[float, float, float, dict[str, float]]:
    """(wall s, CPU s of the process and the children it waited for, peak RSS MB, the
    command's own split of its time)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([str(EXE), *args, "--json"], stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"caseledger {' '.join(args)} failed: {err.read().decode()[-400:]}")
        out.seek(0)
        split = json.loads(out.read())["seconds"]
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, split


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def timed(label: str, fn, rows: list[list[str]], note: str = ""):  # type: ignore[no-untyped-def]
    wall, c0 = time.perf_counter(), cpu()
    out = fn()
    wall, used = time.perf_counter() - wall, cpu() - c0
    rows.append([label, f"{wall:.1f}", f"{used:.1f}", "", note])
    print(f"  {label}: {wall:.1f} s wall, {used:.1f} s CPU {note}", flush=True)
    return out, wall


def one_call_at_a_time(cube: cubes.Cube, report: reporting.Report) -> int:
    """The report's funnels and monitoring through the per-call API (the baseline)."""
    year = str(report.year)
    calls = 0
    for f in report.funnels:
        query.funnel_for(cube, f.indicator, level=f.level, period=year, method=f.method)
        calls += 1
    sel = query.Selection.of(period=year)
    for m in report.monitoring:
        units = query.compute(cube, m.indicator, level=m.level, selection=sel).rows["unit"]
        for unit in units.unique(maintain_order=True).to_list():
            query.trend(cube, m.indicator, level=m.level, unit=unit, selection=sel)
            calls += 1
    return calls


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--warehouse", type=Path, help="use this warehouse (no generation)")
    ap.add_argument("--defendants", type=int, default=100_000, help="defendants per year")
    ap.add_argument("--years", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip-baseline", action="store_true", help="no per-call API baseline")
    ap.add_argument(
        "--full-cube", action="store_true", help="also build the full cube and its numbers"
    )
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="bench-report-")
    path = args.warehouse
    if path is None:
        from caseledger.synth.generator import SynthRequest, run

        path = Path(tmp.name) / "warehouse"
        print(f"generating {args.defendants:,} defendants x {args.years} years (not timed) ...")
        run(SynthRequest(args.defendants, args.years, args.seed, warehouse=path, plants=()))
    out = Path(tmp.name)
    rows: list[list[str]] = []
    print(f"caseledger report on {path}:")
    for label, extra in (
        ("report, HTML, 2 workers", ["--workers", "2"]),
        ("report, HTML, 1 worker", ["--workers", "1"]),
        ("report, JSON, 2 workers", ["--format", "json"]),
    ):
        target = out / ("r.json" if "json" in extra else "r.html")
        wall, used, rss, split = run_cli(
            ["report", "--warehouse", str(path), "--out", str(target), *extra]
        )
        size = target.stat().st_size / 1e6
        parts = ", ".join(f"{k} {v:.1f}" for k, v in split.items() if k != "total")
        note = f"{size:.1f} MB; wall s inside: {parts}"
        rows.append([label, f"{wall:.1f}", f"{used:.1f}", f"{rss:,.0f}", note])
        print(f"  {label}: {wall:.1f} s wall, {used:.1f} s CPU, peak RSS {rss:,.0f} MB", flush=True)

    print("in this process:")

    def cube(full: bool = False) -> cubes.Cube:
        wh = source.open_warehouse(path)
        try:
            if full:
                return cubes.build_cube(wh)
            opts = reporting.ReportOptions()
            grain = marginals.report_grain(opts.levels, opts.monitor_level)
            return marginals.build_marginal_cube(wh, grain)
        finally:
            wh.close()

    c, _ = timed("floor: open the warehouse, build the report's cube (marginals)", cube, rows)
    rows[-1][4] = f"{c.rows:,} rows, {c.estimated_bytes() / 1e6:.0f} MB"
    report, built = timed(
        "the report's numbers from the cube", lambda: reporting.build_report(c), rows
    )
    rows[-1][4] = f"{len(report.funnels)} funnels, {len(report.monitoring)} monitored indicators"
    if args.full_cube:
        full, _ = timed(
            "baseline: the full cube (units x case types x month)", lambda: cube(True), rows
        )
        rows[-1][4] = f"{full.rows:,} rows, {full.estimated_bytes() / 1e6:.0f} MB"
        again, _ = timed(
            "baseline: the report's numbers from the full cube",
            lambda: reporting.build_report(
                full, generated=dt.datetime.fromisoformat(report.generated)
            ),
            rows,
        )
        same = reporting.to_json(again) | {"source": None} == reporting.to_json(report) | {
            "source": None
        }
        rows[-1][4] = "same numbers as from the marginals" if same else "NUMBERS DIFFER"
        del full, again
    if not args.skip_baseline:
        calls, base = timed(
            "baseline: funnels and monitoring one API call at a time",
            lambda: one_call_at_a_time(c, report),
            rows,
        )
        rows[-1][4] = f"{calls} calls; {base / built:.1f}x the report's numbers"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process {peak:,.0f} MB")
    print("\n| measure | wall s | CPU s | peak RSS MB | note |\n|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    tmp.cleanup()


if __name__ == "__main__":
    main()
