"""Group commit: many commands in one write transaction, each refused alone.

Owns :class:`Batch`, what :meth:`caseledger.db.Database.batch` yields. A batch runs the same
service functions as the one-command path (``lifecycle.detain``, ``trial.render_judgment``,
plea commands ...) with all their checks; it only changes how their effects reach the store.
A command that is refused (a :class:`~caseledger.errors.CaseledgerError`) leaves no trace: its
events and projection changes are undone and its error is returned in its place; the others
commit together when the batch ends. Any other exception ends the batch and rolls back all of
it. It must never skip a check or write an event its command did not append.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from caseledger.errors import CaseledgerError

T = TypeVar("T")


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
        try:
            with self.session.begin_nested():
                return fn(self.session, *args, **kwargs)
        except CaseledgerError as error:
            self.errors.append((index, error))
            return error

    def commit(self) -> None:
        """Commit what ran so far; the batch goes on in a new transaction."""
        self.session.commit()
