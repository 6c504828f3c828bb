"""retrial and quality reviews

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 18:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("defendants") as batch:
        batch.add_column(sa.Column("retrial_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("retrial_outcome", sa.String(length=16), nullable=True))
    op.create_table(
        "quality_reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("defendant_id", sa.String(length=36), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("grade", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reviewer_id", sa.String(length=64), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.case_id"], name=op.f("fk_quality_reviews_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["defendant_id"],
            ["defendants.defendant_id"],
            name=op.f("fk_quality_reviews_defendant_id_defendants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_reviews")),
    )
    op.create_index(
        "ix_quality_reviews_defendant_id", "quality_reviews", ["defendant_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_quality_reviews_defendant_id", table_name="quality_reviews")
    op.drop_table("quality_reviews")
    with op.batch_alter_table("defendants") as batch:
        batch.drop_column("retrial_outcome")
        batch.drop_column("retrial_on")
