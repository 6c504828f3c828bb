"""evidence sufficiency assessment

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 13:34:58.446946
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("defendants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("evidence_sufficient", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("defendants", schema=None) as batch_op:
        batch_op.drop_column("evidence_sufficient")
