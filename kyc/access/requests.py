"""Onboardings asked through the API, answered once: the same request sent again (a retry
after a timeout, a client that sends twice) gets the first answer, not a second run.

A request is known by the SHA-256 of the token's name and the client's
``Idempotency-Key`` — or, without one, of the body: the same payload from the same
system within the window is the same request. Answers are kept for the window only
(they name subject ids and findings); the retention run deletes older ones.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kyc.store.models import ApiRequest

WINDOW = timedelta(hours=24)
# A request still "running" after this was cut off (its process died): it may run again
# (an onboarding is an upsert: running it twice stores one customer).
STALE = timedelta(minutes=5)
RUNNING, DONE = "running", "done"


class RequestInFlight(RuntimeError):
    """The same request is being answered right now."""


class KeyReused(ValueError):
    """An Idempotency-Key sent again with another body."""


@dataclass(frozen=True)
class RequestKey:
    request_sha256: str
    body_sha256: str
    token_name: str

    @classmethod
    def of(cls, token_name: str, idempotency_key: str | None, body: bytes) -> RequestKey:
        body_sha = hashlib.sha256(body).hexdigest()
        named = f"key:{idempotency_key}" if idempotency_key else f"body:{body_sha}"
        request = hashlib.sha256(f"{token_name}\n{named}".encode()).hexdigest()
        return cls(request, body_sha, token_name)


def claim(session: Session, key: RequestKey, now: datetime) -> ApiRequest | None:
    """The earlier request with this key (done, or under way), or None when this one is
    new and now claimed (the unique key refuses a second claim made at the same time)."""
    earlier = session.scalar(
        select(ApiRequest).where(ApiRequest.request_sha256 == key.request_sha256)
    )
    if earlier is not None and _expired(earlier, now):
        session.delete(earlier)
        session.flush()
        earlier = None
    if earlier is not None:
        if earlier.body_sha256 != key.body_sha256:
            raise KeyReused("this Idempotency-Key came before with another payload")
        return earlier
    session.add(
        ApiRequest(
            request_sha256=key.request_sha256,
            body_sha256=key.body_sha256,
            token_name=key.token_name,
            received_at=now,
            state=RUNNING,
        )
    )
    session.flush()
    return None


def _expired(request: ApiRequest, now: datetime) -> bool:
    if request.state == RUNNING:
        return request.received_at < now - STALE
    return request.received_at < now - WINDOW


def answer(session: Session, key: RequestKey, status_code: int, response: dict[str, Any]) -> None:
    request = session.scalars(
        select(ApiRequest).where(ApiRequest.request_sha256 == key.request_sha256)
    ).one()
    request.state, request.status_code, request.response = DONE, status_code, response


def forget(session: Session, key: RequestKey) -> None:
    """The request failed: nothing to answer a retry with; the retry runs again."""
    session.execute(delete(ApiRequest).where(ApiRequest.request_sha256 == key.request_sha256))


def expire(session: Session, now: datetime) -> int:
    found = session.execute(
        delete(ApiRequest)
        .where(ApiRequest.received_at < now - WINDOW)
        .execution_options(synchronize_session=False)
    )
    return int(found.rowcount or 0)  # type: ignore[attr-defined]
