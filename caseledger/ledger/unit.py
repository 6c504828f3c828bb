"""The write unit: one write transaction's working set of projection rows and pending events.

Owns how appends and projectors change projection state inside a write transaction, and when
the changes reach the database. The first time a transaction needs a case, its rows and chain
head are read in one go (:mod:`caseledger.ledger.reads`); after that the unit answers from
memory, and projectors change the rows in memory. Changes are written when the unit flushes,
with one multi-row statement per table and kind: before the transaction commits, before any
other statement runs on the session (so a plain query always sees what was appended), and when
a batch has grown. In a batch (:mod:`caseledger.ledger.batch`) every command keeps an undo log,
so a refused command is taken back alone, also when it had appended part of its events.

It must never decide anything (commands check, projectors apply), never keep rows beyond its
transaction, and never be bypassed by a projector: projectors read and change rows only through
:meth:`Unit.get`, :meth:`Unit.rows`, :meth:`Unit.change`, :meth:`Unit.new`, :meth:`Unit.add`
and :meth:`Unit.remove`, or an undo would miss their change.

Rows are instances of the mapped classes (``Defendant``, ``Plea`` ...; of a plain subclass that
the ORM does not instrument, :func:`caseledger.ledger.tables.row_class`), kept out of the ORM
session: the ORM's unit of work is what made one command cost a millisecond. A row is known by
its natural key (primary key, or the unique constraint when the primary key is a surrogate
``id``), so updates and deletes never need the surrogate id.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy import Table, event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from caseledger.errors import ConcurrencyConflict
from caseledger.ledger.envelope import GENESIS_HASH, HASHED_COLUMNS, StoredEvent
from caseledger.ledger.reads import Reads
from caseledger.ledger.tables import TableSQL, Write, write_many

KEY = "caseledger.unit"
M = TypeVar("M")


def unit_of(session: Session) -> Unit:
    """The session's write unit (created on first use, dropped when its transaction ends)."""
    unit = session.info.get(KEY)
    if unit is None:
        unit = session.info[KEY] = Unit(session)
    return unit


_TABLES: dict[tuple[type, str, str], TableSQL] = {}


class _Command:
    """The undo log of one command of a batch."""

    __slots__ = ("counters", "events_mark", "heads", "ops", "savepoint", "snaps")

    def __init__(self, events_mark: int) -> None:
        self.events_mark = events_mark
        self.snaps: dict[int, tuple[Any, dict[str, Any], bool]] = {}
        # ("add", obj) and ("remove", obj, position, was_new, was_dirty), in the order done
        self.ops: list[tuple[Any, ...]] = []
        self.heads: dict[str, tuple[int, str] | None] = {}
        self.counters: dict[Any, int | None] = {}
        self.savepoint: Any = None


_HEAD_SQL = (
    "SELECT e.case_id, e.seq, e.hash FROM events e WHERE e.case_id IN ({case}) "
    "AND e.seq = (SELECT max(m.seq) FROM events m WHERE m.case_id = e.case_id)"
)
# PostgreSQL: one backward probe of the (case_id, seq) index per case. The form above makes it
# scan every event of the cases and check each against the maximum: three times the server's
# time for 50 cases of 11 events (1.5 ms against 0.5 ms), growing with the chains' length.
# ``{source}`` is a row source with one column ``case_id`` (a VALUES list or a subquery).
_HEAD_SQL_PG = (
    "SELECT c.case_id, e.seq, e.hash FROM {source} CROSS JOIN LATERAL "
    "(SELECT m.seq, m.hash FROM events m WHERE m.case_id = c.case_id "
    "ORDER BY m.seq DESC LIMIT 1) e"
)
_EVENT_COLUMNS = (*HASHED_COLUMNS, "hash")


