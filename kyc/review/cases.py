"""A customer's case: the company (its register check), each representative (their
mandate check), every hit and decision on any of them, and the customer's status with
why — ``cleared``, ``pending_review`` or ``blocked``.

The status is stored, and moves only through reviewers' decisions and what screening
and the checks find (a confirmed true match blocks; anything open waits for review);
it never turns into a rejection by itself."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kyc.audit import Auditor
from kyc.mandates.records import latest_check
from kyc.purposes import Purpose
from kyc.review.checks import CheckDecisionKind, CheckKind
from kyc.review.decisions import ReviewError
from kyc.review.kinds import DecisionKind, DecisionStatus
from kyc.review.queue import QueueFilter, QueueRow, queue_page
from kyc.screening import HitState
from kyc.store.models import (
    CheckDecision,
    Company,
    CompanyCheck,
    Hit,
    MandateCheck,
    Person,
    Representation,
    Subject,
)


class CustomerStatus(StrEnum):
    CLEARED = "cleared"
    PENDING_REVIEW = "pending_review"
    BLOCKED = "blocked"


@dataclass(frozen=True)
class Check:
    id: int
    verdict: str
    checked_at: datetime
    findings: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class RepresentativeCase:
    subject_id: str
    name: str
    role: str
    mandate: Check | None
    restricted: bool = False


@dataclass(frozen=True)
class CaseView:
    subject_id: str
    name: str
    enterprise_number: str
    customer_ref: str | None
    status: str
    reasons: tuple[str, ...]
    status_since: datetime | None
    register: Check | None
    representatives: tuple[RepresentativeCase, ...]
    hits: tuple[QueueRow, ...]
    restricted: bool = False

    @property
    def restricted_subjects(self) -> list[str]:
        """The subjects of the case whose processing is restricted."""
        people = [p.subject_id for p in self.representatives if p.restricted]
        return [self.subject_id, *people] if self.restricted else people


def case_of(session: Session, company_id: str, now: datetime) -> CaseView:
    company = session.get(Company, company_id)
    if company is None:
        raise ReviewError(f"there is no customer company {company_id}")
    people = _representatives(session, company_id)
    rows = queue_page(session, QueueFilter(state="all", customer=company.enterprise_number), now)
    return CaseView(
        company.subject_id,
        company.name,
        company.enterprise_number,
        company.customer_ref,
        company.status or CustomerStatus.PENDING_REVIEW,
        tuple(company.status_reasons or ()),
        company.status_since,
        _register_check(session, company_id),
        tuple(people),
        tuple(rows.rows),
        session.get_one(Subject, company_id).restricted_since is not None,
    )


def _representatives(session: Session, company_id: str) -> list[RepresentativeCase]:
    links = session.execute(
        select(Representation, Person, Subject.restricted_since)
        .join(Person, Person.subject_id == Representation.person_subject_id)
        .join(Subject, Subject.id == Person.subject_id)
        .where(Representation.company_subject_id == company_id)
        .order_by(Person.last_name, Person.first_name)
    ).all()
    return [
        RepresentativeCase(
            person.subject_id,
            f"{person.first_name} {person.last_name}",
            link.role,
            _mandate_check(session, company_id, person.subject_id),
            restricted_since is not None,
        )
        for link, person, restricted_since in links
    ]


def _register_check(session: Session, company_id: str) -> Check | None:
    row = session.scalars(
        select(CompanyCheck)
        .where(CompanyCheck.subject_id == company_id)
        .order_by(CompanyCheck.id.desc())
        .limit(1)
    ).first()
    return None if row is None else Check(row.id, row.verdict, row.checked_at, tuple(row.findings))


def _mandate_check(session: Session, company_id: str, person_id: str) -> Check | None:
    row = latest_check(session, company_id, person_id)
    return None if row is None else Check(row.id, row.verdict, row.checked_at, tuple(row.findings))


def status_of(session: Session, company_id: str) -> tuple[CustomerStatus, list[str]]:
    """What the customer's status is now, and why (each reason a line)."""
    return _StatusInputs.read(session, [company_id]).status(company_id)


Decided = Callable[[CheckKind, int], str | None]


def status_from(
    hits: Sequence[Hit], register: Check | None, people: Sequence[RepresentativeCase],
    decided: Decided,
) -> tuple[CustomerStatus, list[str]]:  # fmt: skip
    """The status its open hits, register check and mandate checks make, and why."""
    confirmed = [
        f"hit {h.id}: a true match with {h.source} {h.entry_id} ({h.entry_name})"
        for h in hits
        if h.state == HitState.DECIDED and h.decision == DecisionKind.TRUE_MATCH
    ]
    if confirmed:
        return CustomerStatus.BLOCKED, confirmed
    waiting = [
        f"hit {h.id}: {h.state} ({h.source} {h.entry_id}, score {h.score:.3f})"
        for h in hits
        if h.state in (HitState.OPEN, HitState.PROPOSED)
    ]
    refused: list[str] = []
    if register is None:
        waiting.append("register check: not done")
    elif register.verdict != "verified":
        _reviewed(decided, CheckKind.COMPANY, register, "register check", waiting, refused)
    for person in people:
        label = f"mandate of {person.role} {person.subject_id[:8]}"
        if person.mandate is None:
            waiting.append(f"{label}: not checked")
        elif person.mandate.verdict != "valid":
            _reviewed(decided, CheckKind.MANDATE, person.mandate, label, waiting, refused)
    if refused:
        return CustomerStatus.BLOCKED, refused
    if waiting:
        return CustomerStatus.PENDING_REVIEW, waiting
    return CustomerStatus.CLEARED, []


