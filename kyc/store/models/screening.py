"""Screening runs, the hits they found, and the decisions reviewers take on them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import false

from kyc.store.models.base import Base


class ScreeningRun(Base):
    __tablename__ = "screening_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(128))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    matcher: Mapped[str] = mapped_column(String(64))
    matcher_version: Mapped[str] = mapped_column(String(32))
    threshold: Mapped[float] = mapped_column(Float)
    # What shapes the matcher's scores besides the lists (its weights): a replay uses them.
    matcher_parameters: Mapped[dict[str, Any] | None]
    list_versions: Mapped[dict[str, Any]]
    scope: Mapped[dict[str, Any]] = mapped_column(default=dict)
    subjects_screened: Mapped[int] = mapped_column(default=0)
    hits_found: Mapped[int] = mapped_column(default=0)


class ScreenedInput(Base):
    """The exact attributes screened for a subject in a run (personal data, deletable),
    and the entries it matched then (source, entry id, score: kept, for a replay)."""

    __tablename__ = "screened_inputs"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("screening_runs.id"), index=True)
    subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), index=True)
    digest: Mapped[str] = mapped_column(String(64))
    attributes: Mapped[dict[str, Any]]
    matches: Mapped[list[Any] | None]


class Hit(Base):
    """A (subject, source, entry) pair that scored at or above the review threshold.

    Its identity survives list versions and rescreens; ``state`` is open, proposed
    (a decision waits for an approver), decided or closed. The fingerprints say what
    the subject and the entry looked like when they were last screened and when a
    reviewer decided (or proposed), so that a cleared pair is only re-opened when names
    or birth data changed.
    """

    __tablename__ = "hits"
    __table_args__ = (
        UniqueConstraint("subject_id", "source", "entry_id"),
        # The review queue reads a page of one state in score or age order, and counts it
        # per source, without sorting or scanning the table (kyc.review.queue).
        Index("ix_hits_state_score", "state", "score"),
        Index("ix_hits_state_first_seen_at", "state", "first_seen_at"),
        Index("ix_hits_state_source", "state", "source"),
        Index("ix_hits_state_subject_kind_score", "state", "subject_kind", "score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), index=True)
    # The subject's kind (person, organization), which never changes: the queue filters
    # on it without a join.
    subject_kind: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    entry_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), index=True)
    score: Mapped[float] = mapped_column(Float)
    band: Mapped[str] = mapped_column(String(16))
    entry_name: Mapped[str] = mapped_column(Text)
    matched_name: Mapped[str] = mapped_column(Text)
    explanation: Mapped[dict[str, Any]]
    matcher: Mapped[str] = mapped_column(String(64))
    matcher_version: Mapped[str] = mapped_column(String(32))
    list_version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id"))
    last_run_id: Mapped[int] = mapped_column(ForeignKey("screening_runs.id"))
    subject_fingerprint: Mapped[str] = mapped_column(String(64))
    entry_fingerprint: Mapped[str] = mapped_column(String(64))
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    decision: Mapped[str | None] = mapped_column(String(32))
    decided_subject_fingerprint: Mapped[str | None] = mapped_column(String(64))
    decided_entry_fingerprint: Mapped[str | None] = mapped_column(String(64))
    closed_reason: Mapped[str | None] = mapped_column(Text)
    # Whose it is in the queue; escalated by a reviewer for somebody more senior.
    assignee: Mapped[str | None] = mapped_column(String(64))
    escalated: Mapped[bool] = mapped_column(Boolean, server_default=false(), default=False)
    # Every change checks the version it read (no lost update between two reviewers).
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}


class Decision(Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    hit_id: Mapped[int] = mapped_column(ForeignKey("hits.id"), index=True)
    decision: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(128))
    decided_at: Mapped[datetime]
    # Four eyes: proposed, then approved or rejected by a second person (the approver).
    status: Mapped[str] = mapped_column(String(16), server_default="effective")
    approver: Mapped[str | None] = mapped_column(String(128))
    approved_at: Mapped[datetime | None]
    rejection_reason: Mapped[str | None] = mapped_column(Text)


Index("ix_hits_source_entry", Hit.source, Hit.entry_id)
