"""Signed-in browsers: a session is a random id (kept in the table only as its
SHA-256), signed in the cookie with the app's key, with its own CSRF token; it ends at
logout or after idle time, and a login always starts a new one (no fixation)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from kyc.access.accounts import Account, account_of
from kyc.store.models import User, WebSession

# The idle clock restarts at most once a minute: a page is one read, not a write each
# time (the idle limit is counted in minutes).
_TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class SignedIn:
    """A live session: who, and the token its forms must carry."""

    account: Account
    csrf_token: str


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _signature(key: bytes, session_id: str) -> str:
    return hmac.new(key, session_id.encode(), hashlib.sha256).hexdigest()


def cookie_value(key: bytes, session_id: str) -> str:
    return f"{session_id}.{_signature(key, session_id)}"


def session_id_of(key: bytes, cookie: str | None) -> str | None:
    """The session id of a cookie whose signature holds, else None."""
    if not cookie or cookie.count(".") != 1:
        return None
    session_id, signature = cookie.split(".")
    if not hmac.compare_digest(signature, _signature(key, session_id)):
        return None
    return session_id


def start_session(session: Session, account: Account, now: datetime) -> tuple[str, str]:
    """A new session for ``account``: (its id for the cookie, its CSRF token)."""
    session_id = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            id_sha256=_digest(session_id),
            user_id=account.id,
            csrf_token=csrf,
            created_at=now,
            last_seen_at=now,
        )
    )
    return session_id, csrf


def current_session(
    session: Session, session_id: str, now: datetime, idle: timedelta
) -> SignedIn | None:
    """The live session of this id, its idle clock restarted; None when it ended, was
    idle too long, or its account was disabled meanwhile."""
    row = session.get(WebSession, _digest(session_id))
    if row is None or row.ended_at is not None:
        return None
    if now - row.last_seen_at > idle:
        row.ended_at = now
        return None
    user = session.get(User, row.user_id)
    account = None if user is None else account_of(user)
    if account is None or not account.active:
        row.ended_at = now
        return None
    if now - row.last_seen_at >= _TOUCH_EVERY:
        row.last_seen_at = now
    return SignedIn(account, row.csrf_token)


def end_session(session: Session, session_id: str, now: datetime) -> None:
    session.execute(
        update(WebSession)
        .where(WebSession.id_sha256 == _digest(session_id), WebSession.ended_at.is_(None))
        .values(ended_at=now)
    )


def end_sessions_of(session: Session, user_id: int, now: datetime) -> None:
    """Every session of an account ends (it was disabled)."""
    session.execute(
        update(WebSession)
        .where(WebSession.user_id == user_id, WebSession.ended_at.is_(None))
        .values(ended_at=now)
    )
