"""Four eyes on hits: an analyst proposes, a different approver approves or rejects.

Confirming a true match and clearing a false positive take effect only when a second
person with the approver role approves; rejecting (with a reason) sends the hit back to
the queue. ``escalate`` takes effect at once: the hit stays in the queue, marked. Each
step is checked against the version of the hit the reviewer saw, so that of two people
deciding one hit at once one wins and the other is told (no lost update).

Reasons are free text that may mention personal data: they are kept in ``decisions``
(erasable) and audit events carry their SHA-256.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from kyc.access.accounts import Account
from kyc.access.roles import Action
from kyc.audit import Auditor
from kyc.identifiers import holds_national_number
from kyc.model import MAX_REASON, NATIONAL_NUMBER_IN_REASON
from kyc.purposes import Purpose
from kyc.review.decisions import HitView, ReviewError, hit_view
from kyc.review.kinds import NEEDS_APPROVAL, DecisionKind, DecisionStatus
from kyc.screening import HitState
from kyc.store.models import Decision, Hit


class ChangedMeanwhile(ReviewError):
    """Somebody else acted on the hit since the reviewer loaded it."""


def checked_reason(text: str) -> str:
    """A reason as stored: stripped, present, bounded, free of national numbers."""
    reason = text.strip()
    if not reason:
        raise ReviewError("a decision needs a reason")
    if len(reason) > MAX_REASON:
        raise ReviewError(f"a reason has at most {MAX_REASON} characters ({len(reason)} given)")
    if holds_national_number(reason):
        # Reasons are shown in pages and exports, where national numbers never appear.
        raise ReviewError(NATIONAL_NUMBER_IN_REASON)
    return reason


def _hit(session: Session, hit_id: int, seen_version: int | None) -> Hit:
    hit = session.get(Hit, hit_id, with_for_update=True)
    if hit is None:
        raise ReviewError(f"there is no hit {hit_id}")
    if seen_version is not None and hit.version != seen_version:
        raise ChangedMeanwhile(
            f"hit {hit_id} was changed by someone else meanwhile: it is now {hit.state}; "
            "look at it again"
        )
    return hit


def _flush(session: Session, hit_id: int) -> None:
    try:
        session.flush()
    except StaleDataError as error:  # another transaction committed a change first
        raise ChangedMeanwhile(
            f"hit {hit_id} was changed by someone else meanwhile; look at it again"
        ) from error


def propose(
    session: Session,
    hit_id: int,
    *,
    decision: DecisionKind,
    reason: str,
    reviewer: Account,
    auditor: Auditor,
    now: datetime,
    seen_version: int | None = None,
) -> HitView:
    """The reviewer's decision: proposed when it needs approval, else taken at once."""
    reviewer.require(Action.PROPOSE)
    text = checked_reason(reason)
    hit = _hit(session, hit_id, seen_version)
    if hit.state == HitState.CLOSED:
        raise ReviewError(f"hit {hit_id} is closed ({hit.closed_reason}); nothing to decide")
    if hit.state == HitState.PROPOSED:
        raise ReviewError(f"hit {hit_id} already has a proposal waiting for an approver")
    needs_approval = decision in NEEDS_APPROVAL
    record = Decision(
        hit_id=hit.id,
        decision=str(decision),
        reason=text,
        reviewer=reviewer.name,
        decided_at=now,
        status=DecisionStatus.PROPOSED if needs_approval else DecisionStatus.EFFECTIVE,
    )
    previous = hit.decision
    if needs_approval:
        hit.state = HitState.PROPOSED
        # What the reviewer saw: a rescreen that finds it changed withdraws the proposal.
        hit.decided_subject_fingerprint = hit.subject_fingerprint
        hit.decided_entry_fingerprint = hit.entry_fingerprint
    else:  # escalated: back in the queue, marked, for somebody more senior
        hit.state = HitState.OPEN
        hit.escalated = True
        hit.assignee = None
    hit.decision = None
    session.add(record)
    _flush(session, hit_id)
    _audit(
        session, auditor, hit, "hit.proposed" if needs_approval else "hit.escalated",
        str(decision), record, text, previous_decision=previous,
    )  # fmt: skip
    return hit_view(session, hit)


