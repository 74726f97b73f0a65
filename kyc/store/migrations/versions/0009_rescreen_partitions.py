"""Full rescreens run partition by partition, resumable after a crash.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rescreen_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("unfinished", sa.Integer(), nullable=True),
        sa.Column("screening_run_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("partition_size", sa.Integer(), nullable=False),
        sa.Column("partitions", sa.Integer(), nullable=False),
        sa.Column("companies", sa.Integer(), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=False),
        sa.Column("resumed", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["screening_run_id"],
            ["screening_runs.id"],
            name=op.f("fk_rescreen_runs_screening_run_id_screening_runs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rescreen_runs")),
        sa.UniqueConstraint("unfinished", name=op.f("uq_rescreen_runs_unfinished")),
    )
    op.create_table(
        "rescreen_partitions",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("first_company", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("committed_at", sa.DateTime(), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["rescreen_runs.id"],
            name=op.f("fk_rescreen_partitions_run_id_rescreen_runs"),
        ),
        sa.PrimaryKeyConstraint("run_id", "number", name=op.f("pk_rescreen_partitions")),
    )


def downgrade() -> None:
    op.drop_table("rescreen_partitions")
    op.drop_table("rescreen_runs")
