"""Benchmark of the data-integrity audit (``caseledger audit``) on a warehouse.

    python bench/bench_audit.py --warehouse /tmp/audit-w1                # an existing warehouse
    python bench/bench_audit.py --defendants 1700000 --years 1          # generate first (not timed)

Prints, in the same run: the whole audit (DuckDB, ``threads`` threads), each test on its own,
and the baseline every audit must pay — one DuckDB scan that reads each column the audit uses
once (count of non-null values per column) — with the audit's time as a multiple of it.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from caseledger.analytics import source
from caseledger.analytics.audit import TESTS, run_audit

COLUMNS = (
    "court_id", "trial_limit_days", "trial_days", "procuratorate_id", "arrest_decided_on",
    "arrest_approved", "prosecution_decided_on", "prosecuted", "police_agency_id", "reported_on",
    "registered_on", "suspect_identified_on", "crime_code", "prosecutor_id", "judge_id",
    "recommendation_type", "recommended_months", "recommended_range_lo", "recommended_range_hi",
    "guideline_months", "guideline_pack", "verdict", "plea", "sentence_months",
    "prefecture_code", "evidence_basis",
)  # fmt: skip


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def timed(label: str, fn, rows: list[list[str]]):  # type: ignore[no-untyped-def]
    wall, c0 = time.perf_counter(), cpu()
    out = fn()
    wall, used = time.perf_counter() - wall, cpu() - c0
    rows.append([label, f"{wall:.2f}", f"{used:.2f}", ""])
    print(f"  {label}: {wall:.2f} s wall, {used:.2f} s CPU", flush=True)
    return out, wall


def scan_floor(path: Path, threads: int) -> int:
    wh = source.open_warehouse(path, threads=threads)
    try:
        cols = ", ".join(f"count({c})" for c in COLUMNS)
        sql = f"SELECT count(*), {cols} FROM {wh.defendants.get_name()}"
        return int(wh.backend.con.sql(sql).fetchall()[0][0])
    finally:
        wh.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--warehouse", type=Path, help="use this warehouse (no generation)")
    ap.add_argument("--defendants", type=int, default=1_700_000, help="defendants per year")
    ap.add_argument("--years", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=2, help="whole-audit runs (first one cold)")
    args = ap.parse_args()
    tmp = None
    path = args.warehouse
    if path is None:
        from caseledger.synth.generator import SynthRequest, run

        tmp = tempfile.TemporaryDirectory(prefix="bench-audit-")
        path = Path(tmp.name) / "warehouse"
        print(f"generating {args.defendants:,} defendants x {args.years} years (not timed) ...")
        run(SynthRequest(defendants=args.defendants, years=args.years, seed=args.seed,
                         warehouse=path, plants=()))  # fmt: skip
    rows: list[list[str]] = []
    print(f"audit of {path} (DuckDB, threads={args.threads}):")
    audits = []
    for i in range(args.repeat):
        result, wall = timed(f"whole audit, run {i + 1}", lambda: run_audit(
            path, threads=args.threads), rows)  # fmt: skip
        audits.append(wall)
    print(f"  {result.defendants:,} defendants, {len(result.findings)} findings")
    for name in TESTS:
        timed(f"  {name} alone", lambda name=name: run_audit(
            path, threads=args.threads, tests=[name]), rows)  # fmt: skip
    _, base = timed(f"baseline: one scan of the {len(COLUMNS)} columns",
                    lambda: scan_floor(path, args.threads), rows)  # fmt: skip
    rows[-1][3] = f"audit = {min(audits) / base:.1f}x this scan"
    print("\n| measure | wall (s) | CPU (s) | note |\n|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
