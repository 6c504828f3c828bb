"""Ledger work split over worker processes, each into its own scratch SQLite file, merged.

A SQLite file has one writer at a time, and the checked command path is CPU-bound Python: one
process uses one core. To use every core for a large ``synth --ledger`` run, the work is split
into parts whose cases share nothing (for the generator: one part per province, every year of
it), taken by a few processes, each part by one: the first by the calling process, the next by
each worker process, and after that each process takes the next part not yet taken when it
is done with its own, so the processes end close together even when one of them runs slower
(a busy core). The calling process records its parts straight into the target, committed
batch by batch as a run in one process is. Each worker records its parts through the same
commands into a *shard*: a scratch SQLite file with exactly the target's schema (copied from
the target's ``sqlite_master``), written without fsync (a shard is thrown away on any
failure). The workers are forked from a fork server that loads the command path once; they
are started from a thread, so the calling process records its first part meanwhile instead of
waiting for the server.

Between its own batches (and, at the end, while it waits) the calling process merges what the
workers have committed: each step copies one shard's newly committed rows, in their storage
order and verbatim except integer surrogate keys (``events.id`` and the projection tables'
``id``, which the target numbers afresh), in one transaction on the target that reads one
snapshot of the shard (WAL: the worker writes on meanwhile), so it copies whole batches, and so
whole cases. The target's own constraints (unique event ids, one ``(case_id, seq)`` per chain
position, one serial per agency and year, foreign keys) check the rows as they land. Each step
copies only rows not copied before, which is right only if a committed row never changes
afterwards: the shard *seals* the rows of every committed batch (triggers refuse to update or
delete them), so a part that broke this rule fails instead of losing a change.

A refused act, a crashed or killed worker, or an interrupt stops the run: the target keeps the
batches committed or merged so far (whole cases only, as after a failed run in one process),
and the shard files are removed. (Only a calling process killed outright, which runs no clean-up,
leaves its ``.<database>.shards-*`` directory beside the database: scratch copies, safe to
delete.)

Must never: merge into anything but a SQLite file (PostgreSQL takes concurrent writers and
needs no shards); copy a row twice or a batch in part; merge a table it does not know (a shard
that wrote a checkpoint is refused); leave a shard file behind.
"""

from __future__ import annotations

import importlib
import multiprocessing as mp
import os
import queue as queue_mod
import shutil
import sqlite3
import tempfile
import threading
import traceback
from collections.abc import Callable
from multiprocessing import forkserver
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from caseledger.db import Base, Database, is_sqlite
from caseledger.errors import CaseledgerError, ConcurrencyConflict

Progress = Callable[[int], None]
# ``work(db, *part, progress=...)`` records one part into ``db`` and returns how many cases.
Work = Callable[..., int]

# Tables of the schema that the merge never copies: a shard must leave them empty.
NOT_MERGED = ("checkpoints",)
_POLL_SECONDS = 0.5
MERGE_CACHE_KIB = 131_072  # the merging connection's page cache: the indexes stay in memory


class ShardFailed(CaseledgerError):
    """A worker process ended without finishing its part (killed, out of memory, a bug)."""

    code = "shard_failed"


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def sqlite_file(db: Database) -> Path | None:
    """The SQLite file ``db`` writes to (None for PostgreSQL or an in-memory database)."""
    url = make_url(db.url)
    if not is_sqlite(db.engine) or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).expanduser().resolve()


def _sqlite_path(db: Database) -> Path:
    path = sqlite_file(db)
    if path is None:
        raise CaseledgerError("sharded runs need a SQLite database file", database=db.url)
    return path


def _copy_schema(target: Path, shard: Path) -> None:
    """Create ``shard`` with the target's tables, indexes and triggers, and no rows."""
    src = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        ddl = [
            sql
            for (sql,) in src.execute(
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL "
                "AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
            )
        ]
    finally:
        src.close()
    dst = sqlite3.connect(shard)
    try:
        for sql in ddl:
            dst.execute(sql)
        for sql in _seal_ddl():
            dst.execute(sql)
        dst.commit()
    finally:
        dst.close()


