"""Benchmark of ``caseledger synth --ledger``: events/s through the real commands on every core
(the default: parts of the run in worker processes, merged; ``synth/shards.py``) and in one
process, next to ``ledger.store.bulk_append`` of the same events (validated and hash-chained,
but without the commands' checks and projections) in the same run — the floor of writing those
events at all — and the time ``caseledger export`` then takes to write that ledger's warehouse.

    python bench/bench_synth_ledger.py                         # 10,000 defendants, SQLite
    python bench/bench_synth_ledger.py --quick                 # 300 defendants
    python bench/bench_synth_ledger.py --defendants 20000 --pg postgresql://postgres@127.0.0.1:5432/test

Target (issue 5): ``synth`` through the ledger into SQLite at least 20,000 events/s. The script
also prints where the time goes: the share of each command (wall time inside the command, by
service function) and of the walk itself, so a slow command is named.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

import psycopg
from sqlalchemy import text

from caseledger import migrate
from caseledger.auth.roles import Role
from caseledger.db import Database
from caseledger.domains import load_all
from caseledger.ledger import store
from caseledger.ledger.envelope import Actor, parse_time
from caseledger.synth import acts, ledger, shards
from caseledger.synth.generator import SynthRequest
from caseledger.warehouse import export


def _pg(admin: str) -> tuple[str, str]:
    schema = "bench_" + uuid.uuid4().hex[:8]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = admin.replace("postgresql://", "postgresql+psycopg://", 1)
    return url + f"?options=-csearch_path%3D{schema}", schema


def _drop(admin: str, schema: str) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


class _Timer:
    """Wall time per service function called by the walk (the commands' own cost)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._orig = acts.CaseWalk.walk_case

    def __enter__(self) -> _Timer:
        timer = self
        orig = self._orig

        def walk_case(self, run, members):  # type: ignore[no-untyped-def]
            def timed(fn, /, **kwargs):  # type: ignore[no-untyped-def]
                t = time.perf_counter()
                try:
                    return run(fn, **kwargs)
                finally:
                    name = f"{fn.__module__.rsplit('.', 2)[-2]}.{fn.__name__}"
                    timer.seconds[name] += time.perf_counter() - t
                    timer.calls[name] += 1

            return orig(self, timed, members)

        acts.CaseWalk.walk_case = walk_case  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        acts.CaseWalk.walk_case = self._orig  # type: ignore[method-assign]


def synth_ledger(
    url: str, n: int, home: Path, timer: bool, workers: int | None
) -> tuple[dict, dict]:
    db = Database(url)
    migrate.upgrade(db.engine)
    req = SynthRequest(
        defendants=n, years=1, seed=1, warehouse=home / "unused", first_year=2022,
        plants=("confession_only", "deviating_prosecutor"),
    )  # fmt: skip
    if timer:
        with _Timer() as t:
            report = ledger.run(req, db, home / "recordings", workers=workers)
        parts = {k: (t.seconds[k], t.calls[k]) for k in t.seconds}
    else:
        report = ledger.run(req, db, home / "recordings", workers=workers)
        parts = {}
    db.dispose()
    return report.__dict__, parts


def ledger_events(url: str) -> list[store.NewEvent]:
    """The events the synth run appended, ready to be appended again elsewhere."""
    db = Database(url)
    out = []
    with db.read() as s:
        rows = s.execute(
            text(
                "SELECT case_id, event_type, payload, actor_id, actor_role, agency_code, "
                "occurred_at, legal_basis, defendant_id FROM events ORDER BY id"
            )
        )
        for r in rows:
            out.append(
                store.NewEvent(
                    case_id=r[0],
                    event_type=r[1],
                    payload=json.loads(r[2]),
                    actor=Actor(r[3], Role(r[4]), r[5]),
                    occurred_at=parse_time(r[6]),
                    legal_basis=r[7],
                    defendant_id=r[8],
                )
            )
    db.dispose()
    return out


def export_seconds(url: str, target: Path) -> float:
    db = Database(url)
    t0 = time.perf_counter()
    export.run(db, target)
    elapsed = time.perf_counter() - t0
    db.dispose()
    return elapsed


def bulk(url: str, events: list[store.NewEvent]) -> float:
    db = Database(url)
    migrate.upgrade(db.engine)
    t0 = time.perf_counter()
    with db.write() as s:
        store.bulk_append(s, events, known_new_cases=True)
    elapsed = time.perf_counter() - t0
    db.dispose()
    return elapsed


def run_store(  # type: ignore[no-untyped-def]
    label: str, url_for, n: int, home: Path, timer: bool, repeat: int
) -> None:
    """``repeat`` runs with the default workers (on a SQLite file: one process per core; the
    box's neighbours make single runs vary by 10-30 %, so the median is the figure), then one
    run in one process, with the baseline and the breakdown."""
    rates: list[float] = []
    for i in range(repeat):
        url, cleanup = url_for(f"sharded{i}")
        try:
            report, _ = synth_ledger(url, n, home / f"{label}-sharded{i}", False, None)
        finally:
            cleanup()
        rates.append(report["events"] / report["seconds"])
        print(
            f"{label:<10} synth --ledger, {report['workers']} processes on "
            f"{shards.available_cores()} cores, run {i + 1}: {report['events']:,} events in "
            f"{report['seconds']:.1f} s = {rates[-1]:,.0f} events/s",
            flush=True,
        )
    if rates:
        median = statistics.median(rates)
        print(
            f"{label:<10} median of {len(rates)}: {median:,.0f} events/s (range "
            f"{min(rates):,.0f}-{max(rates):,.0f}) | target 20,000 events/s: "
            f"{'met' if median >= 20000 else 'not met'}",
            flush=True,
        )
    url, cleanup = url_for("synth")
    try:
        report, parts = synth_ledger(url, n, home / label, timer, 1)
        events = ledger_events(url)
        exported = export_seconds(url, home / label / "warehouse")
    finally:
        cleanup()
    url2, cleanup2 = url_for("bulk")
    try:
        seconds = bulk(url2, events)
    finally:
        cleanup2()
    rate = report["events"] / report["seconds"]
    base = len(events) / seconds
    print(
        f"{label:<10} synth --ledger in one process: {report['events']:,} events in "
        f"{report['seconds']:.1f} s = {rate:,.0f} events/s | bulk_append of the same events: "
        f"{base:,.0f} events/s | ratio {rate / base:.3f}",
        flush=True,
    )
    print(
        f"{'':<10} export of that ledger into a new warehouse: {exported:.1f} s "
        f"= {report['events'] / exported:,.0f} events/s",
        flush=True,
    )
    if parts:
        total = report["seconds"]
        inside = sum(s for s, _ in parts.values())
        print(
            f"  where the time goes ({total:.1f} s; outside the commands {total - inside:.1f} s):"
        )
        for name, (sec, calls) in sorted(parts.items(), key=lambda kv: -kv[1][0])[:14]:
            print(
                f"    {name:<42} {sec:7.1f} s {100 * sec / total:5.1f} %  "
                f"{calls:>7,} calls  {1000 * sec / calls:6.2f} ms each"
            )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--defendants", type=int, default=10_000)
    p.add_argument("--quick", action="store_true", help="300 defendants, one run each")
    p.add_argument(
        "--repeat", type=int, default=5, help="runs with the default workers (median shown)"
    )
    p.add_argument("--pg", help="PostgreSQL admin URL (also measure PostgreSQL)")
    p.add_argument("--no-breakdown", action="store_true", help="skip the per-command timing")
    args = p.parse_args()
    load_all()
    n = 300 if args.quick else args.defendants
    if args.quick:
        args.repeat = 1
    print(f"synth --ledger, {n:,} defendants (seed 1, 2022 cohort), {dt.date.today()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)

        def sqlite(tag: str):  # type: ignore[no-untyped-def]
            return f"sqlite:///{home / f'{tag}.db'}", lambda: None

        run_store("SQLite", sqlite, n, home, not args.no_breakdown, args.repeat)
        if args.pg:

            def pg(tag: str):  # type: ignore[no-untyped-def]
                url, schema = _pg(args.pg)
                return url, lambda: _drop(args.pg, schema)

            run_store("PostgreSQL", pg, n, home, not args.no_breakdown, 0)


if __name__ == "__main__":
    main()
