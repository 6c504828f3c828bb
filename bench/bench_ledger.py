"""Ledger benchmarks (issue 2), each figure next to a simple baseline measured in the same run.

1. Command path, a live workload: N defendants walked from registration to judgment through
   the real service commands (11 events each), interleaved as in a live system (each act for
   every defendant, then the next act), into SQLite and PostgreSQL:
   - one command per transaction (what the CLI does); baseline: the same number of plain
     single-row INSERT transactions into an unchained table;
   - group commit, G commands per batch (``Database.batch``), the G cases read ahead in one
     go (``service.read_ahead``); baseline: the same rows inserted G per transaction. Also
     the same batches without reading ahead (each command then reads its own case).
2. Synthetic lifecycle batch: C new cases, each walked end to end in a batch (registration,
   defendant, charge, detention, arrest, evidence, plea rights, counsel and admission,
   transfer, assessment, prosecution, procedure, judgment, appeal or finality, execution:
   17-18 events), committing every 1,000 cases; baseline: the same number of plain event rows
   inserted with ``executemany`` in as many transactions.
3. Bulk import: ``ledger.store.bulk_append`` into SQLite; baseline: the same rows with
   ``executemany`` without validation or hashing.
4. ``verify`` over the bulk store; baseline: reading the same rows without hashing.

Every caseledger figure also shows events per CPU-second of this process, which other work on a
shared machine disturbs less than wall time, and on PostgreSQL the server's CPU time per event
(all local ``postgres`` processes, from ``/proc``): the server shares the cores with the client.

Usage: ``python bench/bench_ledger.py`` (full size) or ``--quick``; sizes: ``--defendants``,
``--group``, ``--cases``, ``--events``; ``--repeat 3`` reports the best of three and the
spread; ``--pg URL`` (default: the test server; skipped when unreachable).
Targets (issue 2): command path >= 2,000 events/s on each store; bulk >= 50,000 events/s;
verify of 1,000,000 events < 20 s. Issue 5: synthetic data through the ledger into SQLite
>= 20,000 events/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import text

from caseledger import migrate
from caseledger.auth.roles import Role
from caseledger.case import lifecycle, service, trial
from caseledger.db import Database
from caseledger.domains import load_all
from caseledger.errors import CaseledgerError
from caseledger.evidence import items
from caseledger.ledger import store
from caseledger.ledger import verify as verifier
from caseledger.ledger.envelope import HASHED_COLUMNS, Actor, canonical_payload, format_time
from caseledger.plea import service as plea

POLICE = Actor("police-1", Role.investigator, "PSB110105")
PROS = Actor("pros-1", Role.prosecutor, "PRO110105")
JUDGE = Actor("judge-1", Role.judge, "CRT110105")
COUNSEL = Actor("lawyer-1", Role.defence_counsel, "BAR110000")
FACTS = trial.ProcedureFacts(
    expected_sentence_months=8,
    facts_clear_evidence_sufficient=True,
    pleaded=True,
    admits_crime=True,
    agrees_to_procedure=True,
)
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"


class Store:
    """A fresh, migrated database: a SQLite file or a PostgreSQL schema."""

    def __init__(self, kind: str, tmp: Path, pg: str) -> None:
        self.kind, self.pg, self.schema = kind, pg, ""
        if kind == "sqlite":
            self.url = f"sqlite:///{tmp / (uuid.uuid4().hex + '.db')}"
        else:
            self.schema = "bench_" + uuid.uuid4().hex[:8]
            with psycopg.connect(pg, autocommit=True) as conn:
                conn.execute(f"CREATE SCHEMA {self.schema}")
            self.url = (
                pg.replace("postgresql://", "postgresql+psycopg://", 1)
                + f"?options=-csearch_path%3D{self.schema}"
            )
        self.db = Database(self.url)
        migrate.upgrade(self.db.engine)

    def close(self) -> None:
        self.db.dispose()
        if self.schema:
            with psycopg.connect(self.pg, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {self.schema} CASCADE")


Timing = tuple[int, float, float, float]


def timed(fn: Callable[[], int]) -> Timing:
    """Run ``fn`` (which returns a count); return (count, wall seconds, CPU seconds of this
    process, CPU seconds of the local PostgreSQL server's processes)."""
    s0, c0, t0 = server_cpu(), time.process_time(), time.perf_counter()
    n = fn()
    return n, time.perf_counter() - t0, time.process_time() - c0, server_cpu() - s0


def server_cpu() -> float:
    """CPU seconds used so far by the processes named ``postgres`` on this machine (Linux
    ``/proc``; 0 elsewhere). The server shares the box's cores with the client, so its work per
    event counts as much as the client's; other users of the same server disturb it."""
    total = 0
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        if stat[stat.index("(") + 1 : stat.rindex(")")].startswith("postgres"):
            fields = stat[stat.rindex(")") + 2 :].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


# -- 1. the live workload ----------------------------------------------------------------------

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


def live(db: Database, defendants: int, group: int, read_ahead: bool) -> int:
    """The interleaved workload; ``group`` commands per transaction (1: no batch)."""
    base = dt.date(2026, 1, 5)
    starts = [base + dt.timedelta(days=i % 200) for i in range(defendants)]

    def register(start: dt.date) -> Callable[[Any], str]:
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

    def execute(commands: list[Callable[[Any], Any]], numbers: list[str]) -> list[Any]:
        out: list[Any] = []
        for i in range(0, len(commands), group):
            if group == 1:
                out.append(db.run(commands[i]))
                continue
            with db.batch() as b:
                if read_ahead and numbers:
                    service.read_ahead(b.session, numbers[i : i + group])
                out += [b.run(fn) for fn in commands[i : i + group]]
        errors = [r for r in out if isinstance(r, CaseledgerError)]
        assert not errors, errors[0].one_line()
        return out

    numbers = execute([register(start) for start in starts], [])
    for fn, actor, kwargs, offset in STEPS:
        execute(
            [act(fn, actor, kwargs, offset, n, st) for n, st in zip(numbers, starts, strict=True)],
            numbers,
        )
    return defendants * (3 + len(STEPS))


def plain_inserts(db: Database, n: int, group: int) -> int:
    """Baseline: n rows into an unchained table with the same columns, ``group`` per
    transaction (same durability settings)."""
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE plain_events (id INTEGER, case_id VARCHAR(36), seq INTEGER, "
                "event_type VARCHAR(64), occurred_at VARCHAR(27), actor_id VARCHAR(64), "
                "payload TEXT)"
            )
        )
    stmt = text("INSERT INTO plain_events VALUES (:i, :c, :s, 'x', '2026', 'a', '{}')")
    for i in range(0, n, group):
        with db.engine.begin() as conn:
            conn.execute(
                stmt,
                [{"i": j, "c": str(j // 10), "s": j % 10} for j in range(i, min(n, i + group))],
            )
    return n


# -- 2. synthetic lifecycles -------------------------------------------------------------------


def walk(b: Any, start: dt.date, i: int) -> None:
    """One case walked end to end in batch ``b`` (17 or 18 events)."""

    def at(days: int) -> dt.date:
        return start + dt.timedelta(days=days)

    case = b.run(
        service.register_case,
        actor=POLICE,
        reported_on=start,
        summary="synthetic",
        at=start,
        defendants=[service.NewDefendant(name="x", age_at_offence=30, charges=["theft"])],
    )
    k = {"case_number": case.case_number, "defendant_no": 1}
    out = [
        case,
        b.run(lifecycle.impose_measure, actor=POLICE, measure="criminal_detention", at=at(0), **k),
        b.run(lifecycle.request_arrest, actor=POLICE, at=at(2), **k),
        b.run(lifecycle.decide_arrest, actor=PROS, approved=True, at=at(5), **k),
        b.run(
            items.collect,
            actor=POLICE,
            category="physical",
            description="a bag",
            method="search",
            at=at(6),
            **k,
        ),
        b.run(plea.notify_rights, actor=POLICE, items=["plea rules"], at=at(7), **k),
        b.run(
            plea.assign_counsel,
            actor=POLICE,
            kind="duty_lawyer",
            lawyer_id="duty-1",
            office="legal aid",
            at=at(8),
            **k,
        ),
        b.run(plea.admit_guilt, actor=POLICE, at=at(9), **k),
        b.run(lifecycle.transfer_for_prosecution, actor=POLICE, at=at(30), **k),
        b.run(
            lifecycle.assess_evidence, actor=PROS, sufficient=True, reasoning="ok", at=at(39), **k
        ),
        b.run(
            lifecycle.decide_prosecution, actor=PROS, prosecute=True, evidence=[1], at=at(40), **k
        ),
        b.run(
            trial.assign_procedure,
            actor=JUDGE,
            procedure="fast_track",
            facts=FACTS,
            at=at(42),
            **k,
        ),
        b.run(
            trial.render_judgment,
            actor=JUDGE,
            verdict="convicted",
            penalty_type="imprisonment",
            term_months=8,
            at=at(50),
            **k,
        ),
    ]
    if i % 2:
        out.append(b.run(trial.file_appeal, actor=COUNSEL, kind="appeal", at=at(52), **k))
        out.append(b.run(trial.decide_appeal, actor=JUDGE, outcome="upheld", at=at(70), **k))
    else:
        out.append(b.run(trial.declare_final, actor=JUDGE, at=at(62), **k))
    out.append(b.run(trial.start_execution, actor=JUDGE, at=at(75), **k))
    errors = [r for r in out if isinstance(r, CaseledgerError)]
    assert not errors, errors[0].one_line()


def synthetic(db: Database, cases: int, per_commit: int = 1000) -> int:
    base = dt.date(2025, 1, 5)
    with db.batch() as b:
        for i in range(cases):
            walk(b, base + dt.timedelta(days=i % 300), i)
            if (i + 1) % per_commit == 0:
                b.commit()
    with db.read() as s:
        return s.execute(text("SELECT count(*) FROM events")).scalar_one()


def plain_events(db: Database, n: int, transactions: int) -> int:
    """Baseline: n event-shaped rows with executemany, unchained, in ``transactions``."""
    recorded = format_time(dt.datetime.now(dt.UTC))
    rows = [
        (
            str(uuid.uuid4()),
            str(i // 18),
            i % 18 + 1,
            "measure.imposed",
            recorded,
            recorded,
            "police-1",
            "investigator",
            "PSB110105",
            "CPL art 82",
            None,
            '{"measure":"criminal_detention","replaces":"none"}',
            "",
            "",
        )
        for i in range(n)
    ]
    per = -(-n // max(transactions, 1))
    mark = "?" if db.engine.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO events ({', '.join(_COLUMNS)}) VALUES ({', '.join([mark] * 14)})"
    for i in range(0, n, per):
        with db.engine.begin() as conn:
            conn.exec_driver_sql(sql, rows[i : i + per])
    return n


_COLUMNS = (*HASHED_COLUMNS, "hash")


# -- 3. and 4. bulk import and verify ----------------------------------------------------------


def import_stream(n: int, per_case: int = 30):  # type: ignore[no-untyped-def]
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


def bulk(db: Database, n: int) -> int:
    with db.write() as s:
        return store.bulk_append(s, import_stream(n), known_new_cases=True)


def bulk_baseline(db: Database, n: int) -> int:
    recorded = format_time(dt.datetime.now(dt.UTC))
    sql = f"INSERT INTO events ({', '.join(_COLUMNS)}) VALUES ({', '.join(['?'] * 14)})"
    with db.engine.begin() as conn:
        batch = []
        for i, ev in enumerate(import_stream(n)):
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
                conn.exec_driver_sql(sql, batch)
                batch = []
        if batch:
            conn.exec_driver_sql(sql, batch)
    return n


def read_all(db: Database) -> int:
    with db.read() as s:
        return sum(
            1
            for _ in s.connection().execute(
                text(f"SELECT {', '.join(_COLUMNS)} FROM events ORDER BY case_id, seq")
            )
        )


def verify_all(db: Database, home: Path) -> int:
    with db.read() as s:
        report = verifier.verify(s, key_path=home / "key.pem", checkpoint_dir=home / "ckpt")
    assert report.ok, report.first
    return report.events


# -- the report --------------------------------------------------------------------------------


class Report:
    def __init__(self, repeat: int) -> None:
        self.repeat = repeat
        self.rows: list[tuple[str, ...]] = []

    def best(self, make: Callable[[], Timing]) -> tuple[int, float, float, float, str]:
        """Best of ``repeat`` runs by wall time, and the spread of the rates."""
        runs = [make() for _ in range(self.repeat)]
        n, wall, cpu, server = min(runs, key=lambda r: r[1])
        rates = sorted(r[0] / r[1] for r in runs)
        spread = f" ({rates[0]:,.0f}-{rates[-1]:,.0f})" if len(runs) > 1 else ""
        return n, wall, cpu, server, spread

    def rate(
        self, label: str, run: Any, base: Any, base_label: str, target: str, *, pg: bool = False
    ) -> None:
        n, wall, cpu, server, spread = run
        bn, bwall, _bcpu, _bserver, bspread = base
        self.rows.append(
            (
                label,
                f"{n / wall:,.0f}{spread}",
                f"{n / cpu:,.0f}",
                f"{1e6 * server / n:,.0f}" if pg else "",
                f"{bn / bwall:,.0f}{bspread} {base_label}",
                f"{(n / wall) / (bn / bwall):.2f}",
                target,
            )
        )
        print(" | ".join(self.rows[-1]), flush=True)

    def print(self) -> None:
        print()
        print(
            "| measure | caseledger (events/s) | events per CPU-s | server CPU µs per event "
            "| baseline (same run) | ratio | target |"
        )
        print("|---|---|---|---|---|---|---|")
        for r in self.rows:
            print("| " + " | ".join(r) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (about a minute)")
    parser.add_argument("--defendants", type=int, help="live workload size (default 400)")
    parser.add_argument("--group", type=int, default=50, help="commands per batch (default 50)")
    parser.add_argument("--cases", type=int, help="synthetic cases (default 5,000)")
    parser.add_argument("--events", type=int, help="bulk/verify size (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per figure (best is shown)")
    parser.add_argument("--pg", default=os.environ.get("CASELEDGER_TEST_PG", PG_DEFAULT))
    parser.add_argument("--only", choices=["live", "synthetic", "bulk"], help="one part only")
    args = parser.parse_args()
    defendants = args.defendants or (100 if args.quick else 400)
    cases = args.cases or (300 if args.quick else 5000)
    events = args.events or (50_000 if args.quick else 1_000_000)
    load_all()
    try:
        with psycopg.connect(args.pg, connect_timeout=3):
            kinds = ["sqlite", "postgresql"]
    except psycopg.Error:
        kinds = ["sqlite"]
        print(f"PostgreSQL not reachable at {args.pg}: SQLite only")
    report = Report(args.repeat)
    g = args.group
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)

        def on(kind: str, fn: Callable[[Database], int]) -> Callable[[], Timing]:
            def run() -> Timing:
                st = Store(kind, tmpdir, args.pg)
                try:
                    return timed(lambda: fn(st.db))
                finally:
                    st.close()

            return run

        for kind in kinds:
            name = "SQLite" if kind == "sqlite" else "PostgreSQL"
            if args.only in (None, "live"):
                n = defendants * (3 + len(STEPS))
                one = report.best(on(kind, lambda db: live(db, defendants, 1, False)))
                base1 = report.best(on(kind, lambda db, n=n: plain_inserts(db, n, 1)))
                report.rate(
                    f"live workload, {name}, 1 command/txn",
                    one,
                    base1,
                    "plain 1-row txns",
                    "≥ 2,000",
                    pg=kind != "sqlite",
                )
                grp = report.best(on(kind, lambda db: live(db, defendants, g, True)))
                baseg = report.best(on(kind, lambda db, n=n: plain_inserts(db, n, g)))
                report.rate(
                    f"live workload, {name}, batches of {g} (read ahead)",
                    grp,
                    baseg,
                    f"plain rows, {g} per txn",
                    "≥ 2,000",
                    pg=kind != "sqlite",
                )
                cold = report.best(on(kind, lambda db: live(db, defendants, g, False)))
                report.rate(
                    f"live workload, {name}, batches of {g} (no read-ahead)",
                    cold,
                    baseg,
                    f"plain rows, {g} per txn",
                    "",
                    pg=kind != "sqlite",
                )
            if args.only in (None, "synthetic"):
                syn = report.best(on(kind, lambda db: synthetic(db, cases)))
                commits = -(-cases // 1000)
                base = report.best(on(kind, lambda db, n=syn[0], c=commits: plain_events(db, n, c)))
                report.rate(
                    f"synthetic lifecycles, {name}, {cases:,} cases in batches",
                    syn,
                    base,
                    "plain event rows, executemany",
                    "≥ 20,000 (SQLite)" if kind == "sqlite" else "",
                    pg=kind != "sqlite",
                )
        if args.only in (None, "bulk"):
            run = report.best(on("sqlite", lambda db: bulk(db, events)))
            base = report.best(on("sqlite", lambda db: bulk_baseline(db, events)))
            report.rate(
                f"bulk import {events:,} events, SQLite",
                run,
                base,
                "unchained executemany",
                "≥ 50,000",
            )
            st = Store("sqlite", tmpdir, args.pg)
            bulk(st.db, events)
            n, read, _, _ = timed(lambda: read_all(st.db))
            _, ver, _, _ = timed(lambda: verify_all(st.db, tmpdir))
            report.rows.append(
                (
                    f"verify {n:,} events (seconds)",
                    f"{ver:.1f} s",
                    "",
                    "",
                    f"{read:.1f} s read rows without hashing",
                    f"{read / ver:.2f}",
                    "< 20 s",
                )
            )
            st.close()
    report.print()
    print(json.dumps({"host_cpus": os.cpu_count(), "date": dt.date.today().isoformat()}))


if __name__ == "__main__":
    main()
