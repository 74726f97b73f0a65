"""The index of the customers' names for delta screenings in reverse; every subject
there is is queued to be indexed.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "name_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("type", sa.String(length=4), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_name_keys")),
        sa.UniqueConstraint("kind", "type", "text", name=op.f("uq_name_keys_kind")),
    )
    op.create_table(
        "subject_name_keys",
        sa.Column("subject_id", sa.String(length=32), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_id"], ["name_keys.id"], name=op.f("fk_subject_name_keys_key_id_name_keys")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_subject_name_keys_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("subject_id", "key_id", name=op.f("pk_subject_name_keys")),
    )
    op.create_index(
        op.f("ix_subject_name_keys_key_id"), "subject_name_keys", ["key_id"], unique=False
    )
    op.create_table(
        "name_shapes",
        sa.Column("subject_id", sa.String(length=32), nullable=False),
        sa.Column("shapes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_name_shapes_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("subject_id", name=op.f("pk_name_shapes")),
    )
    op.create_table(
        "names_to_index",
        sa.Column("subject_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_names_to_index_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("subject_id", name=op.f("pk_names_to_index")),
    )
    op.execute("INSERT INTO names_to_index (subject_id) SELECT id FROM subjects")


def downgrade() -> None:
    op.drop_table("names_to_index")
    op.drop_table("name_shapes")
    op.drop_index(op.f("ix_subject_name_keys_key_id"), table_name="subject_name_keys")
    op.drop_table("subject_name_keys")
    op.drop_table("name_keys")
