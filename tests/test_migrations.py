"""The Alembic migrations create exactly the schema the models describe, on both stores."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from caseledger import migrate
from caseledger.db import Base


def test_migrations_match_models(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []
    assert migrate.current_revision(db.engine) == migrate.head_revision()


def test_upgrade_is_idempotent(db):
    before, after = migrate.upgrade(db.engine)
    assert before == after == migrate.head_revision()
