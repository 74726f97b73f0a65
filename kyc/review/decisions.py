"""The review queue and analysts' decisions on hits, each recorded in the audit trail."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.audit import Auditor
from kyc.review.kinds import DecisionKind
from kyc.screening import HitState
from kyc.settings import Purpose
from kyc.store.models import Company, Decision, Hit, Person


class ReviewError(ValueError):
    pass


@dataclass(frozen=True)
class HitView:
    id: int
    state: str
    subject_id: str
    subject_kind: str
    subject_name: str
    source: str
    entry_id: str
    entry_name: str
    matched_name: str
    score: float
    band: str
    decision: str | None
    explanation: dict[str, Any]
    matcher: str
    last_seen_at: datetime


def _subject_name(session: Session, subject_id: str) -> tuple[str, str]:
    company = session.get(Company, subject_id)
    if company is not None:
        return "organization", company.name
    person = session.get(Person, subject_id)
    if person is not None:
        return "person", f"{person.first_name} {person.last_name}"
    return "unknown", "(personal data erased)"


def _view(session: Session, hit: Hit) -> HitView:
    kind, name = _subject_name(session, hit.subject_id)
    return HitView(
        id=hit.id,
        state=hit.state,
        subject_id=hit.subject_id,
        subject_kind=kind,
        subject_name=name,
        source=hit.source,
        entry_id=hit.entry_id,
        entry_name=hit.entry_name,
        matched_name=hit.matched_name,
        score=hit.score,
        band=hit.band,
        decision=hit.decision,
        explanation=hit.explanation,
        matcher=f"{hit.matcher} {hit.matcher_version}",
        last_seen_at=hit.last_seen_at,
    )


def list_hits(session: Session, state: str | None = HitState.OPEN) -> list[HitView]:
    query = select(Hit).order_by(Hit.score.desc(), Hit.id)
    if state is not None:
        query = query.where(Hit.state == state)
    return [_view(session, hit) for hit in session.scalars(query)]


def get_hit(session: Session, hit_id: int) -> HitView:
    hit = session.get(Hit, hit_id)
    if hit is None:
        raise ReviewError(f"there is no hit {hit_id}")
    return _view(session, hit)


def decide(
    session: Session,
    hit_id: int,
    *,
    decision: DecisionKind,
    reason: str,
    auditor: Auditor,
    now: datetime,
) -> HitView:
    """Record the decision of the reviewer ``auditor.actor``. A cleared pair stays cleared
    until names or birth data change (see :mod:`kyc.screening`).

    The reason is free text that may mention personal data: it is kept in ``decisions``
    (erasable) and the audit event carries its SHA-256, which still proves it unaltered.
    """
    reviewer = auditor.actor.strip()
    if not reason.strip():
        raise ReviewError("a decision needs a reason")
    if not reviewer:
        raise ReviewError("a decision needs the reviewer's name")
    hit = session.get(Hit, hit_id)
    if hit is None:
        raise ReviewError(f"there is no hit {hit_id}")
    if hit.state == HitState.CLOSED:
        raise ReviewError(f"hit {hit_id} is closed ({hit.closed_reason}); nothing to decide")
    previous = hit.decision
    hit.decision = str(decision)
    hit.state = HitState.DECIDED
    hit.decided_subject_fingerprint = hit.subject_fingerprint
    hit.decided_entry_fingerprint = hit.entry_fingerprint
    record = Decision(
        hit_id=hit.id,
        decision=str(decision),
        reason=reason.strip(),
        reviewer=reviewer,
        decided_at=now,
    )
    session.add(record)
    session.flush()
    auditor.record(
        session,
        action="hit.decided",
        purpose=Purpose.SANCTIONS_SCREENING,
        outcome=str(decision),
        subject_ref=hit.subject_id,
        matcher_version=f"{hit.matcher}/{hit.matcher_version}",
        list_versions={hit.source: {"version_id": hit.list_version_id}},
        details={
            "hit_id": hit.id,
            "source": hit.source,
            "entry_id": hit.entry_id,
            "score": hit.score,
            "decision_id": record.id,
            "reason_sha256": hashlib.sha256(reason.strip().encode()).hexdigest(),
            "previous_decision": previous,
        },
    )
    return _view(session, hit)
