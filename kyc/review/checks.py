"""Four eyes on the checks that are not hits: a representative's mandate found
``needs_review`` or ``invalid``, a company's register check found ``needs_review``.

A reviewer proposes ``confirmed`` (the mandate holds, the company is who it says:
documents seen) or ``not_confirmed``; a different approver approves or rejects it, as
for hits. ``escalate`` takes effect at once. A decision speaks for the check it was made
on: a newer check of the same mandate or company needs its own."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kyc.access.accounts import Account
from kyc.access.roles import Action
from kyc.audit import Auditor
from kyc.purposes import Purpose
from kyc.review.decisions import ERASED_NAME, ReviewError
from kyc.review.kinds import DecisionStatus
from kyc.review.workflow import checked_reason
from kyc.rights.restriction import restricted_among
from kyc.store.models import CheckDecision, Company, CompanyCheck, MandateCheck, Person


class CheckKind(StrEnum):
    MANDATE = "mandate"
    COMPANY = "company"


class CheckDecisionKind(StrEnum):
    CONFIRMED = "confirmed"
    NOT_CONFIRMED = "not_confirmed"
    ESCALATE = "escalate"


NEEDS_APPROVAL = frozenset({CheckDecisionKind.CONFIRMED, CheckDecisionKind.NOT_CONFIRMED})
# The verdicts a person looks at.
TO_REVIEW = {CheckKind.MANDATE: ("needs_review", "invalid"), CheckKind.COMPANY: ("needs_review",)}


@dataclass(frozen=True)
class CheckTarget:
    kind: CheckKind
    check_id: int
    company_subject_id: str
    person_subject_id: str | None
    verdict: str


def target(session: Session, kind: CheckKind, check_id: int) -> CheckTarget:
    if kind is CheckKind.MANDATE:
        mandate = session.get(MandateCheck, check_id)
        if mandate is None:
            raise ReviewError(f"there is no mandate check {check_id}")
        found = CheckTarget(
            kind, check_id, mandate.company_subject_id, mandate.person_subject_id,
            mandate.verdict,
        )  # fmt: skip
        newest = session.scalar(
            select(MandateCheck.id)
            .where(
                MandateCheck.company_subject_id == mandate.company_subject_id,
                MandateCheck.person_subject_id == mandate.person_subject_id,
            )
            .order_by(MandateCheck.id.desc())
            .limit(1)
        )
    else:
        company = session.get(CompanyCheck, check_id)
        if company is None:
            raise ReviewError(f"there is no company check {check_id}")
        found = CheckTarget(kind, check_id, company.subject_id, None, company.verdict)
        newest = session.scalar(
            select(CompanyCheck.id)
            .where(CompanyCheck.subject_id == company.subject_id)
            .order_by(CompanyCheck.id.desc())
            .limit(1)
        )
    if newest != check_id:
        raise ReviewError(f"{kind} check {check_id} was checked again since (check {newest})")
    if found.verdict not in TO_REVIEW[kind]:
        raise ReviewError(f"{kind} check {check_id} is {found.verdict}: nothing to review")
    return found


def decisions_on(session: Session, kind: CheckKind, check_id: int) -> list[CheckDecision]:
    return list(
        session.scalars(
            select(CheckDecision)
            .where(CheckDecision.kind == kind, CheckDecision.check_id == check_id)
            .order_by(CheckDecision.id)
        )
    )


def propose_on_check(
    session: Session,
    kind: CheckKind,
    check_id: int,
    *,
    decision: CheckDecisionKind,
    reason: str,
    reviewer: Account,
    auditor: Auditor,
    now: datetime,
) -> CheckDecision:
    reviewer.require(Action.PROPOSE)
    text = checked_reason(reason)
    found = target(session, kind, check_id)
    if any(d.status == DecisionStatus.PROPOSED for d in decisions_on(session, kind, check_id)):
        raise ReviewError(f"{kind} check {check_id} already has a proposal waiting")
    record = CheckDecision(
        kind=str(kind), check_id=check_id, company_subject_id=found.company_subject_id,
        person_subject_id=found.person_subject_id, decision=str(decision),
        status=DecisionStatus.PROPOSED if decision in NEEDS_APPROVAL else DecisionStatus.EFFECTIVE,
        reviewer=reviewer.name, reason=text, decided_at=now,
    )  # fmt: skip
    session.add(record)
    session.flush()
    _audit(session, auditor, record, "check.proposed" if decision in NEEDS_APPROVAL
           else "check.escalated", text)  # fmt: skip
    return record


def approve_on_check(
    session: Session, kind: CheckKind, check_id: int, *, approver: Account, auditor: Auditor,
    now: datetime,
) -> CheckDecision:  # fmt: skip
    pending = _pending(session, kind, check_id, approver)
    pending.status, pending.approver, pending.approved_at = (
        DecisionStatus.APPROVED,
        approver.name,
        now,
    )
    _audit(session, auditor, pending, "check.decided", pending.reason)
    return pending


def reject_on_check(
    session: Session, kind: CheckKind, check_id: int, *, approver: Account, reason: str,
    auditor: Auditor, now: datetime,
) -> CheckDecision:  # fmt: skip
    text = checked_reason(reason)
    pending = _pending(session, kind, check_id, approver)
    pending.status, pending.approver, pending.approved_at = (
        DecisionStatus.REJECTED,
        approver.name,
        now,
    )
    pending.rejection_reason = text
    _audit(session, auditor, pending, "check.proposal_rejected", text)
    return pending


def _pending(session: Session, kind: CheckKind, check_id: int, approver: Account) -> CheckDecision:
    approver.require(Action.APPROVE)
    target(session, kind, check_id)
    pending = next(
        (d for d in decisions_on(session, kind, check_id) if d.status == DecisionStatus.PROPOSED),
        None,
    )
    if pending is None:
        raise ReviewError(f"{kind} check {check_id} has no proposal to approve or reject")
    if pending.reviewer == approver.name:
        raise ReviewError("four eyes: nobody approves or rejects their own proposal")
    return pending


def effective_decision(session: Session, kind: CheckKind, check_id: int) -> str | None:
    """The decision in effect on a check (approved), if any."""
    for decision in reversed(decisions_on(session, kind, check_id)):
        if decision.status == DecisionStatus.APPROVED:
            return decision.decision
    return None


def _audit(
    session: Session, auditor: Auditor, record: CheckDecision, action: str, reason: str
) -> None:
    auditor.record(
        session,
        action=action,
        purpose=Purpose.REVIEW,
        outcome=record.decision,
        subject_ref=record.person_subject_id or record.company_subject_id,
        details={
            "kind": record.kind, "check_id": record.check_id, "decision_id": record.id,
            "company": record.company_subject_id, "proposed_by": record.reviewer,
            "reason_sha256": hashlib.sha256(reason.encode()).hexdigest(),
        },
    )  # fmt: skip


@dataclass(frozen=True)
class CheckView:
    """A check a person must look at, with its evidence and the decisions on it."""

    kind: CheckKind
    id: int
    company_subject_id: str
    company_name: str
    person_name: str | None
    verdict: str
    checked_at: datetime
    findings: tuple[dict[str, object], ...]
    decisions: tuple[CheckDecision, ...]
    restricted: bool = False  # the company or the person is (GDPR Art. 18)

    @property
    def pending(self) -> CheckDecision | None:
        return next((d for d in self.decisions if d.status == DecisionStatus.PROPOSED), None)


def check_view(session: Session, kind: CheckKind, check_id: int) -> CheckView:
    row: MandateCheck | CompanyCheck | None = (
        session.get(MandateCheck, check_id)
        if kind is CheckKind.MANDATE
        else session.get(CompanyCheck, check_id)
    )
    if row is None:
        raise ReviewError(f"there is no {kind} check {check_id}")
    company_id = row.company_subject_id if isinstance(row, MandateCheck) else row.subject_id
    person_id = row.person_subject_id if isinstance(row, MandateCheck) else None
    person = session.get(Person, person_id) if person_id else None
    company = session.get(Company, company_id)
    restricted = restricted_among(session, [company_id, *([person_id] if person_id else [])])
    return CheckView(
        kind, check_id, company_id, company.name if company else ERASED_NAME,
        f"{person.first_name} {person.last_name}" if person else None, row.verdict,
        row.checked_at, tuple(row.findings), tuple(decisions_on(session, kind, check_id)),
        bool(restricted),
    )  # fmt: skip


def checks_to_review(session: Session) -> list[CheckView]:
    """The newest check of each mandate and customer company that a person must look at
    and that no decision in effect settles yet."""
    newest_mandates = (
        select(func.max(MandateCheck.id))
        .group_by(MandateCheck.company_subject_id, MandateCheck.person_subject_id)
    )  # fmt: skip
    newest_companies = select(func.max(CompanyCheck.id)).group_by(CompanyCheck.subject_id)
    found = [
        (CheckKind.MANDATE, i)
        for i in session.scalars(
            select(MandateCheck.id).where(
                MandateCheck.id.in_(newest_mandates),
                MandateCheck.verdict.in_(TO_REVIEW[CheckKind.MANDATE]),
            )
        )
    ] + [
        (CheckKind.COMPANY, i)
        for i in session.scalars(
            select(CompanyCheck.id).where(
                CompanyCheck.id.in_(newest_companies),
                CompanyCheck.verdict.in_(TO_REVIEW[CheckKind.COMPANY]),
            )
        )
    ]
    # A check of a company whose data retention erased has nothing left to decide on.
    return [
        view
        for kind, i in found
        if effective_decision(session, kind, i) is None
        and (view := check_view(session, kind, i)).company_name != ERASED_NAME
    ]