def _reviewed(
    decided: Decided,
    kind: CheckKind,
    check: Check,
    label: str,
    waiting: list[str],
    refused: list[str],
) -> None:
    """A check that is not clean counts as its reviewers decided (four eyes): confirmed,
    it waits no more; not confirmed, it blocks; undecided, it waits."""
    decision = decided(kind, check.id)
    if decision == CheckDecisionKind.NOT_CONFIRMED:
        refused.append(f"{label} (check {check.id}): {check.verdict}, not confirmed by review")
    elif decision != CheckDecisionKind.CONFIRMED:
        waiting.append(f"{label} (check {check.id}): {check.verdict}")


_IN_CHUNK = 2000  # companies per batch of queries (each names their subjects too)


@dataclass
class _StatusInputs:
    """What the statuses of many customers are made of, read in five queries a batch."""

    people: dict[str, list[RepresentativeCase]]
    registers: dict[str, Check]
    hits: dict[str, list[Hit]]
    decisions: dict[tuple[str, int], str]

    @classmethod
    def read(cls, session: Session, company_ids: Sequence[str]) -> _StatusInputs:
        inputs = cls(defaultdict(list), {}, defaultdict(list), {})
        for start in range(0, len(company_ids), _IN_CHUNK):
            inputs._read(session, list(company_ids[start : start + _IN_CHUNK]))
        return inputs

    def status(self, company_id: str) -> tuple[CustomerStatus, list[str]]:
        people = self.people.get(company_id, [])
        hits = [h for s in (company_id, *(p.subject_id for p in people))
                for h in self.hits.get(s, [])]  # fmt: skip
        hits.sort(key=lambda h: h.id)
        return status_from(
            hits, self.registers.get(company_id), people,
            lambda kind, check_id: self.decisions.get((str(kind), check_id)),
        )  # fmt: skip

    def _read(self, session: Session, ids: list[str]) -> None:
        mandates = _latest_mandate_checks(session, ids)
        links = session.execute(
            select(Representation, Person, Subject.restricted_since)
            .join(Person, Person.subject_id == Representation.person_subject_id)
            .join(Subject, Subject.id == Person.subject_id)
            .where(Representation.company_subject_id.in_(ids))
            .order_by(Person.last_name, Person.first_name)
        ).all()
        for link, person, restricted_since in links:
            self.people[link.company_subject_id].append(
                RepresentativeCase(
                    person.subject_id,
                    f"{person.first_name} {person.last_name}",
                    link.role,
                    mandates.get((link.company_subject_id, person.subject_id)),
                    restricted_since is not None,
                )
            )
        newest = select(func.max(CompanyCheck.id)).where(CompanyCheck.subject_id.in_(ids))
        for row in session.scalars(
            select(CompanyCheck).where(
                CompanyCheck.id.in_(newest.group_by(CompanyCheck.subject_id))
            )
        ):
            self.registers[row.subject_id] = _check(row)
        subjects = [*ids, *(p.subject_id for c in ids for p in self.people.get(c, []))]
        for hit in session.scalars(
            select(Hit).where(Hit.subject_id.in_(subjects), Hit.state != HitState.CLOSED)
        ):
            self.hits[hit.subject_id].append(hit)
        for decision in session.scalars(
            select(CheckDecision)
            .where(
                CheckDecision.company_subject_id.in_(ids),
                CheckDecision.status == DecisionStatus.APPROVED,
            )
            .order_by(CheckDecision.id)
        ):  # the latest approved decision on a check is the one in effect
            self.decisions[(decision.kind, decision.check_id)] = decision.decision


def _latest_mandate_checks(session: Session, ids: list[str]) -> dict[tuple[str, str], Check]:
    newest = (
        select(func.max(MandateCheck.id))
        .where(MandateCheck.company_subject_id.in_(ids))
        .group_by(MandateCheck.company_subject_id, MandateCheck.person_subject_id)
    )
    return {
        (row.company_subject_id, row.person_subject_id): _check(row)
        for row in session.scalars(select(MandateCheck).where(MandateCheck.id.in_(newest)))
    }


def _check(row: CompanyCheck | MandateCheck) -> Check:
    return Check(row.id, row.verdict, row.checked_at, tuple(row.findings))


def refresh_statuses(
    session: Session, company_ids: Iterable[str], *, auditor: Auditor, now: datetime
) -> dict[str, CustomerStatus]:
    """Work out and store each customer's status; a change is recorded in the trail."""
    statuses: dict[str, CustomerStatus] = {}
    ids = list(dict.fromkeys(company_ids))
    inputs = _StatusInputs.read(session, ids)
    for company_id in ids:
        company = session.get(Company, company_id)
        if company is None:
            continue
        status, reasons = inputs.status(company_id)
        statuses[company_id] = status
        if company.status == status and list(company.status_reasons or []) == reasons:
            continue
        was = company.status
        company.status, company.status_reasons = str(status), reasons
        if was != status:
            company.status_since = now
            auditor.record(
                session,
                action="customer.status_changed",
                purpose=Purpose.PEPPOL_KYC,
                outcome=f"{was or 'new'} → {status}",
                subject_ref=company_id,
                details={"reasons": len(reasons)},
            )
    return statuses


def companies_of(session: Session, subject_ids: Iterable[str]) -> set[str]:
    """The customer companies these subjects are, or represent."""
    ids = set(subject_ids)
    if not ids:
        return set()
    companies = set(session.scalars(select(Company.subject_id).where(Company.subject_id.in_(ids))))
    represented = session.scalars(
        select(Representation.company_subject_id).where(Representation.person_subject_id.in_(ids))
    )
    return companies | set(represented)
