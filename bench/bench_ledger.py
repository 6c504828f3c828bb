"""Ledger benchmarks (issue 2), each figure next to a simple baseline measured in the same run.

1. Command path: real lifecycle commands (validation, chain, projection, one transaction each)
   into SQLite and PostgreSQL, in events/s; baseline: one plain INSERT per transaction of the
   same rows into an unchained table (same durability settings).
2. Bulk import path: ``ledger.store.bulk_append`` (validated, hash-chained) into SQLite, in
   events/s; baseline: the same rows inserted with ``executemany`` without computing hashes.
3. ``verify`` over N events (default 1,000,000); baseline: reading the same rows in the same
   order without hashing.

Usage: ``python bench/bench_ledger.py [--events 1000000] [--defendants 400] [--pg URL]``.
Targets (issue 2): command path >= 2,000 events/s on each store; bulk >= 50,000 events/s;
verify of 1,000,000 events < 20 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from sqlalchemy import text

from caseledger import migrate
from caseledger.auth.roles import Role
from caseledger.case import lifecycle, service, trial
from caseledger.db import Database
from caseledger.domains import load_all
from caseledger.ledger import store
from caseledger.ledger import verify as verifier
from caseledger.ledger.envelope import HASHED_COLUMNS, Actor, canonical_payload, format_time

POLICE = Actor("police-1", Role.investigator, "PSB110105")
PROS = Actor("pros-1", Role.prosecutor, "PRO110105")
JUDGE = Actor("judge-1", Role.judge, "CRT110105")
FACTS = trial.ProcedureFacts(
    expected_sentence_months=8,
    facts_clear_evidence_sufficient=True,
    pleaded=True,
    admits_crime=True,
    agrees_to_procedure=True,
)


def _fresh_pg(admin: str) -> tuple[str, str]:
    schema = "bench_" + uuid.uuid4().hex[:8]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = admin.replace("postgresql://", "postgresql+psycopg://", 1)
    return url + f"?options=-csearch_path%3D{schema}", schema


def _drop_pg(admin: str, schema: str) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


STEPS = [
    (lifecycle.impose_measure, POLICE, {"measure": "criminal_detention"}, 0),
    (lifecycle.request_arrest, POLICE, {}, 2),
    (lifecycle.decide_arrest, PROS, {"approved": True}, 5),
    (lifecycle.transfer_for_prosecution, POLICE, {}, 30),
    (lifecycle.assess_evidence, PROS, {"sufficient": True, "reasoning": "sufficient"}, 39),
    (lifecycle.decide_prosecution, PROS, {"prosecute": True}, 40),
    (trial.assign_procedure, JUDGE, {"procedure": "fast_track", "facts": FACTS}, 42),
    (
        trial.render_judgment,
        JUDGE,
        {"verdict": "convicted", "penalty_type": "imprisonment", "term_months": 8},
        50,
    ),
]


def command_path(url: str, defendants: int, group: int = 1) -> tuple[int, float]:
    """Walk ``defendants`` defendants from registration to judgment, interleaved as in a live
    system (each act for every defendant, then the next act); ``group`` commands share one
    transaction (group commit, each in its own savepoint). Return (events, seconds)."""
    db = Database(url)
    migrate.upgrade(db.engine)
    base = dt.date(2026, 1, 5)
    starts = [base + dt.timedelta(days=i % 200) for i in range(defendants)]

    def register(start: dt.date):  # type: ignore[no-untyped-def]
        return lambda s: (
            service.register_case(
                s,
                actor=POLICE,
                reported_on=start,
                summary="bench",
                at=start,
                defendants=[service.NewDefendant(name="x", age_at_offence=30, charges=["theft"])],
            ).case_number
        )

    def act(fn, actor, kwargs, offset, number, start):  # type: ignore[no-untyped-def]
        return lambda s: fn(
            s,
            actor=actor,
            case_number=number,
            defendant_no=1,
            at=start + dt.timedelta(days=offset),
            **kwargs,
        )

    def execute(commands: list) -> list:  # type: ignore[type-arg]
        out: list = []  # type: ignore[type-arg]
        for i in range(0, len(commands), group):
            chunk = commands[i : i + group]
            out += [db.run(chunk[0])] if group == 1 else db.run_batch(chunk)
        errors = [r for r in out if isinstance(r, Exception)]
        assert not errors, errors[0]
        return out

    t0 = time.perf_counter()
    numbers = execute([register(start) for start in starts])
    for fn, actor, kwargs, offset in STEPS:
        execute(
            [act(fn, actor, kwargs, offset, n, st) for n, st in zip(numbers, starts, strict=True)]
        )
    elapsed = time.perf_counter() - t0
    db.dispose()
    return defendants * (3 + len(STEPS)), elapsed


def plain_inserts(url: str, n: int) -> float:
    """Baseline: n single-row transactions into an unchained table with the same columns."""
    db = Database(url)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE plain_events (id INTEGER, case_id VARCHAR(36), "
                "seq INTEGER, event_type VARCHAR(64), occurred_at VARCHAR(27), "
                "actor_id VARCHAR(64), payload TEXT)"
            )
        )
    stmt = text("INSERT INTO plain_events VALUES (:i, :c, :s, 'x', '2026', 'a', '{}')")
    t0 = time.perf_counter()
    for i in range(n):
        with db.engine.begin() as conn:
            conn.execute(stmt, {"i": i, "c": str(i // 10), "s": i % 10})
    elapsed = time.perf_counter() - t0
    db.dispose()
    return elapsed


def synthetic_events(n: int, per_case: int = 30):
    """A stream of validated case events, ``per_case`` per case (the shape of an import)."""
    when = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    payloads = [
        ("measure.imposed", {"measure": "criminal_detention", "replaces": "none"}),
        ("arrest.requested", {}),
        ("arrest.decided", {"approved": True, "ground": None, "then_measure": "none"}),
        ("prosecution.transferred", {}),
        ("charge.added", {"crime_code": "theft"}),
    ]
    case_id = ""
    for i in range(n):
        k = i % per_case
        if k == 0:
            case_id = str(uuid.uuid4())
        event_type, payload = payloads[k % len(payloads)]
        yield store.NewEvent(
            case_id=case_id,
            event_type=event_type,
            payload=payload,
            actor=POLICE,
            occurred_at=when + dt.timedelta(minutes=k),
            legal_basis="CPL art 82",
            defendant_id=case_id,
        )


def bulk(url: str, n: int) -> float:
    db = Database(url)
    migrate.upgrade(db.engine)
    t0 = time.perf_counter()
    with db.write() as s:
        store.bulk_append(s, synthetic_events(n), known_new_cases=True)
    elapsed = time.perf_counter() - t0
    db.dispose()
    return elapsed


def bulk_baseline(url: str, n: int) -> float:
    """Baseline: the same rows with executemany, no validation, no hashing."""
    db = Database(url)
    migrate.upgrade(db.engine)
    recorded = format_time(dt.datetime.now(dt.UTC))
    t0 = time.perf_counter()
    with db.engine.begin() as conn:
        batch = []
        for i, ev in enumerate(synthetic_events(n)):
            batch.append(
                (
                    str(uuid.uuid4()),
                    ev.case_id,
                    i % 30 + 1,
                    ev.event_type,
                    format_time(ev.occurred_at),
                    recorded,
                    ev.actor.id,
                    ev.actor.role.value,
                    ev.actor.agency,
                    ev.legal_basis,
                    ev.defendant_id,
                    canonical_payload(ev.payload),
                    "",
                    "",
                )
            )
            if len(batch) == 10_000:
                conn.exec_driver_sql(_INSERT, batch)
                batch = []
        if batch:
            conn.exec_driver_sql(_INSERT, batch)
    elapsed = time.perf_counter() - t0
    db.dispose()
    return elapsed


_INSERT = (
    f"INSERT INTO events ({', '.join((*HASHED_COLUMNS, 'hash'))}) "
    f"VALUES ({', '.join(['?'] * (len(HASHED_COLUMNS) + 1))})"
)


def verify_and_read(url: str, home: Path) -> tuple[float, float, int]:
    db = Database(url)
    t0 = time.perf_counter()
    with db.read() as s:
        rows = 0
        for _ in s.connection().execute(
            text(
                "SELECT event_id, case_id, seq, event_type, occurred_at, recorded_at, actor_id, "
                "actor_role, agency_code, legal_basis, defendant_id, payload, prev_hash, hash "
                "FROM events ORDER BY case_id, seq"
            )
        ):
            rows += 1
    read = time.perf_counter() - t0
    t0 = time.perf_counter()
    with db.read() as s:
        report = verifier.verify(s, key_path=home / "key.pem", checkpoint_dir=home / "ckpt")
    ver = time.perf_counter() - t0
    assert report.ok and report.events == rows, report.first
    db.dispose()
    return ver, read, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--defendants", type=int, default=400)
    parser.add_argument("--group", type=int, default=50, help="commands per group commit")
    parser.add_argument(
        "--pg",
        default=os.environ.get("CASELEDGER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    args = parser.parse_args()
    load_all()
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        ev, secs = command_path(f"sqlite:///{tmpdir / 'cmd.db'}", args.defendants)
        base = plain_inserts(f"sqlite:///{tmpdir / 'plain.db'}", ev)
        rows.append(
            (
                "command path, SQLite, 1 command/txn (events/s)",
                f"{ev / secs:,.0f}",
                f"{ev / base:,.0f} plain 1-row txns",
                f"{base / secs:.2f}",
            )
        )
        ev, secs = command_path(f"sqlite:///{tmpdir / 'cmdg.db'}", args.defendants, args.group)
        rows.append(
            (
                f"command path, SQLite, group commit of {args.group} (events/s)",
                f"{ev / secs:,.0f}",
                f"{ev / base:,.0f} plain 1-row txns",
                f"{base / secs:.2f}",
            )
        )
        try:
            pg_url, schema = _fresh_pg(args.pg)
        except psycopg.Error:
            pg_url = schema = ""
        if pg_url:
            try:
                ev, secs = command_path(pg_url, args.defendants)
                base = plain_inserts(pg_url, ev)
                rows.append(
                    (
                        "command path, PostgreSQL, 1 command/txn (events/s)",
                        f"{ev / secs:,.0f}",
                        f"{ev / base:,.0f} plain 1-row txns",
                        f"{base / secs:.2f}",
                    )
                )
            finally:
                _drop_pg(args.pg, schema)
            pg_url, schema = _fresh_pg(args.pg)
            try:
                ev, secs = command_path(pg_url, args.defendants, args.group)
                rows.append(
                    (
                        f"command path, PostgreSQL, group commit of {args.group} (events/s)",
                        f"{ev / secs:,.0f}",
                        f"{ev / base:,.0f} plain 1-row txns",
                        f"{base / secs:.2f}",
                    )
                )
            finally:
                _drop_pg(args.pg, schema)
        n = args.events
        bulk_url = f"sqlite:///{tmpdir / 'bulk.db'}"
        secs = bulk(bulk_url, n)
        base = bulk_baseline(f"sqlite:///{tmpdir / 'plainbulk.db'}", n)
        rows.append(
            (
                f"bulk import {n:,} events, SQLite (events/s)",
                f"{n / secs:,.0f}",
                f"{n / base:,.0f} unchained executemany",
                f"{base / secs:.2f}",
            )
        )
        ver, read, count = verify_and_read(bulk_url, tmpdir)
        rows.append(
            (
                f"verify {count:,} events (s)",
                f"{ver:.1f}",
                f"{read:.1f} read rows without hashing",
                f"{read / ver:.2f}",
            )
        )
    print("| measure | caseledger | baseline (same run) | ratio |")
    print("|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print(json.dumps({"host_cpus": os.cpu_count()}))


if __name__ == "__main__":
    main()
