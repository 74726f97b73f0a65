"""The data subject's rights and the auditor's proof: restriction and erasure marks on
subjects, what a replay needs (the matcher's parameters, each subject's matches), and
signed checkpoints of the audit chain (append-only, as the events are).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_TRIGGER = """
CREATE TRIGGER audit_checkpoints_no_{op} BEFORE {OP} ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END
"""
_PG_FUNCTION = """
CREATE FUNCTION audit_checkpoints_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_checkpoints is append-only'; END $$
"""
_PG_TRIGGER = """
CREATE TRIGGER audit_checkpoints_no_{op} BEFORE {OP} ON audit_checkpoints
FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_append_only()
"""


def upgrade() -> None:
    with op.batch_alter_table("subjects") as batch:
        batch.add_column(sa.Column("restricted_since", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("restriction_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("restriction_ground", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("erased_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("screening_runs") as batch:
        batch.add_column(sa.Column("matcher_parameters", sa.JSON(), nullable=True))
    with op.batch_alter_table("screened_inputs") as batch:
        batch.add_column(sa.Column("matches", sa.JSON(), nullable=True))
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("job", sa.String(length=128), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
    )
    op.create_index("ix_audit_checkpoints_seq", "audit_checkpoints", ["seq"])
    _forbid_checkpoint_changes()


def downgrade() -> None:
    _allow_checkpoint_changes()
    op.drop_index("ix_audit_checkpoints_seq", table_name="audit_checkpoints")
    op.drop_table("audit_checkpoints")
    with op.batch_alter_table("screened_inputs") as batch:
        batch.drop_column("matches")
    with op.batch_alter_table("screening_runs") as batch:
        batch.drop_column("matcher_parameters")
    with op.batch_alter_table("subjects") as batch:
        batch.drop_column("erased_at")
        batch.drop_column("restriction_ground")
        batch.drop_column("restriction_reason")
        batch.drop_column("restricted_since")


def _forbid_checkpoint_changes() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(_PG_FUNCTION)
        template = _PG_TRIGGER
    elif dialect == "sqlite":
        template = _SQLITE_TRIGGER
    else:
        return
    for operation in ("update", "delete"):
        op.execute(template.format(op=operation, OP=operation.upper()))


def _allow_checkpoint_changes() -> None:
    dialect = op.get_bind().dialect.name
    for operation in ("update", "delete"):
        if dialect == "postgresql":
            op.execute(
                f"DROP TRIGGER IF EXISTS audit_checkpoints_no_{operation} ON audit_checkpoints"
            )
        elif dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS audit_checkpoints_no_{operation}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_checkpoints_append_only()")
