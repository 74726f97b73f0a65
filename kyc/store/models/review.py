"""Decisions on the checks (mandates, companies) reviewers look at, and the people who
use the review app: accounts and their sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from kyc.store.models.base import Base


class CheckDecision(Base):
    """A reviewer's decision on a mandate or company check a person must look at,
    under four eyes as for hits (kyc.review.checks)."""

    __tablename__ = "check_decisions"
    __table_args__ = (Index("ix_check_decisions_kind_check_id", "kind", "check_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # mandate or company
    check_id: Mapped[int] = mapped_column(Integer)
    company_subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), index=True)
    person_subject_id: Mapped[str | None] = mapped_column(ForeignKey("subjects.id"))
    decision: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    reviewer: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime]
    approver: Mapped[str | None] = mapped_column(String(128))
    approved_at: Mapped[datetime | None]
    rejection_reason: Mapped[str | None] = mapped_column(Text)


# --- people who use the review app ---------------------------------------------------


class User(Base):
    """An account of the review app and the CLI's ``--reviewer``: a role, an argon2
    hash of the password (never the password), and the state of its failed logins."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime]
    failed_logins: Mapped[int] = mapped_column(Integer)
    # Failed logins slow further tries (not before) and then lock the account (until).
    not_before: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]


class WebSession(Base):
    """A signed-in browser: the cookie carries the id, the table only its SHA-256 (a
    copy of the table opens no session). Ended at logout, or after idle time."""

    __tablename__ = "web_sessions"

    id_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class ApiToken(Base):
    """A bearer token of the provider's own systems (the onboarding API): its SHA-256
    only (the token is shown once, when made), what it may do, and whether revoked."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(String(200))  # space-separated
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class ApiRequest(Base):
    """An onboarding asked through the API, kept for a day so that the same request sent
    again (a retry after a timeout) gets the first answer instead of a second run. Its
    key is the SHA-256 of the token's name and the Idempotency-Key (or the body)."""

    __tablename__ = "api_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    body_sha256: Mapped[str] = mapped_column(String(64))
    token_name: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(index=True)
    state: Mapped[str] = mapped_column(String(16))  # running, done
    status_code: Mapped[int | None]
    response: Mapped[dict[str, Any] | None]