def approve(
    session: Session,
    hit_id: int,
    *,
    approver: Account,
    auditor: Auditor,
    now: datetime,
    seen_version: int | None = None,
) -> HitView:
    """The proposal takes effect: the hit is decided."""
    hit, pending = _pending(session, hit_id, approver, seen_version)
    pending.status = DecisionStatus.APPROVED
    pending.approver = approver.name
    pending.approved_at = now
    hit.state = HitState.DECIDED
    hit.decision = pending.decision
    hit.escalated = False
    _flush(session, hit_id)
    _audit(
        session, auditor, hit, "hit.decided", pending.decision, pending, pending.reason,
        proposed_by=pending.reviewer,
    )  # fmt: skip
    return hit_view(session, hit)


def reject(
    session: Session,
    hit_id: int,
    *,
    approver: Account,
    reason: str,
    auditor: Auditor,
    now: datetime,
    seen_version: int | None = None,
) -> HitView:
    """The proposal is turned down, with a reason: the hit goes back to the queue."""
    text = checked_reason(reason)
    hit, pending = _pending(session, hit_id, approver, seen_version)
    pending.status = DecisionStatus.REJECTED
    pending.approver = approver.name
    pending.approved_at = now
    pending.rejection_reason = text
    hit.state = HitState.OPEN
    hit.decided_subject_fingerprint = hit.decided_entry_fingerprint = None
    _flush(session, hit_id)
    _audit(
        session, auditor, hit, "hit.proposal_rejected", pending.decision, pending, text,
        proposed_by=pending.reviewer,
    )  # fmt: skip
    return hit_view(session, hit)


def _pending(
    session: Session, hit_id: int, approver: Account, seen_version: int | None
) -> tuple[Hit, Decision]:
    approver.require(Action.APPROVE)
    hit = _hit(session, hit_id, seen_version)
    pending = pending_proposal(session, hit_id)
    if hit.state != HitState.PROPOSED or pending is None:
        raise ReviewError(f"hit {hit_id} has no proposal to approve or reject (it is {hit.state})")
    if pending.reviewer == approver.name:
        raise ReviewError("four eyes: nobody approves or rejects their own proposal")
    return hit, pending


def pending_proposal(session: Session, hit_id: int) -> Decision | None:
    return session.scalars(
        select(Decision)
        .where(Decision.hit_id == hit_id, Decision.status == DecisionStatus.PROPOSED)
        .order_by(Decision.id.desc())
        .limit(1)
    ).first()


def assign(
    session: Session, hit_id: int, *, reviewer: Account, auditor: Auditor, now: datetime
) -> HitView:
    """The reviewer takes the hit (the queue shows whose it is)."""
    reviewer.require(Action.ASSIGN)
    hit = _hit(session, hit_id, None)
    if hit.state == HitState.CLOSED:
        raise ReviewError(f"hit {hit_id} is closed; nothing to take")
    hit.assignee = reviewer.name
    _flush(session, hit_id)
    auditor.record(
        session,
        action="hit.assigned",
        purpose=Purpose.REVIEW,
        outcome=reviewer.name,
        subject_ref=hit.subject_id,
        details={"hit_id": hit.id},
    )
    return hit_view(session, hit)


def _audit(
    session: Session,
    auditor: Auditor,
    hit: Hit,
    action: str,
    outcome: str,
    record: Decision,
    reason: str,
    **extra: str | None,
) -> None:
    auditor.record(
        session,
        action=action,
        purpose=Purpose.REVIEW,
        outcome=outcome,
        subject_ref=hit.subject_id,
        matcher_version=f"{hit.matcher}/{hit.matcher_version}",
        list_versions={hit.source: {"version_id": hit.list_version_id}},
        details={
            "hit_id": hit.id,
            "source": hit.source,
            "entry_id": hit.entry_id,
            "score": hit.score,
            "decision_id": record.id,
            "reason_sha256": hashlib.sha256(reason.encode()).hexdigest(),
            **extra,
        },
    )
