"""Benchmark of ``caseledger import`` on a facts CSV, against plain PyArrow in the same run.

    python bench/bench_import.py                      # 1,000,000 defendants, 3 runs each
    python bench/bench_import.py --quick              # 100,000 defendants, 2 runs each
    python bench/bench_import.py --defendants 300000 --repeat 5

Target (issue 5): importing a 1,000,000-row facts CSV in under 30 s. The file is written from
a ``caseledger synth`` warehouse (one cohort year, every column of ``defendants``, no rejects).
Baseline, measured in the same run on the same file: ``pyarrow.csv.read_csv`` (type
inference, all cores) then ``pyarrow.parquet.write_table`` (zstd) — reading and storing the
file with no checks, no sort, no transaction. Each measurement is its own process (console
script for caseledger); wall time, CPU time (user + system) and peak RSS come from
``os.wait4``. The re-run of an already imported file is timed too.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXE = Path(sys.executable).parent / "caseledger"

MAKE = """
import sys
from pathlib import Path
import polars as pl
from caseledger.synth.generator import SynthRequest, run
n, tmp = int(sys.argv[1]), Path(sys.argv[2])
run(SynthRequest(defendants=n, years=1, seed=1, warehouse=tmp / "src"))
d = pl.read_parquet(tmp / "src" / "defendants" / "*" / "*.parquet")
d.write_csv(tmp / "defendants.csv")
"""

BASELINE = """
import sys
import pyarrow.csv as pc, pyarrow.parquet as pq
table = pc.read_csv(sys.argv[1])
pq.write_table(table, sys.argv[2], compression="zstd")
print(table.num_rows)
"""


def measure(cmd: list[str]) -> dict[str, float]:
    """Run ``cmd``; wall seconds, CPU seconds and peak RSS (MB) of that process alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(cmd[:3])} … failed ({code}): {err.strip()[-500:]}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
        "out": out,  # type: ignore[dict-item]
    }


def spread(values: list[float]) -> str:
    best = min(values)
    return f"{best:.2f} (best of {len(values)}; median {statistics.median(values):.2f})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--defendants", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="100,000 defendants, 2 runs")
    args = ap.parse_args()
    if args.quick:
        args.defendants, args.repeat = 100_000, 2
    print(f"load average at start: {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        print(f"writing a {args.defendants:,}-row facts CSV from caseledger synth …", flush=True)
        subprocess.run([sys.executable, "-c", MAKE, str(args.defendants), str(tmp)], check=True)
        src = tmp / "defendants.csv"
        size_mb = src.stat().st_size / 2**20
        print(f"file: {size_mb:,.0f} MB, {args.defendants:,} rows", flush=True)
        runs: dict[str, list[dict[str, float]]] = {"caseledger": [], "baseline": [], "rerun": []}
        for i in range(args.repeat):  # interleaved, so both see the same machine load
            base = measure([sys.executable, "-c", BASELINE, str(src), str(tmp / f"b{i}.parquet")])
            runs["baseline"].append(base)
            wh = tmp / f"wh{i}"
            mine = measure([str(EXE), "import", str(src), "--warehouse", str(wh), "--json", "-q"])
            report = json.loads(str(mine["out"]))
            assert report["imported"] == args.defendants and report["rejected"] == 0, report
            runs["caseledger"].append(mine)
            again = measure([str(EXE), "import", str(src), "--warehouse", str(wh), "--json", "-q"])
            assert json.loads(str(again["out"]))["files"][0]["status"] == "already imported"
            runs["rerun"].append(again)
            print(
                f"run {i + 1}: caseledger {mine['wall']:.2f} s wall / {mine['cpu']:.2f} s CPU, "
                f"baseline {base['wall']:.2f} s / {base['cpu']:.2f} s, "
                f"re-run {again['wall']:.2f} s",
                flush=True,
            )
            for p in (tmp / f"b{i}.parquet",):
                p.unlink()
        c_wall = [r["wall"] for r in runs["caseledger"]]
        b_wall = [r["wall"] for r in runs["baseline"]]
        c_cpu = [r["cpu"] for r in runs["caseledger"]]
        b_cpu = [r["cpu"] for r in runs["baseline"]]
        ratios = [c / b for c, b in zip(c_wall, b_wall, strict=True)]
        rate = args.defendants / min(c_wall)
        print()
        print(
            f"| measure ({args.defendants:,} rows, {size_mb:,.0f} MB CSV) | caseledger import "
            "| baseline (pyarrow read_csv + write_table) | ratio | target |"
        )
        print("|---|---|---|---|---|")
        print(
            f"| wall s | {spread(c_wall)} | {spread(b_wall)} | "
            f"{min(ratios):.2f}–{max(ratios):.2f} | < 30 s |"
        )
        print(
            f"| CPU s (user + system) | {spread(c_cpu)} | {spread(b_cpu)} | "
            f"{min(c_cpu) / min(b_cpu):.2f} | |"
        )
        print(
            f"| peak RSS MB | {max(r['rss_mb'] for r in runs['caseledger']):,.0f} | "
            f"{max(r['rss_mb'] for r in runs['baseline']):,.0f} | | |"
        )
        print(f"| rows/s (best) | {rate:,.0f} | {args.defendants / min(b_wall):,.0f} | | |")
        print(
            f"| re-run, already imported (s) | {spread([r['wall'] for r in runs['rerun']])} | | | |"
        )


if __name__ == "__main__":
    main()
