"""``caseledger export``: the ledger into the Parquet warehouse, incrementally.

The warehouse remembers the ledger it came from and a **watermark**: the storage id
(``events.id``) of the last event exported. An export reads the ledger's current high mark,
finds the cases with events above the watermark, re-reads only those cases' chains, and then

- appends an ``events`` row for every event not exported before (a case-level event that came
  before its first defendant is exported with that defendant), and
- replaces the ``defendants`` row of every defendant of those cases, recomputed from the whole
  chain (:mod:`caseledger.warehouse.facts`);

all in one warehouse transaction together with the new watermark: a crash at any point leaves
the previous warehouse, watermark included, so the next export simply does the work again.

The high mark is exact: storage ids grow in commit order on SQLite (one writer at a time); on
PostgreSQL the export takes a brief ``SHARE`` lock on ``events`` to read it, which waits for
transactions still appending, so no event below the mark can commit later.

Must never: write to the ledger, or leave a warehouse whose rows and watermark disagree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from sqlalchemy import text
from sqlalchemy.orm import Session

from caseledger.db import Database, is_sqlite
from caseledger.errors import InvalidInput
from caseledger.warehouse import facts, transaction
from caseledger.warehouse.schema import DEFENDANTS, EVENTS, TABLES

Progress = Callable[[int], None]
CASE_BATCH = 500  # cases per IN (...) query of an incremental export

_COLUMNS = (
    "id, case_id, seq, event_type, occurred_at, actor_id, actor_role, agency_code, "
    "defendant_id, payload"
)


@dataclass
class ExportReport:
    warehouse: Path
    ledger: str
    full: bool
    watermark_before: int
    watermark: int
    cases: int
    events_appended: int
    defendants_replaced: int
    seconds: float
    years: list[int] = field(default_factory=list)


def ledger_identity(session: Session) -> str:
    """A fingerprint of the ledger: the hash of its first event (empty for an empty ledger)."""
    row = session.execute(text("SELECT hash FROM events ORDER BY id LIMIT 1")).first()
    return row[0] if row else ""


def high_mark(db: Database) -> int:
    """The storage id below which every event is committed and none can still appear."""
    with db.write() as session:
        if not is_sqlite(db.engine):
            session.execute(text("LOCK TABLE events IN SHARE MODE"))
        return int(session.execute(text("SELECT coalesce(max(id), 0) FROM events")).scalar_one())


def touched_cases(session: Session, since: int, upto: int) -> list[str]:
    """Cases with an event in ``(since, upto]``, in case id order."""
    rows = session.execute(
        text(
            "SELECT DISTINCT case_id FROM events WHERE id > :since AND id <= :upto ORDER BY case_id"
        ),
        {"since": since, "upto": upto},
    )
    return [r[0] for r in rows]


def _event(row: Any) -> facts.LedgerEvent:
    return facts.LedgerEvent(
        row[0],
        row[1],
        row[2],
        row[3],
        facts.legal_day(row[4]),
        row[5],
        row[6],
        row[7],
        row[8],
        orjson.loads(row[9]),
    )


def _by_case(rows: Iterator[Any]) -> Iterator[list[facts.LedgerEvent]]:
    current: str | None = None
    chain: list[facts.LedgerEvent] = []
    for row in rows:
        if row[1] != current:
            if chain:
                yield chain
            current, chain = row[1], []
        chain.append(_event(row))
    if chain:
        yield chain


def read_chains(
    session: Session, *, upto: int, cases: list[str] | None
) -> Iterator[list[facts.LedgerEvent]]:
    """Whole chains (up to the high mark) of ``cases``, or of every case when None."""
    if cases is None:
        result = session.execute(
            text(f"SELECT {_COLUMNS} FROM events WHERE id <= :upto ORDER BY case_id, seq"),
            {"upto": upto},
            execution_options={"stream_results": True, "yield_per": 20_000},
        )
        yield from _by_case(iter(result))
        return
    for i in range(0, len(cases), CASE_BATCH):
        part = cases[i : i + CASE_BATCH]
        marks = ", ".join(f":c{k}" for k in range(len(part)))
        result = session.execute(
            text(
                f"SELECT {_COLUMNS} FROM events WHERE id <= :upto AND case_id IN ({marks}) "
                "ORDER BY case_id, seq"
            ),
            {"upto": upto, **{f"c{k}": c for k, c in enumerate(part)}},
        )
        yield from _by_case(iter(result))


class Collector:
    """Rows of an export, per cohort year, ready to be turned into sorted Arrow tables."""

    def __init__(self, since: int) -> None:
        self.since = since
        self.events: dict[int, list[tuple[Any, ...]]] = {}
        self.defendants: dict[int, list[dict[str, Any]]] = {}
        self.cases = 0

    def add(self, chain: list[facts.LedgerEvent]) -> None:
        rows = facts.case_rows(chain, since=self.since)
        if rows.year is None:
            return
        self.cases += 1
        if rows.events:
            self.events.setdefault(rows.year, []).extend(rows.events)
        if rows.defendants:
            self.defendants.setdefault(rows.year, []).extend(rows.defendants)

    def years(self) -> list[int]:
        return sorted(set(self.events) | set(self.defendants))

    def events_table(self, year: int) -> pa.Table:
        return events_table(self.events.get(year, []))

    def defendants_table(self, year: int) -> pa.Table:
        return defendants_table(self.defendants.get(year, []))


def events_table(rows: list[tuple[Any, ...]]) -> pa.Table:
    """``events`` rows (tuples in schema order) as a table sorted as the warehouse stores it."""
    schema = EVENTS.schema
    cols = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    table = pa.Table.from_arrays(
        [pa.array(c, type=f.type) for c, f in zip(cols, schema, strict=True)], schema=schema
    )
    return table.sort_by([(k, "ascending") for k in EVENTS.sort_by])


def defendants_table(rows: list[dict[str, Any]]) -> pa.Table:
    """``defendants`` rows (dicts by column) as a table sorted as the warehouse stores it."""
    schema = DEFENDANTS.schema
    table = pa.Table.from_arrays(
        [pa.array([r[f.name] for r in rows], type=f.type) for f in schema], schema=schema
    )
    return table.sort_by([(k, "ascending") for k in DEFENDANTS.sort_by])


def collect(db: Database, *, since: int, upto: int, progress: Progress | None = None) -> Collector:
    """Read the cases touched in ``(since, upto]`` and fold them into warehouse rows."""
    out = Collector(since)
    with db.read() as session:
        cases = None if since == 0 else touched_cases(session, since, upto)
        if cases == []:
            return out
        for chain in read_chains(session, upto=upto, cases=cases):
            out.add(chain)
            if progress is not None:
                progress(len(chain))
    return out


def fingerprint(identity: str) -> str:
    """Short id of a ledger (from the hash of its first event)."""
    return hashlib.sha256(identity.encode()).hexdigest()[:16] if identity else ""


@dataclass(frozen=True)
class State:
    """What an exported warehouse remembers of its ledger (``state["export"]``)."""

    ledger: str
    watermark: int


STATE_KEY = "export"


def previous_state(tx: transaction.Transaction, ledger: str, *, full: bool) -> State | None:
    """The state of an earlier export into the warehouse (None: start from scratch).

    Refuses to extend a warehouse that another ledger or something else wrote, unless ``full``
    asks to replace its content.
    """
    saved = tx.state.get(STATE_KEY)
    has_rows = any(tx.files(name) for name in TABLES)
    if full or (saved is None and not has_rows):
        return None
    if saved is None or saved.get("ledger") != ledger:
        source = tx.manifest.get("source") or {}
        author = source.get("generator") or source.get("created_by") or "another tool"
        what = "was exported from another ledger" if saved else f"was written by {author}"
        raise InvalidInput(
            f"the warehouse {what}; give another --warehouse, or --full to replace it",
            path=str(tx.path),
        )
    return State(ledger, int(saved["watermark"]))


def run(
    db: Database,
    target: Path,
    *,
    full: bool = False,
    progress: Progress | None = None,
    wait: float = 0.0,
) -> ExportReport:
    """Export the ledger's new events into the warehouse at ``target`` (see the module doc)."""
    start = time.perf_counter()
    target = target.expanduser().absolute()
    if target.exists() and not target.is_dir():
        raise InvalidInput("the warehouse path exists and is not a directory", path=str(target))
    with db.read() as session:
        identity = fingerprint(ledger_identity(session))
    with transaction.open(target, create=True, wait=wait) as tx:
        state = previous_state(tx, identity, full=full)
        since = state.watermark if state else 0
        upto = high_mark(db)
        if upto < since:
            raise InvalidInput(
                "the warehouse is ahead of the ledger (was the database restored from an older "
                "copy?); use --full to export it again",
                watermark=since,
                ledger_events=upto,
            )
        rows = collect(db, since=since, upto=upto, progress=progress)
        appended, replaced = _write(tx, rows, incremental=state is not None)
        tx.state[STATE_KEY] = {
            "ledger": identity,
            "watermark": upto,
            "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
    return ExportReport(
        warehouse=target,
        ledger=identity,
        full=state is None,
        watermark_before=since,
        watermark=upto,
        cases=rows.cases,
        events_appended=appended,
        defendants_replaced=replaced,
        seconds=round(time.perf_counter() - start, 2),
        years=rows.years(),
    )


def _write(tx: transaction.Transaction, rows: Collector, *, incremental: bool) -> tuple[int, int]:
    """Stage the rows in the transaction: events appended, defendants' partitions replaced with
    the old rows minus the recomputed defendants plus their new rows. A full export replaces
    every partition (one it no longer has becomes empty)."""
    appended = replaced = 0
    years = rows.years()
    if not incremental:
        for name in TABLES:
            for year in tx.files(name):
                if year not in years:
                    tx.replace(table=name, year=year, data=_empty(name))
    old_defendants = tx.files("defendants")
    for year in years:
        events = rows.events_table(year)
        defendants = rows.defendants_table(year)
        appended += events.num_rows
        replaced += defendants.num_rows
        if incremental:
            tx.append(table="events", year=year, data=events)
            defendants = _merge(_read(old_defendants.get(year, [])), defendants)
        else:
            tx.replace(table="events", year=year, data=events)
        tx.replace(table="defendants", year=year, data=defendants)
    return appended, replaced


def _read(paths: list[Path]) -> pa.Table | None:
    if not paths:
        return None
    return pa.concat_tables([pq.read_table(p) for p in paths])


def _empty(name: str) -> pa.Table:
    return TABLES[name].schema.empty_table()


def _merge(old: pa.Table | None, new: pa.Table) -> pa.Table:
    """``old`` rows whose defendant is not in ``new``, then ``new`` (the transaction sorts)."""
    if old is None or not old.num_rows:
        return new
    keep = pc.invert(pc.is_in(old["defendant_id"], value_set=new["defendant_id"]))
    return pa.concat_tables([old.filter(keep).select(new.schema.names).cast(new.schema), new])
