"""Alembic environment: runs on the connection handed over by caseledger.migrate."""

from __future__ import annotations

from alembic import context

from caseledger.db import Base
from caseledger.domains import load_all

load_all()
config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
