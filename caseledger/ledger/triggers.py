"""Database triggers that make ``events`` append-only, for SQLite and PostgreSQL.

They stop mistakes and casual edits; they cannot stop a database administrator, who can drop
them. What catches such a person is the hash chain plus the signed checkpoints (verify.py).
"""

from __future__ import annotations

SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
       BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
       BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS checkpoints_no_update BEFORE UPDATE ON checkpoints
       BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS checkpoints_no_delete BEFORE DELETE ON checkpoints
       BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only: DELETE refused'); END""",
]

POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION caseledger_append_only() RETURNS trigger
       LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
           USING ERRCODE = 'insufficient_privilege';
       END $$""",
    """CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
       FOR EACH ROW EXECUTE FUNCTION caseledger_append_only()""",
    """CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
       FOR EACH STATEMENT EXECUTE FUNCTION caseledger_append_only()""",
    """CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints
       FOR EACH ROW EXECUTE FUNCTION caseledger_append_only()""",
    """CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON checkpoints
       FOR EACH STATEMENT EXECUTE FUNCTION caseledger_append_only()""",
]

DROP_SQLITE = [
    "DROP TRIGGER IF EXISTS events_no_update",
    "DROP TRIGGER IF EXISTS events_no_delete",
    "DROP TRIGGER IF EXISTS checkpoints_no_update",
    "DROP TRIGGER IF EXISTS checkpoints_no_delete",
]

DROP_POSTGRESQL = [
    "DROP TRIGGER IF EXISTS events_append_only ON events",
    "DROP TRIGGER IF EXISTS events_no_truncate ON events",
    "DROP TRIGGER IF EXISTS checkpoints_append_only ON checkpoints",
    "DROP TRIGGER IF EXISTS checkpoints_no_truncate ON checkpoints",
    "DROP FUNCTION IF EXISTS caseledger_append_only()",
]


def create_statements(dialect: str) -> list[str]:
    return SQLITE if dialect == "sqlite" else POSTGRESQL


def drop_statements(dialect: str) -> list[str]:
    return DROP_SQLITE if dialect == "sqlite" else DROP_POSTGRESQL
