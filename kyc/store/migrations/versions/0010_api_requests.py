"""Onboardings asked through the API, kept a day for the retries of the same request.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_sha256", sa.String(length=64), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("token_name", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_requests")),
        sa.UniqueConstraint("request_sha256", name=op.f("uq_api_requests_request_sha256")),
    )
    op.create_index(
        op.f("ix_api_requests_received_at"), "api_requests", ["received_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_api_requests_received_at"), table_name="api_requests")
    op.drop_table("api_requests")
