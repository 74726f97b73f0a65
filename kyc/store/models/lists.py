"""Sanctions lists: versions, downloads, activations, what each one changed, entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kyc.store.models.base import Base


class ListVersion(Base):
    """One imported list file, whatever became of it. Never changed once written.

    ``status``: ``accepted`` (passed the quality gates; activated when imported),
    ``held`` (waiting for a person to activate it: older than the active version, or much
    smaller), ``rejected`` (unreadable, or failed its quality suite; never active).
    """

    __tablename__ = "list_versions"
    __table_args__ = (UniqueConstraint("source", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16), index=True)
    published_at: Mapped[datetime | None]
    sha256: Mapped[str] = mapped_column(String(64))
    entry_count: Mapped[int]
    unnamed_count: Mapped[int] = mapped_column(default=0)
    file_name: Mapped[str] = mapped_column(String(255))
    imported_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="accepted")
    status_reason: Mapped[str | None] = mapped_column(Text)
    quality: Mapped[dict[str, Any] | None]
    report_file: Mapped[str | None] = mapped_column(String(255))
    fetch_id: Mapped[int | None] = mapped_column(ForeignKey("list_fetches.id"))


class ListFetch(Base):
    """One download attempt: what was asked, what came back (for conditional GET and replay)."""

    __tablename__ = "list_fetches"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16), index=True)
    url: Mapped[str] = mapped_column(Text)
    requested_at: Mapped[datetime]
    outcome: Mapped[str] = mapped_column(String(16))
    status_code: Mapped[int | None]
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None]
    file_name: Mapped[str | None] = mapped_column(String(255))
    error: Mapped[str | None] = mapped_column(Text)


class ListChangeSet(Base):
    """What an activation changed: the new version against the one active before it."""

    __tablename__ = "list_change_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    activation_id: Mapped[int] = mapped_column(ForeignKey("list_activations.id"), unique=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id"), index=True)
    previous_version_id: Mapped[int | None] = mapped_column(ForeignKey("list_versions.id"))
    added: Mapped[int]
    removed: Mapped[int]
    changed: Mapped[int]
    created_at: Mapped[datetime]


class ListChange(Base):
    __tablename__ = "list_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    change_set_id: Mapped[int] = mapped_column(ForeignKey("list_change_sets.id"), index=True)
    entry_id: Mapped[str] = mapped_column(String(64))
    change: Mapped[str] = mapped_column(String(16))
    fields: Mapped[list[Any]]


class ListActivation(Base):
    """Append-only history of which version of each source is active; the newest row wins."""

    __tablename__ = "list_activations"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id"))
    activated_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(Text, default="")


class ListEntryRow(Base):
    __tablename__ = "list_entries"
    __table_args__ = (UniqueConstraint("version_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id"), index=True)
    entry_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]]
