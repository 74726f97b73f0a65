"""The review queue and what a reviewer sees of one hit: its state, the decisions on it
(proposed, approved, rejected) and its history in the audit trail."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.identifiers import format_enterprise_number
from kyc.model import ListEntry
from kyc.screening import HitState
from kyc.store.models import (
    AuditEvent,
    Company,
    Decision,
    Hit,
    ListEntryRow,
    ListVersion,
    Person,
    Subject,
)

# What stands for a name that retention or an erasure removed.
ERASED_NAME = "(personal data erased)"


class ReviewError(ValueError):
    pass


@dataclass(frozen=True)
class DecisionView:
    id: int
    decision: str
    status: str
    reviewer: str
    decided_at: datetime
    reason: str
    approver: str | None
    approved_at: datetime | None
    rejection_reason: str | None


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
    first_seen_at: datetime
    version: int = 1
    assignee: str | None = None
    escalated: bool = False
    list_version_id: int = 0
    decisions: tuple[DecisionView, ...] = field(default=())
    # The list entry as the list version holds it, and when that version was published.
    entry: ListEntry | None = None
    list_published_at: datetime | None = None
    # What the customer's record says beside the name, to set against the entry's.
    subject_facts: tuple[tuple[str, str], ...] = ()
    # The subject's processing is restricted (GDPR Art. 18): shown, and each read recorded.
    restricted: bool = False

    @property
    def pending(self) -> DecisionView | None:
        """The proposal waiting for an approver, if any."""
        return next((d for d in self.decisions if d.status == "proposed"), None)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["entry"] = None if self.entry is None else self.entry.to_dict()
        data["pending"] = None if self.pending is None else asdict(self.pending)
        return data


def subject_name(session: Session, subject_id: str) -> tuple[str, str]:
    company = session.get(Company, subject_id)
    if company is not None:
        return "organization", company.name
    person = session.get(Person, subject_id)
    if person is not None:
        return "person", f"{person.first_name} {person.last_name}"
    return "unknown", ERASED_NAME


def subject_facts(session: Session, subject_id: str) -> tuple[tuple[str, str], ...]:
    """A person's birth date and nationality, a company's number, seat and country:
    what a reviewer compares with the list entry (never a national number)."""
    company = session.get(Company, subject_id)
    if company is not None:
        seat = " ".join(
            part for part in (company.street, company.house_number, company.postcode) if part
        )
        return (
            ("Enterprise number", format_enterprise_number(company.enterprise_number)),
            ("Seat", ", ".join(p for p in (seat, company.municipality or "") if p) or "-"),
            ("Country", company.country or "-"),
        )
    person = session.get(Person, subject_id)
    if person is None:
        return ()
    born = person.birth_date or (str(person.nn_birth_date) if person.nn_birth_date else None)
    return (("Born", born or "-"), ("Nationality", person.nationality or "-"))


def hit_view(session: Session, hit: Hit, *, with_decisions: bool = True) -> HitView:
    """The hit as a reviewer sees it; with its decisions and list entry unless only
    its line in the queue is wanted."""
    kind, name = subject_name(session, hit.subject_id)
    entry, published = _listed(session, hit) if with_decisions else (None, None)
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
        first_seen_at=hit.first_seen_at,
        version=hit.version,
        assignee=hit.assignee,
        escalated=hit.escalated,
        list_version_id=hit.list_version_id,
        decisions=decisions_of(session, hit.id) if with_decisions else (),
        entry=entry,
        list_published_at=published,
        subject_facts=subject_facts(session, hit.subject_id) if with_decisions else (),
        restricted=session.get_one(Subject, hit.subject_id).restricted_since is not None,
    )


def _listed(session: Session, hit: Hit) -> tuple[ListEntry | None, datetime | None]:
    row = session.scalar(
        select(ListEntryRow).where(
            ListEntryRow.version_id == hit.list_version_id, ListEntryRow.entry_id == hit.entry_id
        )
    )
    version = session.get(ListVersion, hit.list_version_id)
    return (
        None if row is None else ListEntry.from_dict(row.data),
        None if version is None else version.published_at,
    )


def decisions_of(session: Session, hit_id: int) -> tuple[DecisionView, ...]:
    rows = session.scalars(select(Decision).where(Decision.hit_id == hit_id).order_by(Decision.id))
    return tuple(
        DecisionView(
            d.id,
            d.decision,
            d.status,
            d.reviewer,
            d.decided_at,
            d.reason,
            d.approver,
            d.approved_at,
            d.rejection_reason,
        )  # fmt: skip
        for d in rows
    )


def list_hits(session: Session, state: str | None = HitState.OPEN) -> list[HitView]:
    query = select(Hit).order_by(Hit.score.desc(), Hit.id)
    if state is not None:
        query = query.where(Hit.state == state)
    return [hit_view(session, hit, with_decisions=False) for hit in session.scalars(query)]


def get_hit(session: Session, hit_id: int) -> HitView:
    hit = session.get(Hit, hit_id)
    if hit is None:
        raise ReviewError(f"there is no hit {hit_id}")
    return hit_view(session, hit)


@dataclass(frozen=True)
class HistoryStep:
    at: datetime
    action: str  # hit.opened, hit.reopened, hit.proposed, hit.decided, hit.closed…
    actor: str
    outcome: str
    reason: str | None


def hit_history(session: Session, hit_id: int) -> list[HistoryStep]:
    """Every step of the pair's life, from the audit trail: opened, re-opened (and why),
    proposed, approved, rejected, escalated, assigned, closed."""
    hit = session.get(Hit, hit_id)
    if hit is None:
        raise ReviewError(f"there is no hit {hit_id}")
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_ref == hit.subject_id, AuditEvent.action.like("hit.%"))
        .order_by(AuditEvent.seq)
    )
    return [
        HistoryStep(e.occurred_at, e.action, e.actor, e.outcome, e.details.get("reason"))
        for e in events
        if e.details.get("hit_id") == hit_id
    ]
