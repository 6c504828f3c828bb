"""foundation: ledger and case projections

Revision ID: 0001
Revises:
Create Date: 2026-11-23 12:59:37.170758
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from caseledger.ledger import triggers

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("case_number", sa.String(length=48), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("close_reason", sa.String(length=32), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("defendant_count", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_cases")),
        sa.UniqueConstraint(
            "agency_code", "year", "serial", name=op.f("uq_cases_agency_code_year_serial")
        ),
        sa.UniqueConstraint("case_number", name=op.f("uq_cases_case_number")),
    )
    op.create_table(
        "checkpoints",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column(
            "event_count", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("case_count", sa.Integer(), nullable=False),
        sa.Column("heads_digest", sa.String(length=64), nullable=False),
        sa.Column("prev_checkpoint_hash", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.Column("heads", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkpoints")),
    )
    op.create_table(
        "events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("occurred_at", sa.String(length=27), nullable=False),
        sa.Column("recorded_at", sa.String(length=27), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("actor_role", sa.String(length=32), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("defendant_id", sa.String(length=36), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("case_id", "seq", name=op.f("uq_events_case_id_seq")),
        sa.UniqueConstraint("event_id", name=op.f("uq_events_event_id")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_defendant_id", ["defendant_id"], unique=False)

    op.create_table(
        "personal_data",
        sa.Column("person_ref", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("id_number", sa.String(length=32), nullable=True),
        sa.Column("salt", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("person_ref", name=op.f("pk_personal_data")),
    )
    op.create_table(
        "defendants",
        sa.Column("defendant_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("defendant_no", sa.Integer(), nullable=False),
        sa.Column("person_ref", sa.String(length=64), nullable=False),
        sa.Column("age_at_offence", sa.Integer(), nullable=True),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("stage_since", sa.Date(), nullable=False),
        sa.Column("measure", sa.String(length=32), nullable=False),
        sa.Column("measure_since", sa.Date(), nullable=True),
        sa.Column("detained_days", sa.Integer(), nullable=False),
        sa.Column("arrest_decision", sa.String(length=16), nullable=True),
        sa.Column("arrest_refusal_ground", sa.String(length=32), nullable=True),
        sa.Column("returns", sa.Integer(), nullable=False),
        sa.Column("prosecution_decision", sa.String(length=16), nullable=True),
        sa.Column("non_prosecution_ground", sa.String(length=32), nullable=True),
        sa.Column("procedure", sa.String(length=16), nullable=True),
        sa.Column("expected_sentence_months", sa.Integer(), nullable=True),
        sa.Column("verdict", sa.String(length=16), nullable=True),
        sa.Column("penalty_type", sa.String(length=32), nullable=True),
        sa.Column("term_months", sa.Integer(), nullable=True),
        sa.Column("probation", sa.Boolean(), nullable=True),
        sa.Column("judged_on", sa.Date(), nullable=True),
        sa.Column("served_on", sa.Date(), nullable=True),
        sa.Column("appeal_kind", sa.String(length=16), nullable=True),
        sa.Column("appeal_outcome", sa.String(length=16), nullable=True),
        sa.Column("final_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.case_id"], name=op.f("fk_defendants_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("defendant_id", name=op.f("pk_defendants")),
        sa.UniqueConstraint(
            "case_id", "defendant_no", name=op.f("uq_defendants_case_id_defendant_no")
        ),
    )
    with op.batch_alter_table("defendants", schema=None) as batch_op:
        batch_op.create_index("ix_defendants_stage", ["stage"], unique=False)

    op.create_table(
        "charges",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("defendant_id", sa.String(length=36), nullable=False),
        sa.Column("crime_code", sa.String(length=64), nullable=False),
        sa.Column("charged_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.case_id"], name=op.f("fk_charges_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["defendant_id"],
            ["defendants.defendant_id"],
            name=op.f("fk_charges_defendant_id_defendants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charges")),
        sa.UniqueConstraint(
            "defendant_id", "crime_code", name=op.f("uq_charges_defendant_id_crime_code")
        ),
    )
    op.create_table(
        "deadlines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("defendant_id", sa.String(length=36), nullable=False),
        sa.Column("limit_id", sa.String(length=48), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("extended_days", sa.Integer(), nullable=False),
        sa.Column("extended_months", sa.Integer(), nullable=False),
        sa.Column("extensions", sa.String(length=200), nullable=False),
        sa.Column("article", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.case_id"], name=op.f("fk_deadlines_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["defendant_id"],
            ["defendants.defendant_id"],
            name=op.f("fk_deadlines_defendant_id_defendants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadlines")),
        sa.UniqueConstraint(
            "defendant_id", "limit_id", name=op.f("uq_deadlines_defendant_id_limit_id")
        ),
    )
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.create_index("ix_deadlines_due_on", ["due_on"], unique=False)

    # The ledger is append-only: refuse UPDATE and DELETE (and TRUNCATE) on events and checkpoints.
    for statement in triggers.create_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in triggers.drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_index("ix_deadlines_due_on")

    op.drop_table("deadlines")
    op.drop_table("charges")
    with op.batch_alter_table("defendants", schema=None) as batch_op:
        batch_op.drop_index("ix_defendants_stage")

    op.drop_table("defendants")
    op.drop_table("personal_data")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_defendant_id")

    op.drop_table("events")
    op.drop_table("checkpoints")
    op.drop_table("cases")