def _merged_tables() -> list[str]:
    return [t.name for t in Base.metadata.sorted_tables if t.name not in NOT_MERGED]


def _seal_ddl() -> list[str]:
    """The shard's seal: ``_sealed`` holds, per table, the last row of the committed batches;
    triggers refuse to change or delete such a row. The merge copies each committed batch
    once, so a row changed after it was copied would be lost: the seal makes that an error."""
    ddl = ["CREATE TABLE _sealed (name TEXT PRIMARY KEY, upto INTEGER NOT NULL)"]
    for name in _merged_tables():
        ddl.append(f"INSERT INTO _sealed VALUES ('{name}', 0)")
        for op in ("UPDATE", "DELETE"):
            ddl.append(
                f"CREATE TRIGGER _seal_{name}_{op.lower()} BEFORE {op} ON {name} "
                f"WHEN OLD.rowid <= (SELECT upto FROM _sealed WHERE name = '{name}') "
                f"BEGIN SELECT RAISE(ABORT, 'sealed row of {name}'); END"
            )
    return ddl


def _seal(conn: sqlite3.Connection) -> None:
    """Seal every row committed so far (called by the worker after each commit)."""
    with conn:
        for name in _merged_tables():
            conn.execute(
                f"UPDATE _sealed SET upto = (SELECT coalesce(max(rowid), 0) FROM {name}) "
                "WHERE name = ?",
                (name,),
            )


# -- the worker side -----------------------------------------------------------------------------


def _error_message(exc: BaseException) -> tuple[str, str, dict[str, Any]]:
    cls = type(exc)
    return f"{cls.__module__}:{cls.__qualname__}", exc.message, exc.context  # type: ignore[attr-defined]


def _claim(counter: Any, parts: int) -> int | None:
    """The next unclaimed part (every process takes its next part here), or None."""
    with counter.get_lock():
        i = int(counter.value)
        if i >= parts:
            return None
        counter.value = i + 1
        return i


def _worker(
    index: int, shard: str, work: Work, parts: list[tuple[Any, ...]], counter: Any, out: Any
) -> None:
    """Part ``index + 1``, then every part it claims, into one shard; every outcome is one
    message on ``out``."""
    try:
        from caseledger.domains import load_all

        load_all()
        db = Database(f"sqlite:///{shard}", scratch=True)
        seal = sqlite3.connect(shard, timeout=60)

        def committed(n: int) -> None:
            _seal(seal)
            out.put(("progress", index, n))

        cases = 0
        try:
            i: int | None = index + 1
            while i is not None:
                cases += work(db, *parts[i], progress=committed)
                i = _claim(counter, len(parts))
        finally:
            seal.close()
            db.dispose()
        out.put(("done", index, cases))
    except ConcurrencyConflict:
        # A shard has one writer: a conflict there is a write to a sealed row (or a key that
        # an earlier batch of the same part already holds), a defect of the part, not a race.
        out.put(("crashed", index, _SEALED))
    except CaseledgerError as exc:
        out.put(("refused", index, _error_message(exc)))
    except BaseException as exc:  # reported to the parent, which raises
        text = str(exc).strip()
        if "sealed row of" in text:
            out.put(("crashed", index, _SEALED))
        else:
            first = text.splitlines()[0] if text else "no message"
            out.put(("crashed", index, f"{type(exc).__name__}: {first}"))
            traceback.print_exc()  # the whole story on the worker's stderr


_SEALED = "a batch changed rows of an earlier, committed batch"


def _rebuild(kind: str, index: int, value: Any) -> CaseledgerError:
    if kind == "refused":
        where, message, context = value
        module, _, name = where.partition(":")
        cls: Any = importlib.import_module(module)
        for attr in name.split("."):
            cls = getattr(cls, attr)
        if isinstance(cls, type) and issubclass(cls, CaseledgerError):
            try:
                return cls(message, **context)  # type: ignore[no-any-return]
            except TypeError:  # a subclass with its own constructor: keep message and context
                pass
        return CaseledgerError(message, **context)
    return ShardFailed(f"shard worker {index} failed: {value}", shard=index)


