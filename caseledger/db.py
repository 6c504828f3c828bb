"""Engines and sessions for the two stores: a SQLite file (default) and PostgreSQL.

SQLite runs in WAL mode with ``synchronous=FULL``: with ``NORMAL`` a committed transaction can
be lost on power failure, and the ledger promises that a committed event survives
(``shared/reliability.md``). Foreign keys are switched on, and writers wait for the lock instead
of failing at once. Nothing here connects at import time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from caseledger.errors import ConfigurationError

if TYPE_CHECKING:
    from caseledger.ledger.batch import Batch

# One naming convention so that SQLite and PostgreSQL constraints get the same names and
# Alembic can refer to them in migrations.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def is_sqlite(engine_or_url: Engine | str) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    return url.get_backend_name() == "sqlite"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


SCRATCH_CACHE_KIB = 524_288  # 512 MiB of page cache, used only as far as a batch needs


def _scratch_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # A scratch file (a shard, thrown away on any failure): no fsync, and a page cache large
    # enough for a whole batch, so that a batch's writes are not spilled to the WAL before its
    # commit.
    _sqlite_pragmas(dbapi_connection, _record)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute(f"PRAGMA cache_size=-{SCRATCH_CACHE_KIB}")
    cursor.close()


def make_engine(url: str, *, scratch: bool = False, **kwargs: object) -> Engine:
    """Create an engine for ``url``; for a SQLite file, create its directory too
    (``scratch``: see :class:`Database`)."""
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise ConfigurationError(
            "CASELEDGER_DATABASE_URL is not a database URL", value=url, reason=str(exc)
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, **kwargs)  # type: ignore[arg-type]
        event.listen(engine, "connect", _scratch_pragmas if scratch else _sqlite_pragmas)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True, **kwargs)  # type: ignore[arg-type]
    raise ConfigurationError(
        "unsupported database; use a sqlite:/// file or a postgresql:// URL", value=url
    )


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error (nothing half-written)."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


class Database:
    """One store: a writer and a reader session factory over the same URL.

    On SQLite a write transaction starts with ``BEGIN IMMEDIATE``, so writers queue on the
    file lock instead of reading a head that another writer is about to move; readers use
    ordinary deferred transactions and never block writers (WAL). On PostgreSQL both are the
    same and concurrent appends are settled by the ``(case_id, seq)`` constraint.
    """

    def __init__(self, url: str, *, scratch: bool = False) -> None:
        """``scratch``: a SQLite file that is thrown away if anything fails (a shard of
        :mod:`caseledger.synth.shards`): commits are not forced to disk."""
        self.url = url
        self.engine = make_engine(url, scratch=scratch)
        if is_sqlite(self.engine):
            self.read_engine = make_engine(url, scratch=scratch)
            event.listen(self.engine, "connect", _autocommit_driver)
            event.listen(self.engine, "begin", _begin_immediate)
        else:
            self.read_engine = self.engine
        self._write = session_factory(self.engine)
        self._read = session_factory(self.read_engine)

    def write(self):  # type: ignore[no-untyped-def]
        return transaction(self._write)

    def read(self):  # type: ignore[no-untyped-def]
        return transaction(self._read)

    def run(self, fn, *, retries: int = 3):  # type: ignore[no-untyped-def]
        """Run ``fn(session)`` in a write transaction, retrying when another writer won."""
        from caseledger.errors import ConcurrencyConflict

        for attempt in range(retries + 1):
            try:
                with self.write() as session:
                    return fn(session)
            except ConcurrencyConflict:
                if attempt == retries:
                    raise
        raise AssertionError("unreachable")

    @contextmanager
    def batch(self) -> Iterator[Batch]:
        """Group commit: ``with db.batch() as b: b.run(service_fn, **kwargs)``.

        Every command runs through the same service function as alone, with all its checks;
        a refused command is undone alone and its error returned in its place, the others
        commit together when the block ends (see :mod:`caseledger.ledger.batch`). An exception
        escaping the block rolls back the whole batch.
        """
        from caseledger.ledger.batch import Batch

        with self.write() as session:
            yield Batch(session)

    def run_batch(self, fns, *, stop_on_error: bool = False):  # type: ignore[no-untyped-def]
        """Run ``fn(session)`` for each of ``fns`` in one batch; one result or error per command."""
        from caseledger.errors import CaseledgerError

        results: list[object] = []
        with self.batch() as batch:
            for fn in fns:
                results.append(batch.run(fn))
                if stop_on_error and isinstance(results[-1], CaseledgerError):
                    break
        return results

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()


def _autocommit_driver(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite would send a deferred BEGIN).
    dbapi_connection.isolation_level = None


def _begin_immediate(conn) -> None:  # type: ignore[no-untyped-def]
    conn.exec_driver_sql("BEGIN IMMEDIATE")