class Unit(Reads):
    """The working set of one write transaction (see the module docstring)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect
        self.sqlite = self.dialect.name == "sqlite"
        self.mark = mark = "?" if self.dialect.paramstyle == "qmark" else "%s"
        self._head_sql = _HEAD_SQL if self.sqlite else _HEAD_SQL_PG
        self._insert_events = (
            f"INSERT INTO events ({', '.join(_EVENT_COLUMNS)}) "
            f"VALUES ({', '.join([mark] * len(_EVENT_COLUMNS))})"
        )
        self._copy_events = (
            None if self.sqlite else f"COPY events ({', '.join(_EVENT_COLUMNS)}) FROM STDIN"
        )
        self._events_sql = (
            "SELECT seq, event_type, occurred_at, actor_id, payload FROM events "
            f"WHERE case_id = {mark} AND defendant_id = {mark} AND event_type = {mark} "
            "ORDER BY seq"
        )
        self._conn: Connection | None = None
        self._driver: Any = None
        self._tables: dict[type, TableSQL] = {}
        self._bundle: list[TableSQL] | None = None
        self._clear()
        self.command: _Command | None = None
        self.broken = False
        self._flushing = False
        self._own = False  # the unit itself is opening or ending a savepoint

    def _clear(self) -> None:
        self._objs: dict[Table, dict[tuple[Any, ...], Any]] = {}
        self._lists: dict[tuple[Table, str], list[Any]] = {}
        self._loaded: set[str] = set()
        self._index: dict[tuple[Table, str], dict[Any, Any]] = {}
        self._indexes_of: dict[Table, list[tuple[str, dict[Any, Any]]]] = {}
        self._fresh: set[str] = set()
        self._heads: dict[str, tuple[int, str]] = {}
        self._counters: dict[Any, int] = {}
        self._new: dict[int, Any] = {}
        self._dirty: dict[int, Any] = {}
        # A changed row's values as stored (as of its first change since the last flush): the
        # flush then sets only the columns that differ.
        self._stored: dict[int, dict[str, Any]] = {}
        self._deleted: dict[int, Any] = {}
        self._gone: set[tuple[Table, tuple[Any, ...]]] = set()
        self._events: list[StoredEvent] = []
        self._case_events: dict[str, list[StoredEvent]] = {}

    # -- the connection ------------------------------------------------------------------

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            self._conn = self.session.connection()
            _BY_CONNECTION[self._conn] = self
            _watch_savepoints(self._conn)
        return self._conn

    @property
    def driver(self) -> Any:
        """The driver's connection (sqlite3 or psycopg), in the session's transaction."""
        if self._driver is None:
            self._driver = self.conn.connection.driver_connection
        return self._driver

    def _t(self, model: type) -> TableSQL:
        info = self._tables.get(model)
        if info is None:
            mapped = model.__dict__.get("_row_of", model)  # a row class: its mapped class
            key = (mapped, self.dialect.name, self.dialect.paramstyle)
            info = _TABLES.get(key)
            if info is None:
                info = _TABLES[key] = TableSQL(mapped, self.dialect)
            self._tables[model] = info
        return info

    def next_number(self, key: Any, load: Callable[[Connection], int | None]) -> int:
        """The next number of a counter (e.g. case serials per agency and year): the stored
        maximum read once by ``load``, then counted here."""
        current = self._counters.get(key)
        if current is None:
            current = load(self.conn) or 0
        if self.command is not None and key not in self.command.counters:
            self.command.counters[key] = self._counters.get(key)
        self._counters[key] = current + 1
        return current + 1

    def know_numbers(self, current: dict[Any, int]) -> None:
        """Stored maxima of counters read ahead (``next_number`` then reads nothing); a
        counter the unit already holds is kept."""
        cmd = self.command
        for key, value in current.items():
            if key in self._counters:
                continue
            if cmd is not None and key not in cmd.counters:
                cmd.counters[key] = None
            self._counters[key] = value

    # -- changing ------------------------------------------------------------------------

    def open_chain(self, case_id: str) -> None:
        """Declare a case id that has no events yet (a new case): nothing to read for it."""
        self._fresh.add(case_id)
        self._heads.setdefault(case_id, (0, GENESIS_HASH))

    def append_event(self, ev: StoredEvent) -> None:
        """Queue an appended event (its head is then the case's head)."""
        cmd = self.command
        if cmd is not None and ev.case_id not in cmd.heads:
            cmd.heads[ev.case_id] = self._heads.get(ev.case_id)
        self._heads[ev.case_id] = (ev.seq, ev.hash)
        if ev.seq == 1:
            self._fresh.add(ev.case_id)  # a chain starting now has no projection rows yet
        self._events.append(ev)
        self._case_events.setdefault(ev.case_id, []).append(ev)
        if self.session.identity_map:
            # Rows someone loaded through the ORM on this session are read again (after a
            # flush) when next used, so they do not show the state before this event.
            self.session.expire_all()

    def new(self, model: type[M], **values: Any) -> M:
        """Insert a new row of ``model`` with these column values (the others get their
        defaults) and return it; cheaper than building the instance with its constructor."""
        t = self._t(model)
        if not values.keys() <= t.names:
            raise TypeError(f"{t.table.name} has no column {sorted(values.keys() - t.names)}")
        obj = object.__new__(t.row_class)
        d = obj.__dict__
        d.update(t.defaults)
        d.update(values)
        self._insert(t, obj)
        if self.command is not None:
            self.command.ops.append(("add", obj))
        return obj

    def add(self, obj: Any) -> Any:
        """Insert a new row (a fresh instance of a mapped class)."""
        t = self._t(type(obj))
        d = obj.__dict__
        for c in t.columns:
            if c not in d:
                d[c] = t.defaults[c]
        self._insert(t, obj)
        if self.command is not None:
            self.command.ops.append(("add", obj))
        return obj

    def change(self, obj: M) -> M:
        """Declare that ``obj`` is about to change (call before setting its attributes)."""
        oid = id(obj)
        cmd = self.command
        if cmd is not None and oid not in cmd.snaps:
            cmd.snaps[oid] = (obj, dict(obj.__dict__), oid in self._dirty)
        if oid not in self._new:
            if oid not in self._dirty and oid not in self._stored:
                self._stored[oid] = dict(obj.__dict__)
            self._dirty[oid] = obj
        return obj

    def remove(self, obj: Any) -> None:
        """Delete a row."""
        t = self._t(type(obj))
        position, was_new, was_dirty = self._delete(t, obj)
        if self.command is not None:
            self.command.ops.append(("remove", obj, position, was_new, was_dirty))

    def _insert(self, t: TableSQL, obj: Any, position: int | None = None) -> None:
        d = obj.__dict__
        key = t.key_of(obj)
        if t.case_col is not None:
            lst = self._lists.get((t.table, d["case_id"]))
            if lst is None:
                lst = self.rows(t.model, d["case_id"])
            if position is None:
                lst.append(obj)
            else:
                lst.insert(position, obj)
        objs = self._objs.get(t.table)
        if objs is None:
            objs = self._objs[t.table] = {}
        if key in objs:
            raise RuntimeError(f"{t.table.name} already has a row {key}")
        objs[key] = obj
        for column, index in self._indexes_of.get(t.table, ()):
            index[d[column]] = obj
        self._new[id(obj)] = obj
        if self._gone:
            self._gone.discard((t.table, key))

    def _delete(self, t: TableSQL, obj: Any) -> tuple[int, bool, bool]:
        d = obj.__dict__
        key = t.key_of(obj)
        position = -1
        if t.case_col is not None:
            lst = self._lists.get((t.table, d["case_id"]))
            if lst is None:
                lst = self.rows(t.model, d["case_id"])
            position = lst.index(obj)
            del lst[position]
        del self._objs[t.table][key]
        for column, index in self._indexes_of.get(t.table, ()):
            index.pop(d[column], None)
        oid = id(obj)
        was_new = self._new.pop(oid, None) is not None
        was_dirty = self._dirty.pop(oid, None) is not None
        if not was_new:
            self._deleted[oid] = obj
            self._gone.add((t.table, key))
        return position, was_new, was_dirty

    def _forget(self, obj: Any) -> None:
        """Take a row out of memory without deleting it (undoing its insertion)."""
        t = self._t(type(obj))
        self._delete(t, obj)
        self._deleted.pop(id(obj), None)
        self._gone.discard((t.table, t.key_of(obj)))

    # -- commands of a batch -------------------------------------------------------------

    def begin_command(self) -> None:
        self.command = _Command(events_mark=len(self._events))

    def end_command(self, ok: bool) -> None:
        """Keep (``ok``) or take back everything the current command did."""
        cmd, self.command = self.command, None
        if cmd is None:
            return
        if cmd.savepoint is not None:
            self._own = True
            try:
                (cmd.savepoint.commit if ok else cmd.savepoint.rollback)()
            finally:
                self._own = False
        if ok:
            return
        if cmd.savepoint is not None:
            # Everything before the command was flushed ahead of the savepoint, and the
            # rollback took the database back there: memory follows.
            self._undo(cmd)
            self._new.clear()
            self._dirty.clear()
            self._stored.clear()
            self._deleted.clear()
            self._gone.clear()
            return
        self._undo(cmd)

    def _changed(self, cmd: _Command) -> bool:
        return bool(
            cmd.snaps or cmd.ops or cmd.heads or cmd.counters or len(self._events) > cmd.events_mark
        )

    def _undo(self, cmd: _Command) -> None:
        for ev in self._events[cmd.events_mark :]:
            self._case_events[ev.case_id].pop()
        del self._events[cmd.events_mark :]
        for case_id, head in cmd.heads.items():
            if head is None:
                self._heads.pop(case_id, None)
            else:
                self._heads[case_id] = head
        for key, value in cmd.counters.items():
            if value is None:
                self._counters.pop(key, None)
            else:
                self._counters[key] = value
        for op in reversed(cmd.ops):
            obj = op[1]
            if op[0] == "add":
                self._forget(obj)
                continue
            _kind, obj, position, was_new, was_dirty = op
            self._insert(self._t(type(obj)), obj, position if position >= 0 else None)
            if not was_new:
                del self._new[id(obj)]
                self._deleted.pop(id(obj), None)
                if was_dirty:
                    self._dirty[id(obj)] = obj
        for obj, snap, was_dirty in cmd.snaps.values():
            obj.__dict__.clear()
            obj.__dict__.update(snap)
            if not was_dirty:
                self._dirty.pop(id(obj), None)

    def _flush_in_savepoint(self, cmd: _Command) -> None:
        """Flush in the middle of a command: what earlier commands did first, then a
        savepoint, then this command's part, so that a refusal can still take it back."""
        after_events = self._events[cmd.events_mark :]
        after_heads = {c: self._heads.get(c) for c in cmd.heads}
        after_counters = {k: self._counters.get(k) for k in cmd.counters}
        after_snaps = [(obj, dict(obj.__dict__)) for obj, _s, _d in cmd.snaps.values()]
        self._undo(cmd)
        self.flush()
        self._own = True
        try:
            cmd.savepoint = self.conn.begin_nested()
        finally:
            self._own = False
        for op in cmd.ops:
            if op[0] == "add":
                self._insert(self._t(type(op[1])), op[1])
            else:
                self._delete(self._t(type(op[1])), op[1])
        for obj, values in after_snaps:
            obj.__dict__.clear()
            obj.__dict__.update(values)
            if id(obj) not in self._new:
                self._dirty[id(obj)] = obj
        for ev in after_events:
            self._events.append(ev)
            self._case_events.setdefault(ev.case_id, []).append(ev)
        self._heads.update({c: h for c, h in after_heads.items() if h is not None})
        self._counters.update({k: v for k, v in after_counters.items() if v is not None})
        self.flush()
        cmd.events_mark = 0

    # -- writing -------------------------------------------------------------------------

    @property
    def pending(self) -> int:
        """Events and row changes waiting for the next flush."""
        return len(self._events) + len(self._new) + len(self._dirty) + len(self._deleted)

    @property
    def size(self) -> int:
        """Rows held in memory."""
        return sum(len(objs) for objs in self._objs.values())

    def flush(self) -> None:
        """Write everything pending: events, deletions, insertions, then updates."""
        if not self.pending:
            return
        statements: list[Write] = []
        if self._events:
            statements.append((self._insert_events, self._events, self._copy_events))
        for t, objs in sorted(self._grouped(self._deleted), key=_rank, reverse=True):
            statements.append((t.delete_sql, [t.key_of(o) for o in objs], None))
        for t, objs in sorted(self._grouped(self._new), key=_rank):
            statements.append((t.insert_sql, [t.insert_row(o) for o in objs], t.copy_sql))
        for t, objs in sorted(self._grouped(self._dirty), key=_rank):
            statements += self._updates(t, objs)
        driver = self.driver
        self._flushing = True
        try:
            write_many(driver, self.sqlite, statements)
        except self.dialect.loaded_dbapi.Error as exc:
            self.broken = True
            raise _conflict(exc, self._events, self.dialect.loaded_dbapi) from None
        finally:
            self._flushing = False
        self._events.clear()
        self._case_events.clear()
        self._new.clear()
        self._dirty.clear()
        self._stored.clear()
        self._deleted.clear()
        self._gone.clear()
        self._fresh.clear()  # what they held is stored now

    def _updates(self, t: TableSQL, objs: list[Any]) -> list[Write]:
        """UPDATEs of changed rows, one per set of changed columns, each setting only those
        (a row known to be unchanged is not written; one whose stored state is not known
        has every column set)."""
        by_columns: dict[tuple[str, ...] | None, list[Any]] = {}
        stored = self._stored
        for obj in objs:
            before = stored.get(id(obj))
            columns = None if before is None else t.changed(before, obj.__dict__)
            if columns == ():
                continue
            by_columns.setdefault(columns, []).append(obj)
        out: list[Write] = []
        for columns, rows in by_columns.items():
            if columns is None:
                out.append((t.update_sql, [t.update_row(o) for o in rows], None))
            else:
                sql, values = t.update_of(columns)
                out.append((sql, [values(o) for o in rows], None))
        return out

    def evict(self) -> None:
        """Flush, then forget every row (they are read again when needed)."""
        self.flush()
        self._clear()

    def _grouped(self, objs: dict[int, Any]) -> Iterable[tuple[TableSQL, list[Any]]]:
        groups: dict[type, list[Any]] = {}
        for obj in objs.values():
            groups.setdefault(type(obj), []).append(obj)
        return [(self._t(model), rows) for model, rows in groups.items()]

    def before_foreign_statement(self) -> None:
        """Another statement is about to run on the session: let it see everything."""
        if self._flushing or self.broken or not self.pending:
            return
        cmd = self.command
        if cmd is None or cmd.savepoint is not None or not self._changed(cmd):
            self.flush()
        else:
            self._flush_in_savepoint(cmd)

    def discard(self) -> None:
        if self._conn is not None:
            _BY_CONNECTION.pop(self._conn, None)
        self._clear()
        self.session.info.pop(KEY, None)


_RANKS: dict[Table, int] = {}


def _rank(group: tuple[TableSQL, list[Any]]) -> int:
    """Parents before children (foreign keys), from the metadata's dependency order."""
    table = group[0].table
    if table not in _RANKS:
        from caseledger.db import Base

        _RANKS.clear()
        _RANKS.update({t: i for i, t in enumerate(Base.metadata.sorted_tables)})
    return _RANKS.get(table, len(_RANKS))


def _conflict(exc: Exception, events: list[StoredEvent], dbapi: Any) -> Exception:
    """A constraint or lock error at flush means another writer got there first; any other
    driver error is wrapped as SQLAlchemy would."""
    conflict = isinstance(exc, dbapi.IntegrityError) or (
        isinstance(exc, dbapi.OperationalError)
        and (
            "locked" in str(exc)
            or getattr(exc, "sqlstate", None) in ("40001", "40P01")  # serialization, deadlock
        )
    )
    if not conflict:
        return DBAPIError.instance(None, None, exc, dbapi.Error)  # type: ignore[arg-type]
    cases = sorted({e.case_id for e in events})
    return ConcurrencyConflict(
        "another change to these cases was recorded at the same time; nothing was written, retry",
        case=cases[0] if len(cases) == 1 else f"{len(cases)} cases",
        seq=events[0].seq if len(events) == 1 else None,
    )


# -- session and connection hooks ----------------------------------------------------------


@event.listens_for(Session, "do_orm_execute")
def _before_orm_statement(state: ORMExecuteState) -> None:
    unit = state.session.info.get(KEY)
    if unit is not None:
        unit.before_foreign_statement()


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    unit = session.info.get(KEY)
    if unit is not None:
        unit.flush()


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    unit = session.info.get(KEY)
    if unit is not None and transaction.parent is None:
        unit.discard()


_WATCHED: weakref.WeakSet[Any] = weakref.WeakSet()
_BY_CONNECTION: weakref.WeakKeyDictionary[Connection, Unit] = weakref.WeakKeyDictionary()


def _watch_savepoints(conn: Connection) -> None:
    """Savepoints someone else opens (``session.begin_nested()``) see the unit flushed; rolling
    one back makes the unit forget what it held (the database went back under it)."""
    engine = conn.engine
    if engine in _WATCHED:
        return
    _WATCHED.add(engine)

    @event.listens_for(engine, "savepoint")
    def _savepoint(c: Connection, name: str | None) -> None:
        unit = _BY_CONNECTION.get(c)
        if unit is not None and not unit._own:
            unit.before_foreign_statement()

    @event.listens_for(engine, "rollback_savepoint")
    def _rollback_savepoint(c: Connection, name: str | None, context: Any) -> None:
        unit = _BY_CONNECTION.get(c)
        if unit is not None and not unit._own:
            unit._clear()
            if unit.command is not None:
                unit.broken = True  # a command's undo log no longer matches memory
