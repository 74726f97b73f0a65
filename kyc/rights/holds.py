"""What keeps a data subject's data: the retention rules of the customer relationships
it belongs to (GDPR Art. 17(3)(b): erasure gives way to a legal obligation to keep).

A company's data is held while its relationship lasts and, once it ended, until the
``retained_until`` stored with it (the purpose table's rule at the time it ended: a
later change of the table does not move a stored date). A person's data is held by
every company the person represents or was checked for: it goes when the last of them
lets it go.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, exists, or_, select, union
from sqlalchemy.orm import Session, aliased

from kyc.identifiers import format_enterprise_number
from kyc.purposes import PurposeTable
from kyc.store.models import Company, MandateCheck, Person, Representation


@dataclass(frozen=True)
class Hold:
    """One reason the data must be kept, and until when (None: while the relationship
    lasts, then for the rule's period after its end)."""

    rule: str
    ground: str
    until: date | None
    company_subject_id: str

    def line(self) -> str:
        until = "the end of the relationship plus its retention period"
        return f"{self.ground}; kept until {self.until or until}"


def _held(as_of: date, company: type[Company] = Company) -> ColumnElement[bool]:
    """A company whose data is still needed on ``as_of``."""
    return or_(company.retained_until.is_(None), company.retained_until >= as_of)


def companies_of_person(session: Session, person_id: str) -> list[str]:
    """The companies a person represents or was checked for (each may hold the data)."""
    linked = union(
        select(Representation.company_subject_id).where(
            Representation.person_subject_id == person_id
        ),
        select(MandateCheck.company_subject_id).where(MandateCheck.person_subject_id == person_id),
    )
    return sorted(session.scalars(select(linked.subquery().c[0])))


def holds_on(session: Session, subject_id: str, as_of: date, purposes: PurposeTable) -> list[Hold]:
    """Every retention rule that keeps the subject's data on ``as_of``; none means the
    data may be erased."""
    if session.get(Company, subject_id) is not None:
        company_ids = [subject_id]
    else:
        company_ids = companies_of_person(session, subject_id)
    companies = session.scalars(
        select(Company).where(Company.subject_id.in_(company_ids), _held(as_of))
    )
    return [_hold(company, purposes) for company in companies]


def _hold(company: Company, purposes: PurposeTable) -> Hold:
    number = format_enterprise_number(company.enterprise_number)
    if company.relationship_ended_on is None:
        rule = purposes.retention["relationship"]
        return Hold(
            rule.key,
            f"the customer relationship with {number} is in progress (retention rule "
            f"{rule.key}: {rule.description})",
            None,
            company.subject_id,
        )
    key = company.retention_rule or "relationship"
    described = purposes.retention.get(key)
    why = f": {described.description}" if described else ""
    return Hold(
        key,
        f"the customer relationship with {number} ended on {company.relationship_ended_on} "
        f"(retention rule {key}{why})",
        company.retained_until,
        company.subject_id,
    )


def expired_companies(as_of: date) -> Select[str]:
    """Companies whose retention ended before ``as_of``."""
    return select(Company.subject_id).where(Company.retained_until < as_of)


def expired_persons(as_of: date) -> Select[str]:
    """Persons no held company links to any more (by representation or by a check).

    Anti-joins (NOT EXISTS), not NOT IN: over a million persons PostgreSQL cannot hash
    the NOT IN list in memory and would rescan it for every person."""
    held = aliased(Company)
    represents = (
        select(Representation.id)
        .join(held, held.subject_id == Representation.company_subject_id)
        .where(Representation.person_subject_id == Person.subject_id, _held(as_of, held))
    )
    checked = (
        select(MandateCheck.id)
        .join(held, held.subject_id == MandateCheck.company_subject_id)
        .where(MandateCheck.person_subject_id == Person.subject_id, _held(as_of, held))
    )
    return select(Person.subject_id).where(~exists(represents), ~exists(checked))
