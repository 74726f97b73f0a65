"""The index of the customers' names that delta screenings search in reverse
(:mod:`kyc.matching.reverse`): each name's keys, the subjects holding each key, and the
subjects whose names changed since they were last indexed.

The keys are pieces of names, so personal data: they go with the subject's names
(erasure, retention) and the keys nobody holds any more are dropped.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kyc.store.models.base import Base


class NameKey(Base):
    """One key (a word, a skeleton, a whole string…) of the names of some subjects."""

    __tablename__ = "name_keys"
    # Also the index by which a delta screening reads the keys of one kind and type.
    __table_args__ = (UniqueConstraint("kind", "type", "text"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # of the subjects: person, organization
    type: Mapped[str] = mapped_column(String(4))  # kyc.matching.reverse.KeyType
    text: Mapped[str] = mapped_column(Text)


class SubjectNameKey(Base):
    __tablename__ = "subject_name_keys"

    subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("name_keys.id"), primary_key=True, index=True)


class NameShape(Base):
    """The shape of each reading of a subject's names: its words counted by role
    (kyc.matching.reverse_bound.Shape), ``;`` between readings."""

    __tablename__ = "name_shapes"

    subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), primary_key=True)
    shapes: Mapped[str] = mapped_column(Text)


class NamesToIndex(Base):
    """A subject whose names are new or changed: indexed before the next delta screening.
    (When the keys a name gets change, a migration queues every subject again.)"""

    __tablename__ = "names_to_index"

    subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), primary_key=True)
