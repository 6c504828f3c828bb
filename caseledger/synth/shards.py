"""Ledger work split over worker processes, each into its own scratch SQLite file, then merged.

A SQLite file has one writer at a time, and the checked command path is CPU-bound Python: one
process uses one core. To use every core for a large ``synth --ledger`` run, the work is split
into parts whose cases share nothing (for the generator: whole provinces, every year of each),
and each part but the first runs in a worker process through the real commands into a
*shard*: a scratch SQLite file with exactly the target's schema (copied from the target's
``sqlite_master``), written without fsync (it is thrown away on any failure). When every
worker has finished, the shards are merged into the target in one transaction: every table's
rows are copied in their storage order, verbatim, except integer surrogate keys
(``events.id`` and the projection tables' ``id``), which the target numbers afresh in that
order. The target's own constraints
(unique event ids, one ``(case_id, seq)`` per chain position, one serial per agency and year,
foreign keys) check the merged rows as they land.

The first part is recorded by the calling process itself, straight into the target and
committed batch by batch as a run in one process is; only the other parts go through shards.
So a run on two cores starts one worker and merges one shard. A refused act, a crashed or
killed worker, or an interrupt stops the run: the target keeps the calling process's committed
batches (whole cases only, as after a failed run in one process) and none of any shard's rows,
and the shard files are removed.

Must never: merge into anything but a SQLite target (PostgreSQL takes concurrent writers and
needs no shards); merge a shard whose worker did not finish; merge a table it does not know
(a shard that wrote a checkpoint is refused); leave a shard file behind.
"""

from __future__ import annotations

import importlib
import multiprocessing as mp
import os
import queue as queue_mod
import shutil
import sqlite3
import tempfile
import traceback
from collections.abc import Callable
from multiprocessing import forkserver
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from caseledger.db import Base, Database, is_sqlite
from caseledger.errors import CaseledgerError

Progress = Callable[[int], None]
# ``work(db, *part, progress=...)`` records one part into ``db`` and returns how many cases.
Work = Callable[..., int]

# Tables of the schema that the merge never copies: a shard must leave them empty.
NOT_MERGED = ("checkpoints",)
_POLL_SECONDS = 0.5


class ShardFailed(CaseledgerError):
    """A worker process ended without finishing its part (killed, out of memory, a bug)."""

    code = "shard_failed"


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _sqlite_path(db: Database) -> Path:
    url = make_url(db.url)
    if not is_sqlite(db.engine) or not url.database or url.database == ":memory:":
        raise CaseledgerError("sharded runs need a SQLite database file", database=db.url)
    return Path(url.database).expanduser().resolve()


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
        dst.execute("PRAGMA journal_mode=WAL")
        for sql in ddl:
            dst.execute(sql)
        dst.commit()
    finally:
        dst.close()


# -- the worker side -----------------------------------------------------------------------------


def _error_message(exc: BaseException) -> tuple[str, str, dict[str, Any]]:
    cls = type(exc)
    return f"{cls.__module__}:{cls.__qualname__}", exc.message, exc.context  # type: ignore[attr-defined]


def _worker(index: int, shard: str, work: Work, part: tuple[Any, ...], out: Any) -> None:
    """One part into one shard; every outcome is one message on ``out``."""
    try:
        from caseledger.domains import load_all

        load_all()
        db = Database(f"sqlite:///{shard}", scratch=True)
        try:
            cases = work(db, *part, progress=lambda n: out.put(("progress", index, n)))
        finally:
            db.dispose()
        out.put(("done", index, cases))
    except CaseledgerError as exc:
        out.put(("refused", index, _error_message(exc)))
    except BaseException:  # reported to the parent, which raises
        out.put(("crashed", index, traceback.format_exc(limit=8)))


def _rebuild(kind: str, index: int, value: Any) -> CaseledgerError:
    if kind == "refused":
        where, message, context = value
        module, _, name = where.partition(":")
        cls: Any = importlib.import_module(module)
        for attr in name.split("."):
            cls = getattr(cls, attr)
        if isinstance(cls, type) and issubclass(cls, CaseledgerError):
            return cls(message, **context)
        return CaseledgerError(message, **context)
    last = str(value).strip().splitlines()[-1] if value else "no message"
    return ShardFailed(f"shard worker {index} failed: {last}", shard=index)


