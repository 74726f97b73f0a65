"""The customer relationship has an end: when and why it ended, which retention rule
then holds the customer's data, and until when.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("companies") as batch:
        batch.add_column(sa.Column("relationship_ended_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("relationship_end_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("retention_rule", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("retained_until", sa.Date(), nullable=True))
        batch.create_index("ix_companies_retained_until", ["retained_until"])


def downgrade() -> None:
    with op.batch_alter_table("companies") as batch:
        batch.drop_index("ix_companies_retained_until")
        batch.drop_column("retained_until")
        batch.drop_column("retention_rule")
        batch.drop_column("relationship_end_reason")
        batch.drop_column("relationship_ended_on")
