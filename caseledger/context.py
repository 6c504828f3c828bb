"""What a command needs to run: settings, the database (checked to be initialised) and the actor."""

from __future__ import annotations

from caseledger import migrate
from caseledger.auth.roles import Role
from caseledger.config import Settings, get_settings
from caseledger.db import Database
from caseledger.domains import load_all
from caseledger.errors import ConfigurationError, InvalidInput
from caseledger.ledger.envelope import Actor


def open_database(settings: Settings | None = None, *, check_schema: bool = True) -> Database:
    """Open the configured store; refuse to run on a database that ``init`` has not prepared."""
    load_all()
    settings = settings or get_settings()
    db = Database(settings.database_url)
    if check_schema:
        try:
            current = migrate.current_revision(db.engine)
        except Exception as exc:  # unreachable server, bad credentials: say so in one line
            raise ConfigurationError(
                "cannot open the database", url=_safe(settings.database_url), reason=_first(exc)
            ) from None
        if current != migrate.head_revision():
            raise ConfigurationError(
                "the database is not initialised or not up to date; run `caseledger init`",
                url=_safe(settings.database_url),
                revision=current or "none",
            )
    return db


def make_actor(actor_id: str, role: str, agency: str) -> Actor:
    try:
        return Actor(actor_id, Role(role), agency)
    except ValueError:
        raise InvalidInput(
            f"unknown role {role!r}", field="role", allowed=",".join(r.value for r in Role)
        ) from None


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unparseable)"


def _first(exc: Exception) -> str:
    return (
        str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__
    )
