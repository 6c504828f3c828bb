"""``make bench``: every benchmark of ``bench/``, one after the other, each printing its own table
(caseledger's figure next to its baseline, measured in the same run).

    python bench/run_all.py            # quick sizes: a few minutes, for a look after a change
    python bench/run_all.py --full     # the sizes the issues name (an hour or more; see README)
    python bench/run_all.py --only synth_ledger ledger

The analytics, audit and report benchmarks read a synthetic warehouse, generated first (not
timed) into a temporary directory. The script stops at nothing: a benchmark that fails is
reported at the end, and the exit code is 1 if any did.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASELEDGER = Path(sys.executable).parent / "caseledger"

# name -> (quick arguments, full arguments); "{w}" is the generated warehouse.
RUNS: dict[str, tuple[list[str], list[str]]] = {
    "ledger": (["--quick"], ["--events", "1000000", "--defendants", "400"]),
    "synth_ledger": (
        ["--defendants", "2000", "--repeat", "1", "--no-breakdown"],
        ["--defendants", "10000"],
    ),
    "synth": (["--defendants", "200000"], ["--defendants", "1700000", "--years", "1"]),
    "import": (["--quick"], []),
    "sentencing": (["--batch", "50000", "--vector", "500000", "--single", "2000"], []),
    "recordings": (["--gb", "0.2"], []),
    "indicators": (["--quick"], []),
    "analytics": (["--warehouse", "{w}"], ["--warehouse", "{w}", "--pandas"]),
    "audit": (["--warehouse", "{w}", "--repeat", "1"], ["--warehouse", "{w}"]),
    "report": (["--warehouse", "{w}"], ["--warehouse", "{w}"]),
}
WAREHOUSE_DEFENDANTS = {False: 200_000, True: 1_700_000}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="the sizes the issues name")
    ap.add_argument("--only", nargs="*", choices=sorted(RUNS), help="these benchmarks only")
    args = ap.parse_args()
    names = args.only or list(RUNS)
    results: list[tuple[str, int, float]] = []
    with tempfile.TemporaryDirectory(prefix="caseledger-bench-") as tmp:
        warehouse = Path(tmp) / "warehouse"
        if any("{w}" in " ".join(RUNS[n][args.full]) for n in names):
            n = WAREHOUSE_DEFENDANTS[args.full]
            print(f"== generating a warehouse of {n:,} defendants (not timed)", flush=True)
            synth = [str(CASELEDGER), "synth", "-n", str(n), "--seed", "1", "--quiet"]
            subprocess.run([*synth, "--warehouse", str(warehouse)], check=True)
        for name in names:
            argv = [a.replace("{w}", str(warehouse)) for a in RUNS[name][args.full]]
            cmd = [sys.executable, str(HERE / f"bench_{name}.py"), *argv]
            print(f"\n== bench_{name}.py {' '.join(argv)}", flush=True)
            start = time.perf_counter()
            code = subprocess.run(cmd).returncode
            results.append((name, code, time.perf_counter() - start))
    print("\n== summary")
    for name, code, seconds in results:
        print(
            f"  bench_{name:<14} {'ok' if code == 0 else f'FAILED ({code})':<12} {seconds:7.1f} s"
        )
    return 1 if any(code for _, code, _ in results) else 0


if __name__ == "__main__":
    sys.exit(main())
