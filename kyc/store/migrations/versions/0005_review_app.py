"""The review app: accounts, browser sessions, four eyes on decisions, hits assigned,
escalated and versioned (no lost update), and each customer's stored status.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
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
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("not_before", sa.DateTime(), nullable=True),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id_sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_web_sessions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id_sha256", name=op.f("pk_web_sessions")),
    )
    op.create_index(op.f("ix_web_sessions_user_id"), "web_sessions", ["user_id"], unique=False)
    op.create_table(
        "check_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("check_id", sa.Integer(), nullable=False),
        sa.Column("company_subject_id", sa.String(length=32), nullable=False),
        sa.Column("person_subject_id", sa.String(length=32), nullable=True),
        sa.Column("decision", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reviewer", sa.String(length=128), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("approver", sa.String(length=128), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_subject_id"],
            ["subjects.id"],
            name=op.f("fk_check_decisions_company_subject_id_subjects"),
        ),
        sa.ForeignKeyConstraint(
            ["person_subject_id"],
            ["subjects.id"],
            name=op.f("fk_check_decisions_person_subject_id_subjects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_decisions")),
    )
    op.create_index(
        "ix_check_decisions_kind_check_id", "check_decisions", ["kind", "check_id"], unique=False
    )
    op.create_index(
        op.f("ix_check_decisions_company_subject_id"),
        "check_decisions",
        ["company_subject_id"],
        unique=False,
    )
    with op.batch_alter_table("hits") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("assignee", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("subject_kind", sa.String(length=16), nullable=True))
        batch.add_column(
            sa.Column("escalated", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute(
        "UPDATE hits SET subject_kind = "
        "(SELECT kind FROM subjects WHERE subjects.id = hits.subject_id)"
    )
    for name, columns in (
        ("ix_hits_state_subject_kind_score", ["state", "subject_kind", "score"]),
        ("ix_hits_state_score", ["state", "score"]),
        ("ix_hits_state_first_seen_at", ["state", "first_seen_at"]),
        ("ix_hits_state_source", ["state", "source"]),
    ):
        op.create_index(name, "hits", columns, unique=False)
    with op.batch_alter_table("companies") as batch:
        batch.add_column(sa.Column("status", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("status_reasons", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("status_since", sa.DateTime(), nullable=True))
        batch.create_index(batch.f("ix_companies_status"), ["status"], unique=False)
    with op.batch_alter_table("decisions") as batch:
        # Decisions made before four eyes took effect at once.
        batch.add_column(
            sa.Column("status", sa.String(length=16), nullable=False, server_default="effective")
        )
        batch.add_column(sa.Column("approver", sa.String(length=128), nullable=True))
        batch.add_column(sa.Column("approved_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("rejection_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("companies") as batch:
        batch.drop_index(batch.f("ix_companies_status"))
        for column in ("status_since", "status_reasons", "status"):
            batch.drop_column(column)
    with op.batch_alter_table("decisions") as batch:
        for column in ("rejection_reason", "approved_at", "approver", "status"):
            batch.drop_column(column)
    for name in (
        "ix_hits_state_source",
        "ix_hits_state_first_seen_at",
        "ix_hits_state_score",
        "ix_hits_state_subject_kind_score",
    ):
        op.drop_index(name, table_name="hits")
    with op.batch_alter_table("hits") as batch:
        for column in ("escalated", "subject_kind", "assignee", "version"):
            batch.drop_column(column)
    op.drop_table("check_decisions")
    op.drop_index(op.f("ix_web_sessions_user_id"), table_name="web_sessions")
    op.drop_table("web_sessions")
    op.drop_table("users")
