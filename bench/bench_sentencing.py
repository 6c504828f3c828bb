"""Sentencing benchmarks: single calculation, `sentence batch` on JSONL, vectorised mode.

    python bench/bench_sentencing.py                       # full sizes (1M batch, 10M vector)
    python bench/bench_sentencing.py --batch 50000 --vector 500000 --single 2000   # quick

Baselines measured in the same run: the typed API vs the dict fast path, and the vectorised
mode vs the per-case loop (engine.compute) on a sample of the same table. Figures go in
bench/README.md ("## Sentencing").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import polars as pl

from caseledger.sentencing import SentencingInput, engine, vector
from caseledger.sentencing.compiled import default_library

EXE = str(Path(sys.executable).parent / "caseledger")

TEMPLATES: list[dict[str, Any]] = [
    {
        "crime": "theft",
        "facts": {"amount_yuan": 12000},
        "circumstances": [{"code": "surrender", "pct": -20}],
        "plea": {"stage": "investigation"},
    },
    {
        "crime": "theft",
        "facts": {"amount_yuan": 80000, "count": 4},
        "circumstances": [{"code": "recidivist", "pct": 20}],
    },
    {
        "crime": "fraud",
        "facts": {"amount_yuan": 60000},
        "circumstances": [{"code": "confession"}],
        "plea": {"stage": "prosecution"},
    },
    {
        "crime": "dangerous_driving",
        "facts": {"blood_alcohol_mg": 180},
        "plea": {"stage": "investigation"},
    },
    {
        "crime": "intentional_injury",
        "facts": {"injury": "minor", "victims": 2},
        "circumstances": [{"code": "comp_forgiven", "pct": -30}],
    },
    {
        "crime": "robbery",
        "facts": {"amount_yuan": 3000},
        "circumstances": [{"code": "surrender", "pct": -20}, {"code": "accessory", "pct": -30}],
    },
    {"crime": "traffic_accident", "facts": {"deaths": 1}, "plea": {"stage": "investigation"}},
    {
        "crime": "drug_trafficking",
        "facts": {"drug_grams": 30},
        "circumstances": [{"code": "drug_courier_low_purity"}],
    },
    {
        "crime": "picking_quarrels",
        "facts": {"count": 3},
        "circumstances": [{"code": "prior_record", "pct": 10}],
    },
    {
        "crime": "snatching",
        "facts": {"amount_yuan": 10000},
        "circumstances": [{"code": "minor_16_18", "pct": -30}],
        "plea": {"stage": "trial"},
    },
]


def make_cases(n: int, seed: int = 1) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        case = json.loads(json.dumps(TEMPLATES[i % len(TEMPLATES)]))
        case["as_of"] = f"202{rng.randint(2, 5)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        for k, v in case["facts"].items():
            if k == "amount_yuan":
                case["facts"][k] = v + rng.randint(0, 9) * 1000
        case["id"] = i
        out.append(case)
    return out


def _burn(n: int) -> float:
    t = time.perf_counter()
    s = 0
    for i in range(n):
        s += i * i
    return time.perf_counter() - t


def parallel_capacity() -> float:
    """How many cores' worth of work two processes get right now (2.0 = two free cores)."""
    import multiprocessing

    one = _burn(3_000_000)
    with multiprocessing.get_context("fork").Pool(2) as pool:
        t = time.perf_counter()
        pool.map(_burn, [3_000_000, 3_000_000])
        two = time.perf_counter() - t
    return 2 * one / two


def bench_single(n: int) -> dict[str, float]:
    case = SentencingInput.model_validate({**TEMPLATES[0], "as_of": "2024-05-01"})
    raw = case.to_raw()
    for _ in range(200):
        engine.recommend(case)
    api, fast = [], []
    for _ in range(n):
        t = time.perf_counter()
        engine.recommend(case)
        api.append(time.perf_counter() - t)
        t = time.perf_counter()
        engine.compute(raw)
        fast.append(time.perf_counter() - t)
    return {
        "api_median_ms": statistics.median(api) * 1e3,
        "api_p99_ms": sorted(api)[int(n * 0.99)] * 1e3,
        "compute_median_ms": statistics.median(fast) * 1e3,
    }


