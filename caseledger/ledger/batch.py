"""Group commit: many commands in one write transaction, each refused alone.

Owns :class:`Batch`, what :meth:`caseledger.db.Database.batch` yields. A batch runs the same
service functions as the one-command path (``lifecycle.impose_measure``,
``trial.render_judgment``, plea commands ...) with all their checks; it only changes how their
effects reach the store. A command that is refused (a
:class:`~caseledger.errors.CaseledgerError`) leaves no trace: the write unit
(:mod:`caseledger.ledger.unit`) takes back its events and projection changes and its error is
returned in its place; the others commit together when the batch ends. Any other exception
ends the batch and rolls back all of it, and so does a conflict with another writer found when
the batch's writes reach the database (PostgreSQL: another transaction appended to one of its
cases first). It must never skip a check or write an event its command did not append.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from caseledger.errors import CaseledgerError
from caseledger.ledger.unit import unit_of

T = TypeVar("T")

# Write what has piled up after this many pending rows and events (one multi-row statement
# per table), and forget the rows held in memory beyond this many (read again when needed).
FLUSH_EVERY = 20_000
HOLD_AT_MOST = 200_000


class Batch:
    """Commands sharing one transaction (and one durable commit).

    ``run(fn, **kwargs)`` calls ``fn(session, **kwargs)`` at once and returns its result, or the
    :class:`CaseledgerError` that refused it. Results are live: a case registered by one
    command can be acted on by the next. ``commit()`` makes everything so far durable and
    starts a new transaction (for long runs); leaving the ``with`` block commits the rest.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.errors: list[tuple[int, CaseledgerError]] = []
        self.commands = 0

    def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T | CaseledgerError:
        index = self.commands
        self.commands += 1
        unit = unit_of(self.session)
        unit.begin_command()
        try:
            result = fn(self.session, *args, **kwargs)
        except CaseledgerError as error:
            if unit.broken:  # the batch's writes failed, not this command's checks
                raise
            unit.end_command(ok=False)
            self.errors.append((index, error))
            return error
        except BaseException:
            unit.command = None
            raise
        if unit.broken:
            raise RuntimeError("a savepoint of the batch was rolled back outside the batch")
        unit.end_command(ok=True)
        if unit.pending >= FLUSH_EVERY:
            unit.flush()
            if unit.size >= HOLD_AT_MOST:
                unit.evict()
        return result

    def commit(self) -> None:
        """Commit what ran so far; the batch goes on in a new transaction."""
        self.session.commit()