# -- the parent side -----------------------------------------------------------------------------


def start_server() -> Any:
    """Start the process that workers are forked from, importing the command path (and the
    main module) once; call it early so that it loads while this process prepares the work."""
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["__main__", "caseledger.synth.ledger"])
    forkserver.ensure_running()
    return ctx


def run(
    target: Database,
    work: Work,
    parts: list[tuple[Any, ...]],
    *,
    processes: int | None = None,
    progress: Progress | None = None,
) -> int:
    """Record ``parts`` in ``processes`` processes (default: one per part): this one straight
    into ``target``, each other into its own shard, whose committed batches are merged into
    ``target`` as they come. Process ``k`` starts with part ``k``; then each takes the next
    part not yet taken, so a process that runs faster (or on a less busy core) takes more and
    all end close together: give the largest parts first. Return the cases recorded."""
    path = _sqlite_path(target)
    n = min(processes or len(parts), len(parts))
    scratch = Path(tempfile.mkdtemp(prefix=f".{path.name}.shards-", dir=path.parent))
    ctx = start_server()
    procs: list[Any] = []
    starter: _Starter | None = None
    merger: _Merger | None = None
    try:
        shards = [scratch / f"shard-{k}.db" for k in range(1, n)]
        for shard in shards:
            _copy_schema(path, shard)
        merger = _Merger(path, shards)
        out = ctx.Queue()
        counter = ctx.Value("i", n)  # parts 0 .. n-1 are taken by the n processes
        procs = [
            ctx.Process(
                target=_worker,
                args=(k, str(shard), work, parts, counter, out),
                name=f"caseledger-shard-{k}",
                daemon=True,
            )
            for k, shard in enumerate(shards)
        ]
        # Started from a thread: a start waits until the fork server has loaded the command
        # path, and meanwhile this process records its first part.
        starter = _Starter(procs)
        state = _State(procs, out, merger, progress, starter)

        def own_progress(defendants: int) -> None:
            if progress is not None:
                progress(defendants)
            state.take(block=False)

        # This process's parts: committed batch by batch, like a run in one process; between
        # its batches it merges what the workers have committed meanwhile.
        own = 0
        i: int | None = 0
        while i is not None:
            own += work(target, *parts[i], progress=own_progress)
            i = _claim(counter, len(parts))
        while len(state.results) < len(procs):
            state.take(block=True)
        starter.wait()
        for p in procs:
            p.join()
        for k in range(len(shards)):
            merger.step(k)  # whatever the last message did not cover
        return own + sum(state.results.values())
    finally:
        if starter is not None:
            starter.thread.join()  # no worker starts after this clean-up
        for p in procs:
            if p.is_alive():
                p.terminate()
                p.join()
        if merger is not None:
            merger.close()
        shutil.rmtree(scratch, ignore_errors=True)


class _Starter:
    """Starts the worker processes from a thread of its own; a failure to start one is kept
    and raised in the calling process (:meth:`wait`, :meth:`check`)."""

    def __init__(self, procs: list[Any]) -> None:
        self.procs = procs
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._start, name="caseledger-shard-start")
        self.thread.start()

    def _start(self) -> None:
        try:
            for p in self.procs:
                p.start()
        except BaseException as exc:  # raised in the calling process by check()
            self.error = exc

    def check(self) -> None:
        if self.error is not None:
            raise ShardFailed(
                f"a shard worker could not be started: {type(self.error).__name__}: {self.error}"
            )

    def wait(self) -> None:
        """Until every worker has been started (or one could not be)."""
        self.thread.join()
        self.check()