# -- the parent side -----------------------------------------------------------------------------


def _merge_one(conn: sqlite3.Connection, schema: str) -> int:
    """Copy every table of attached ``schema`` into ``main``; return the events copied."""
    for name in NOT_MERGED:
        (n,) = conn.execute(f"SELECT count(*) FROM {schema}.{name}").fetchone()
        if n:
            raise CaseledgerError(
                "a shard wrote to a table the merge does not copy", table=name, rows=n
            )
    events = 0
    for table in Base.metadata.sorted_tables:
        if table.name in NOT_MERGED:
            continue
        cols = ", ".join(
            c.name for c in table.columns if not (c.primary_key and c.autoincrement is True)
        )
        cur = conn.execute(
            f"INSERT INTO main.{table.name} ({cols}) "
            f"SELECT {cols} FROM {schema}.{table.name} ORDER BY rowid"
        )
        if table.name == "events":
            events = cur.rowcount
    return events


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
    progress: Progress | None = None,
) -> int:
    """Record ``parts[0]`` in this process straight into ``target`` while every other part
    runs in its own worker process and shard; then merge the shards into ``target`` in one
    transaction. Return the cases recorded."""
    path = _sqlite_path(target)
    scratch = Path(tempfile.mkdtemp(prefix=f".{path.name}.shards-", dir=path.parent))
    ctx = start_server()
    procs: list[Any] = []
    try:
        shards = [scratch / f"shard-{k}.db" for k in range(1, len(parts))]
        for shard in shards:
            _copy_schema(path, shard)
        out = ctx.Queue()
        procs = [
            ctx.Process(
                target=_worker,
                args=(k, str(shard), work, part, out),
                name=f"caseledger-shard-{k}",
                daemon=True,
            )
            for k, (shard, part) in enumerate(zip(shards, parts[1:], strict=True))
        ]
        for p in procs:
            p.start()
        results: dict[int, int] = {}

        def own_progress(n: int) -> None:
            if progress is not None:
                progress(n)
            _drain(procs, out, results, progress, block=False)

        # The parent's part: committed batch by batch, like a run in one process.
        own = work(target, *parts[0], progress=own_progress)
        while len(results) < len(procs):
            _drain(procs, out, results, progress, block=True)
        for p in procs:
            p.join()
        _merge(path, shards)
        return own + sum(results.values())
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
                p.join()
        shutil.rmtree(scratch, ignore_errors=True)


def _drain(
    procs: list[Any], out: Any, results: dict[int, int], progress: Progress | None, *, block: bool
) -> None:
    """Take the workers' messages (waiting for one if ``block``); raise the first failure."""
    while True:
        try:
            kind, index, value = out.get(timeout=_POLL_SECONDS) if block else out.get_nowait()
        except queue_mod.Empty:
            if not block:
                return
            for k, p in enumerate(procs):
                if k not in results and p.exitcode is not None:
                    try:  # a message put just before the exit may still be in the pipe
                        kind, index, value = out.get(timeout=_POLL_SECONDS)
                        break
                    except queue_mod.Empty:
                        raise ShardFailed(
                            f"shard worker {k} ended (exit code {p.exitcode}) without finishing",
                            shard=k,
                        ) from None
            else:
                continue
        if kind == "progress":
            if progress is not None:
                progress(value)
        elif kind == "done":
            results[index] = value
        else:
            raise _rebuild(kind, index, value)
        if block:
            return


def _merge(path: Path, shards: list[Path]) -> None:
    """Every shard into the target, in shard order, in one transaction."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=FULL")
        for k, shard in enumerate(shards):
            conn.execute(f"ATTACH DATABASE ? AS shard{k}", (str(shard),))
        conn.execute("BEGIN IMMEDIATE")
        try:
            for k in range(len(shards)):
                _merge_one(conn, f"shard{k}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        finally:
            for k in range(len(shards)):
                conn.execute(f"DETACH DATABASE shard{k}")
    except sqlite3.IntegrityError as exc:
        raise CaseledgerError(
            "the shards could not be merged: the database already holds some of their rows",
            database=str(path),
            reason=str(exc),
        ) from None
    finally:
        conn.close()
