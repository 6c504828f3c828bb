"""plea procedure

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 13:38:51.920781
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pleas",
        sa.Column("defendant_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("rights_notified_on", sa.Date(), nullable=True),
        sa.Column("admitted_stage", sa.String(length=16), nullable=True),
        sa.Column("counsel_kind", sa.String(length=16), nullable=True),
        sa.Column("counsel_id", sa.String(length=64), nullable=True),
        sa.Column("retained_counsel_id", sa.String(length=64), nullable=True),
        sa.Column("consultations", sa.Integer(), nullable=False),
        sa.Column("last_consultation_on", sa.Date(), nullable=True),
        sa.Column("override", sa.Boolean(), nullable=False),
        sa.Column("statement", sa.String(length=16), nullable=True),
        sa.Column("not_required_ground", sa.String(length=40), nullable=True),
        sa.Column("recommendation_kind", sa.String(length=8), nullable=True),
        sa.Column("definite_months", sa.Integer(), nullable=True),
        sa.Column("range_low", sa.Integer(), nullable=True),
        sa.Column("range_high", sa.Integer(), nullable=True),
        sa.Column("penalty_type", sa.String(length=32), nullable=True),
        sa.Column("deviates", sa.Boolean(), nullable=False),
        sa.Column("leniency_excluded", sa.Boolean(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("court_decision", sa.String(length=16), nullable=True),
        sa.Column("rejection_ground", sa.String(length=32), nullable=True),
        sa.Column("quality_flags", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.case_id"], name=op.f("fk_pleas_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["defendant_id"],
            ["defendants.defendant_id"],
            name=op.f("fk_pleas_defendant_id_defendants"),
        ),
        sa.PrimaryKeyConstraint("defendant_id", name=op.f("pk_pleas")),
    )


def downgrade() -> None:
    op.drop_table("pleas")
