"""Benchmark of ``caseledger synth``: time, events and peak RSS, each run in its own process.

    python bench/bench_synth.py --defendants 1700000 --years 1
    python bench/bench_synth.py --defendants 1700000 --years 10
    python bench/bench_synth.py --defendants 200000 --against 28845ff   # quick, vs an old commit

Targets (issue 5): 1.7 M defendants (~45-50 M events) in < 60 s with peak RSS < 4 GB on
2 cores; ten years in < 10 minutes. Baseline in the same run: writing the same events table
(already in memory) with plain ``pyarrow.parquet.write_table`` — the floor any generator pays
for producing the files. ``--against REF`` also runs the generator of another commit (exported
with ``git archive`` to a temporary directory) in the same run, for a ratio that survives a
busy machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import json, resource, sys, time
from pathlib import Path
from caseledger.synth.generator import SynthRequest, run
n, years, out = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
t = time.perf_counter()
r = run(SynthRequest(defendants=n, years=years, seed=1, warehouse=out, plants=tuple(sys.argv[4:])))
print(json.dumps({"seconds": time.perf_counter() - t, "events": r.events,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

BASELINE = """
import json, resource, sys, time
import pyarrow.parquet as pq
src, dst = sys.argv[1], sys.argv[2]
table = pq.read_table(src)
t = time.perf_counter()
pq.write_table(table, dst, compression="zstd", row_group_size=1_000_000)
print(json.dumps({"seconds": time.perf_counter() - t, "rows": table.num_rows}))
"""


def _child(code: str, *args: str, path: Path | None = None) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(path)) if path else None
    out = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True, env=env
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _export(ref: str, dest: Path) -> Path:
    """The tree of commit ``ref`` in ``dest`` (for running an older generator)."""
    root = Path(__file__).resolve().parents[1]
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", ref], check=True, capture_output=True
    ).stdout
    dest.mkdir()
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--defendants", type=int, default=1_700_000)
    ap.add_argument("--years", type=int, default=1)
    ap.add_argument("--plants", nargs="*", default=[])
    ap.add_argument("--against", help="git ref of an older generator to run in the same run")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = None
        if args.against:
            src = _export(args.against, Path(tmp) / "old")
            ow = Path(tmp) / "old-wh"
            old = _child(CHILD, str(args.defendants), str(args.years), str(ow), path=src)
            shutil.rmtree(ow)
        wh = Path(tmp) / "wh"
        r = _child(CHILD, str(args.defendants), str(args.years), str(wh), *args.plants)
        size = sum(p.stat().st_size for p in wh.rglob("*.parquet")) / 2**20
        first = sorted((wh / "events").iterdir())[0] / "part-0.parquet"
        b = _child(BASELINE, str(first), str(Path(tmp) / "baseline.parquet"))
    n = args.defendants * args.years
    per_year = r["seconds"] / args.years
    print(f"| defendants | {n:,} ({args.years} year(s)) |")
    print(f"| events | {int(r['events']):,} |")
    print(f"| wall time (s) | {r['seconds']:.1f} ({per_year:.1f} per year) |")
    print(f"| rate (events/s) | {r['events'] / r['seconds']:,.0f} |")
    print(f"| peak RSS (MB) | {r['rss_mb']:,.0f} |")
    print(f"| Parquet size (MiB) | {size:,.0f} |")
    print(
        f"| baseline: pyarrow write_table of one year's events ({int(b['rows']):,} rows, s) "
        f"| {b['seconds']:.1f} (ratio {per_year / b['seconds']:.2f}) |"
    )
    if old is not None:
        print(
            f"| generator of {args.against} (same run): wall time (s) | {old['seconds']:.1f} "
            f"(ratio {r['seconds'] / old['seconds']:.2f}), peak RSS {old['rss_mb']:,.0f} MB |"
        )


if __name__ == "__main__":
    main()