class _State:
    """The workers' messages: progress (a batch committed: merge it), done, or a failure."""

    def __init__(
        self,
        procs: list[Any],
        out: Any,
        merger: _Merger,
        progress: Progress | None,
        starter: _Starter,
    ) -> None:
        self.procs, self.out, self.merger, self.progress = procs, out, merger, progress
        self.starter = starter
        self.results: dict[int, int] = {}

    def take(self, *, block: bool) -> None:
        """Handle every waiting message (or, if ``block``, wait for one first); raise the
        first failure. Each worker's newly committed batches are merged once per call."""
        fresh: set[int] = set()
        wait = block
        while True:
            message = self._next(block=wait)
            if message is None:
                break
            wait = False
            kind, index, value = message
            if kind == "progress":
                fresh.add(index)
                if self.progress is not None:
                    self.progress(value)
            elif kind == "done":
                self.results[index] = value
            else:
                raise _rebuild(kind, index, value)
        for k in sorted(fresh):
            self.merger.step(k)

    def _next(self, *, block: bool) -> tuple[str, int, Any] | None:
        self.starter.check()
        while True:
            try:
                if block:
                    return self.out.get(timeout=_POLL_SECONDS)  # type: ignore[no-any-return]
                return self.out.get_nowait()  # type: ignore[no-any-return]
            except queue_mod.Empty:
                if not block:
                    return None
            self.starter.check()
            for k, p in enumerate(self.procs):
                # (exitcode is None until the process has been started and has ended)
                if k not in self.results and p.exitcode is not None:
                    try:  # a message put just before the exit may still be in the pipe
                        return self.out.get(timeout=_POLL_SECONDS)  # type: ignore[no-any-return]
                    except queue_mod.Empty:
                        raise ShardFailed(
                            f"shard worker {k} ended (exit code {p.exitcode}) without finishing",
                            shard=k,
                        ) from None


class _Merger:
    """Copies each shard's committed batches into the target, each step in one transaction."""

    def __init__(self, path: Path, shards: list[Path]) -> None:
        self.path = path
        self.tables = [t for t in Base.metadata.sorted_tables if t.name not in NOT_MERGED]
        self.columns = {
            t.name: ", ".join(
                c.name for c in t.columns if not (c.primary_key and c.autoincrement is True)
            )
            for t in self.tables
        }
        self.done = [dict.fromkeys(self.columns, 0) for _ in shards]
        self.conn = sqlite3.connect(path, isolation_level=None, timeout=60)
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute(f"PRAGMA cache_size=-{MERGE_CACHE_KIB}")
        self.conn.execute("PRAGMA busy_timeout=60000")
        self.attached = 0
        for k, shard in enumerate(shards):
            self.conn.execute(f"ATTACH DATABASE ? AS shard{k}", (str(shard),))
            self.attached += 1

    def step(self, k: int) -> None:
        """Copy shard ``k``'s rows committed since the last step (one snapshot of the shard:
        whole batches only) into the target, in one transaction."""
        schema, done = f"shard{k}", self.done[k]
        upto: dict[str, int] = {}
        conn = self.conn
        # Deferred: BEGIN IMMEDIATE would also take the write lock of every attached shard,
        # which its worker holds for a whole batch. The first write here is to the target.
        conn.execute("BEGIN")
        try:
            for name in NOT_MERGED:
                (n,) = conn.execute(f"SELECT count(*) FROM {schema}.{name}").fetchone()
                if n:
                    raise CaseledgerError(
                        "a shard wrote to a table the merge does not copy", table=name, rows=n
                    )
            for table in self.tables:
                name = table.name
                (hi,) = conn.execute(
                    f"SELECT coalesce(max(rowid), 0) FROM {schema}.{name}"
                ).fetchone()
                if hi > done[name]:
                    cols = self.columns[name]
                    conn.execute(
                        f"INSERT INTO main.{name} ({cols}) SELECT {cols} FROM {schema}.{name} "
                        "WHERE rowid > ? AND rowid <= ? ORDER BY rowid",
                        (done[name], hi),
                    )
                upto[name] = hi
            conn.execute("COMMIT")
        except sqlite3.IntegrityError as exc:
            conn.execute("ROLLBACK")
            raise CaseledgerError(
                "a shard could not be merged: the database already holds some of its rows",
                database=str(self.path),
                reason=str(exc),
            ) from None
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        done.update(upto)

    def close(self) -> None:
        for k in range(self.attached):
            self.conn.execute(f"DETACH DATABASE shard{k}")
        self.conn.close()