def bench_batch(n: int, tmp: Path) -> dict[str, float]:
    src, dst = tmp / "in.jsonl", tmp / "out.jsonl"
    with src.open("w", encoding="utf-8") as f:
        for case in make_cases(n):
            f.write(json.dumps(case, ensure_ascii=False) + "\n")
    t = time.perf_counter()
    p = subprocess.run(
        [EXE, "sentence", "batch", str(src), str(dst)], capture_output=True, text=True
    )
    elapsed = time.perf_counter() - t
    assert p.returncode == 0, p.stderr[-2000:]
    return {"lines": n, "seconds": elapsed, "lines_per_s": n / elapsed}


def bench_vector(n: int, sample: int) -> dict[str, float]:
    base = vector.inputs_to_frame(make_cases(10_000, seed=2))
    reps = -(-n // base.height)
    frame = pl.concat([base] * reps).head(n).rechunk()
    lib = default_library()
    vector.recommend_frame(frame.head(1000), lib=lib)  # warm the pack cache
    t = time.perf_counter()
    out = vector.recommend_frame(frame, lib=lib)
    vec_s = time.perf_counter() - t
    assert out.height == n and out["definite_months"].null_count() == 0
    cases = (make_cases(10_000, seed=2) * (-(-sample // 10_000)))[:sample]
    t = time.perf_counter()
    rows = [engine.compute(c) for c in cases]
    loop_s = time.perf_counter() - t
    for i in range(0, sample, max(1, sample // 200)):  # spot check: the two modes agree
        want = vector.result_row(rows[i])
        assert {k: out[k][i] for k in want} == want
    return {
        "cases": n,
        "seconds": vec_s,
        "cases_per_s": n / vec_s,
        "loop_cases": sample,
        "loop_seconds": loop_s,
        "loop_cases_per_s": sample / loop_s,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--single", type=int, default=20_000, help="calls for the single-case median")
    ap.add_argument("--batch", type=int, default=1_000_000, help="JSONL lines (0: skip)")
    ap.add_argument("--vector", type=int, default=10_000_000, help="table rows (0: skip)")
    ap.add_argument(
        "--sample", type=int, default=20_000, help="per-case loop sample for the baseline"
    )
    args = ap.parse_args()
    print(
        f"# {platform.python_implementation()} {platform.python_version()}, "
        f"polars {pl.__version__}, {os.cpu_count()} CPUs, {platform.machine()}"
    )
    rows: list[tuple[str, str, str]] = []

    class Rows(list):  # echo each figure as soon as it is measured
        def append(self, row: tuple[str, str, str]) -> None:
            print("  ...", " | ".join(row), flush=True)
            super().append(row)

    rows = Rows()
    rows.append(
        (
            "parallel capacity (2 processes)",
            f"{parallel_capacity():.2f} cores",
            "shared machine: the batch uses one worker per CPU",
        )
    )
    s = bench_single(args.single)
    rows.append(
        (
            "single, typed API (recommend + explanation)",
            f"{s['api_median_ms']:.3f} ms median",
            f"p99 {s['api_p99_ms']:.3f} ms; target < 1 ms",
        )
    )
    rows.append(
        ("single, dict fast path (compute)", f"{s['compute_median_ms']:.3f} ms median", "baseline")
    )
    if args.batch:
        with tempfile.TemporaryDirectory() as tmp:
            b = bench_batch(args.batch, Path(tmp))
        rows.append(
            (
                f"sentence batch, {b['lines']:,} JSONL lines (CLI, incl. start-up)",
                f"{b['lines_per_s']:,.0f} lines/s",
                f"{b['seconds']:.1f} s; target ≥ 20,000 lines/s",
            )
        )
    if args.vector:
        v = bench_vector(args.vector, args.sample)
        rows.append(
            (
                f"vectorised, {v['cases']:,} cases",
                f"{v['cases_per_s']:,.0f} cases/s",
                f"{v['seconds']:.1f} s; target ≥ 1,000,000 cases/s",
            )
        )
        rows.append(
            (
                f"per-case loop (engine.compute), {v['loop_cases']:,} cases",
                f"{v['loop_cases_per_s']:,.0f} cases/s",
                f"vectorised is {v['cases_per_s'] / v['loop_cases_per_s']:.0f}× faster",
            )
        )
    print("| benchmark | result | note |\n|---|---|---|")
    for name, result, note in rows:
        print(f"| {name} | {result} | {note} |")


if __name__ == "__main__":
    main()
