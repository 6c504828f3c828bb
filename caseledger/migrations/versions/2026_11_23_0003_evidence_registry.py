"""evidence registry

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 13:31:56.638085
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evidence_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("defendant_id", sa.String(length=36), nullable=True),
        sa.Column("item_no", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("recording_sha256", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("challenge_ground", sa.String(length=500), nullable=True),
        sa.Column("exclusion_stage", sa.String(length=32), nullable=True),
        sa.Column("exclusion_ground", sa.String(length=500), nullable=True),
        sa.Column("flags", sa.String(length=200), nullable=False),
        sa.Column("collected_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.case_id"], name=op.f("fk_evidence_items_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["defendant_id"],
            ["defendants.defendant_id"],
            name=op.f("fk_evidence_items_defendant_id_defendants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_items")),
        sa.UniqueConstraint("case_id", "item_no", name=op.f("uq_evidence_items_case_id_item_no")),
    )


def downgrade() -> None:
    op.drop_table("evidence_items")
