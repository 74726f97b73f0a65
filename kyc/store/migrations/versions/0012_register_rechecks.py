"""Customer companies a register extract changed, checked again when the extract's
event comes (or at once, by the command).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "register_rechecks",
        sa.Column("extract_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_number", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["extract_id"],
            ["register_extracts.id"],
            name=op.f("fk_register_rechecks_extract_id_register_extracts"),
        ),
        sa.PrimaryKeyConstraint(
            "extract_id", "enterprise_number", name=op.f("pk_register_rechecks")
        ),
    )


def downgrade() -> None:
    op.drop_table("register_rechecks")
