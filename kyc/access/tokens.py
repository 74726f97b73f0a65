"""Bearer tokens of the provider's own systems: made with a name and scopes, shown once,
kept only as their SHA-256 (a token is 256 random bits: no slow hash is needed to
protect it), checked on each request, revoked by name. Every change and every refusal
is recorded in the audit trail, never with the token."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.audit import Auditor
from kyc.purposes import Purpose
from kyc.store.models import ApiToken

PREFIX = "kyc_"
SCOPES = ("onboarding", "customers:read")
_NAME = re.compile(r"[a-z][a-z0-9._-]{1,63}")


class TokenError(ValueError):
    """A token cannot be made, revoked or used as asked; the message says why."""


@dataclass(frozen=True)
class TokenView:
    name: str
    scopes: tuple[str, ...]
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _view(row: ApiToken) -> TokenView:
    return TokenView(
        row.name, tuple(row.scopes.split()), row.created_at, row.revoked_at, row.last_used_at
    )


def add_token(
    session: Session, name: str, scopes: tuple[str, ...], *, auditor: Auditor, now: datetime
) -> tuple[TokenView, str]:
    """A new token; the second value is the token itself, which is not kept."""
    if not _NAME.fullmatch(name):
        raise TokenError(f"{name!r}: a name is 2 to 64 lower-case letters, digits, . _ -")
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise TokenError(f"scopes are among {', '.join(SCOPES)} (given: {', '.join(scopes)})")
    if session.scalar(select(ApiToken).where(ApiToken.name == name)) is not None:
        raise TokenError(f"a token named {name} exists (revoke it, or choose another name)")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        name=name, token_sha256=_digest(token), scopes=" ".join(sorted(set(scopes))),
        created_at=now,
    )  # fmt: skip
    session.add(row)
    session.flush()
    auditor.record(
        session,
        action="token.added",
        purpose=Purpose.SECURITY,
        outcome="added",
        subject_ref=f"token:{name}",
        details={"scopes": row.scopes.split()},
    )
    return _view(row), token


def revoke_token(session: Session, name: str, *, auditor: Auditor, now: datetime) -> TokenView:
    row = session.scalar(select(ApiToken).where(ApiToken.name == name))
    if row is None:
        raise TokenError(f"there is no token named {name}")
    if row.revoked_at is not None:
        raise TokenError(f"the token {name} was revoked on {row.revoked_at:%Y-%m-%d %H:%M} UTC")
    row.revoked_at = now
    auditor.record(
        session,
        action="token.revoked",
        purpose=Purpose.SECURITY,
        outcome="revoked",
        subject_ref=f"token:{name}",
    )
    return _view(row)


def list_tokens(session: Session) -> list[TokenView]:
    return [_view(row) for row in session.scalars(select(ApiToken).order_by(ApiToken.name))]


def authenticate(
    session: Session, token: str, scope: str, *, auditor: Auditor, now: datetime
) -> TokenView:
    """The token's holder, if the token is live and has ``scope``; a refusal is recorded
    (by the token's name when it is known, never with the token)."""
    digest = _digest(token)
    row = session.scalar(select(ApiToken).where(ApiToken.token_sha256 == digest))
    if row is None or not hmac.compare_digest(row.token_sha256, digest):
        _refuse(session, auditor, None, "unknown token")
        raise TokenError("the token is not valid")
    if row.revoked_at is not None:
        _refuse(session, auditor, row.name, "revoked")
        raise TokenError("the token is not valid")
    if scope not in row.scopes.split():
        _refuse(session, auditor, row.name, f"no scope {scope}")
        raise TokenError(f"the token may not {scope}")
    row.last_used_at = now
    return _view(row)


def _refuse(session: Session, auditor: Auditor, name: str | None, why: str) -> None:
    auditor.record(
        session,
        action="token.refused",
        purpose=Purpose.SECURITY,
        outcome="refused",
        subject_ref=f"token:{name}" if name else None,
        details={"why": why},
    )
