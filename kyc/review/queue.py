"""The review queue as a page: hits filtered, sorted and paged in the database (it must
stay fast with a hundred thousand open hits), with the counts the filters need."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, UnaryExpression, func, literal, select, union
from sqlalchemy.orm import Session

from kyc.identifiers import InvalidIdentifier, normalize_enterprise_number
from kyc.review.decisions import ERASED_NAME
from kyc.screening import HitState
from kyc.store.models import Company, Hit, Person, Representation, Subject

PAGE_SIZE = 50
SORTS: dict[str, tuple[UnaryExpression[Any], ...]] = {
    "score": (Hit.score.desc(), Hit.id.asc()),
    "score_asc": (Hit.score.asc(), Hit.id.asc()),
    "oldest": (Hit.first_seen_at.asc(), Hit.id.asc()),
    "newest": (Hit.first_seen_at.desc(), Hit.id.desc()),
    "source": (Hit.source.asc(), Hit.score.desc(), Hit.id.asc()),
}
STATES = (HitState.OPEN, HitState.PROPOSED)
# Up to this many subjects of the customers a filter names are listed in the query.
_LISTED_SUBJECTS = 2000


@dataclass(frozen=True)
class QueueFilter:
    """What the analyst asks for; every field optional. ``customer`` is a company's
    name (any part of it) or enterprise number: its hits and its representatives'."""

    state: str = HitState.OPEN
    source: str | None = None
    band: str | None = None
    min_score: float | None = None
    max_score: float | None = None
    kind: str | None = None  # person or organization
    customer: str | None = None
    older_than_days: int | None = None
    assignee: str | None = None  # a name, or "-" for nobody
    escalated: bool | None = None
    sort: str = "score"
    page: int = 1

    def on_page(self, page: int) -> QueueFilter:
        return replace(self, page=page)


@dataclass(frozen=True)
class QueueRow:
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
    first_seen_at: datetime
    assignee: str | None
    escalated: bool
    restricted: bool = False  # the subject's processing is (GDPR Art. 18)


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int  # hits matching the filter, on every page
    page: int
    pages: int
    by_source: dict[str, int] = field(default_factory=dict)  # the same, per source
    by_state: dict[str, int] = field(default_factory=dict)  # open and proposed, unfiltered


def queue_page(session: Session, wanted: QueueFilter, now: datetime) -> QueuePage:
    conditions = _conditions(session, wanted, now)
    total = session.scalar(select(func.count()).select_from(Hit).where(*conditions)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, wanted.page), pages)
    by_source = dict(
        session.execute(
            select(Hit.source, func.count()).where(*conditions).group_by(Hit.source)
        ).all()
    )
    by_state = dict(
        session.execute(
            select(Hit.state, func.count()).where(Hit.state.in_(STATES)).group_by(Hit.state)
        ).all()
    )
    # The page's hits first, from the hits table and its indexes alone; then their names
    # (joining every skipped row to its subject would cost the last page dearly).
    ids = session.scalars(
        select(Hit.id)
        .where(*conditions)
        .order_by(*SORTS.get(wanted.sort, SORTS["score"]))
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    found = {r[0]: r for r in session.execute(_rows_query().where(Hit.id.in_(ids))).all()}
    return QueuePage(
        [_row(found[i]) for i in ids if i in found], total, page, pages,
        {str(k): int(v) for k, v in by_source.items()},
        {str(k): int(v) for k, v in by_state.items()},
    )  # fmt: skip


def _rows_query() -> Select[*tuple[Any, ...]]:
    person_name = Person.first_name + literal(" ") + Person.last_name
    return (
        select(
            Hit.id,
            Hit.state,
            Hit.subject_id,
            Subject.kind,
            func.coalesce(Company.name, person_name, literal(ERASED_NAME)),
            Hit.source,
            Hit.entry_id,
            Hit.entry_name,
            Hit.matched_name,
            Hit.score,
            Hit.band,
            Hit.first_seen_at,
            Hit.assignee,
            Hit.escalated,
            Subject.restricted_since.is_not(None),
        )  # fmt: skip
        .join(Subject, Subject.id == Hit.subject_id)
        .outerjoin(Company, Company.subject_id == Hit.subject_id)
        .outerjoin(Person, Person.subject_id == Hit.subject_id)
    )


def _row(r: object) -> QueueRow:
    return QueueRow(*r)  # type: ignore[misc]


def _conditions(session: Session, wanted: QueueFilter, now: datetime) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if wanted.state != "all":
        conditions.append(Hit.state == wanted.state)
    if wanted.source:
        conditions.append(Hit.source == wanted.source)
    if wanted.band:
        conditions.append(Hit.band == wanted.band)
    if wanted.min_score is not None:
        conditions.append(Hit.score >= wanted.min_score)
    if wanted.max_score is not None:
        conditions.append(Hit.score <= wanted.max_score)
    if wanted.kind:
        conditions.append(Hit.subject_kind == wanted.kind)
    if wanted.older_than_days is not None:
        conditions.append(Hit.first_seen_at <= now - timedelta(days=wanted.older_than_days))
    if wanted.assignee == "-":
        conditions.append(Hit.assignee.is_(None))
    elif wanted.assignee:
        conditions.append(Hit.assignee == wanted.assignee)
    if wanted.escalated is not None:
        conditions.append(Hit.escalated.is_(wanted.escalated))
    if wanted.customer:
        # Their subjects first: a few, looked up in the hits' index by subject (a
        # subquery would make each of the page's queries scan every hit).
        subjects = _customer_subjects(wanted.customer)
        found = session.scalars(subjects.limit(_LISTED_SUBJECTS + 1)).all()
        listed = found if len(found) <= _LISTED_SUBJECTS else subjects
        conditions.append(Hit.subject_id.in_(listed))
    return conditions


def _customer_subjects(text: str) -> Select[*tuple[Any, ...]]:
    """The company (by enterprise number, or any part of its name) and its
    representatives."""
    try:
        by = Company.enterprise_number == normalize_enterprise_number(text)
    except InvalidIdentifier:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        by = Company.name.ilike(pattern, escape="\\")
    companies = select(Company.subject_id).where(by)
    people = select(Representation.person_subject_id).where(
        Representation.company_subject_id.in_(companies)
    )
    return union(companies, people).subquery().select()


def customer_of(session: Session, subject_id: str) -> str | None:
    """The company a subject is, or represents (the first, when several)."""
    if session.get(Company, subject_id) is not None:
        return subject_id
    return session.scalar(
        select(Representation.company_subject_id)
        .where(Representation.person_subject_id == subject_id)
        .order_by(Representation.company_subject_id)
        .limit(1)
    )
