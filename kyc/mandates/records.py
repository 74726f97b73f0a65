"""Mandate checks of stored customers: each representative checked, kept, and audited.

A check is stored per representative (``mandate_checks``) with the register version and
rule table it used; the audit trail records its outcome and reasons (finding codes, no
names). A check made again after a change (a register update, a functions file, the
scheduled rescreen) also records how the verdict and the reasons moved, so a mandate that
stopped being valid is seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kyc.audit import Auditor, RowId
from kyc.mandates.batch import MandateRows
from kyc.mandates.check import MandateChecker
from kyc.mandates.model import Declared, MandateResult, Proxy
from kyc.model import PartialDate
from kyc.purposes import Purpose
from kyc.rights.restriction import record_held_back, restricted_among
from kyc.store.models import Company, KboFunction, MandateCheck, Person, Representation


@dataclass(frozen=True)
class CheckedMandate:
    person_subject_id: str
    result: MandateResult
    previous_verdict: str | None

    @property
    def changed(self) -> bool:
        return self.previous_verdict is not None and self.previous_verdict != self.result.verdict

    def to_dict(self) -> dict[str, Any]:
        return {"person_subject_id": self.person_subject_id, **self.result.to_dict()}

    def line(self) -> str:
        if self.changed:
            return f"{self.person_subject_id}: {self.previous_verdict} → {self.result.verdict}"
        still = " (unchanged)" if self.previous_verdict else ""
        return f"{self.person_subject_id}: {self.result.verdict}{still}"


def check_representatives(
    session: Session,
    checker: MandateChecker,
    company: Company,
    *,
    auditor: Auditor,
    now: datetime,
    as_of: date,
    trigger: str,
    persons: set[str] | None = None,
    rows: MandateRows | None = None,
) -> list[CheckedMandate]:
    """Check every representative of ``company`` (or those among ``persons``) on ``as_of``;
    store and audit each check. ``rows``: what a batch read for all its companies."""
    links = _links(session, company.subject_id, rows)
    if persons is not None:
        links = [link for link in links if link.person_subject_id in persons]
    held_back = _held_back(session, checker, [link.person_subject_id for link in links], rows)
    checked = []
    for link in links:
        if link.person_subject_id in held_back:
            record_held_back(session, link.person_subject_id, "mandate check", auditor)
            continue
        person = session.get_one(Person, link.person_subject_id)
        declared = declared_person(person, link.role)
        result = checker.check(
            company.enterprise_number, declared, as_of, stored_proxy(link, person)
        )
        previous = (
            rows.latest.get((company.subject_id, person.subject_id))
            if rows is not None
            else latest_check(session, company.subject_id, person.subject_id)
        )
        _record(session, company, person, result, previous, auditor, now, trigger)
        checked.append(
            CheckedMandate(person.subject_id, result, previous.verdict if previous else None)
        )
    return checked


def _links(session: Session, company_id: str, rows: MandateRows | None) -> list[Representation]:
    if rows is not None:
        return list(rows.links.get(company_id, []))
    query = select(Representation).where(Representation.company_subject_id == company_id)
    return list(session.scalars(query.order_by(Representation.id)))


def _held_back(
    session: Session, checker: MandateChecker, person_ids: list[str], rows: MandateRows | None
) -> set[str]:
    if checker.policy.check_restricted:
        return set()
    if rows is not None:
        return set(person_ids) & rows.restricted
    return restricted_among(session, person_ids)


def declared_person(person: Person, role: str | None) -> Declared:
    birth = None
    if person.birth_date:
        try:
            birth = PartialDate.parse(person.birth_date)
        except ValueError:
            birth = None  # stored before validation tightened: checked without it
    return Declared(person.first_name, person.last_name, birth, person.nationality, role or None)


def stored_proxy(link: Representation, person: Person) -> Proxy | None:
    data = link.proxy
    if not data:
        return None
    return Proxy(
        grantor=Declared(
            data["grantor_first_name"], data["grantor_last_name"], role=data.get("grantor_role")
        ),
        grantee_first_name=person.first_name,
        grantee_last_name=person.last_name,
        scope=tuple(data["scope"]),
        valid_from=date.fromisoformat(data["valid_from"]),
        valid_until=date.fromisoformat(data["valid_until"]) if data.get("valid_until") else None,
    )


def latest_mandate_checks(session: Session, verdicts: set[str] | None = None) -> list[MandateCheck]:
    """The newest check of each representation (still linked), optionally of some verdicts."""
    newest = select(func.max(MandateCheck.id)).group_by(
        MandateCheck.company_subject_id, MandateCheck.person_subject_id
    )
    query = (
        select(MandateCheck)
        .join(
            Representation,
            (Representation.company_subject_id == MandateCheck.company_subject_id)
            & (Representation.person_subject_id == MandateCheck.person_subject_id),
        )
        .where(MandateCheck.id.in_(newest))
        .order_by(MandateCheck.id)
    )
    if verdicts is not None:
        query = query.where(MandateCheck.verdict.in_(sorted(verdicts)))
    return list(session.scalars(query))


def latest_check(session: Session, company_id: str, person_id: str) -> MandateCheck | None:
    """The newest check of one representative's mandate, if any."""
    return session.scalars(
        select(MandateCheck)
        .where(
            MandateCheck.company_subject_id == company_id,
            MandateCheck.person_subject_id == person_id,
        )
        .order_by(MandateCheck.id.desc())
        .limit(1)
    ).first()


def _record(
    session: Session,
    company: Company,
    person: Person,
    result: MandateResult,
    previous: MandateCheck | None,
    auditor: Auditor,
    now: datetime,
    trigger: str,
) -> MandateCheck:
    findings = result.to_dict()["findings"]
    row = MandateCheck(
        company_subject_id=company.subject_id,
        person_subject_id=person.subject_id,
        checked_at=now,
        as_of=result.as_of,
        trigger=trigger,
        verdict=str(result.verdict),
        findings=findings,
        register_extract_id=result.register_extract_id,
        rules_version=result.rules_version,
    )
    session.add(row)
    after = [f["code"] for f in findings]
    details: dict[str, Any] = {
        "company_subject_id": company.subject_id,
        "check_id": RowId(row),
        "trigger": trigger,
        "as_of": result.as_of.isoformat(),
        "register_extract_id": result.register_extract_id,
        "rules_version": result.rules_version,
        "findings": after,
    }
    if previous is not None:
        before = {f["code"] for f in previous.findings}
        details.update(
            previous_verdict=previous.verdict,
            findings_added=sorted(set(after) - before),
            findings_removed=sorted(before - set(after)),
        )
    was = previous.verdict if previous else None
    moved = was is not None and was != result.verdict
    auditor.record(
        session,
        action="mandate.changed" if moved else "mandate.checked",
        purpose=Purpose.PEPPOL_KYC,
        outcome=f"{was} → {result.verdict}" if moved else str(result.verdict),
        subject_ref=person.subject_id,
        details=details,
    )
    return row


@dataclass(frozen=True)
class MandateView:
    """A stored check as a reviewer reads it."""

    check_id: int
    checked_at: datetime
    as_of: date
    trigger: str
    enterprise_number: str
    company_name: str
    representative: str
    role: str
    verdict: str
    reasons: tuple[str, ...]
    restricted: bool = False  # the representative's processing is (GDPR Art. 18)

    def to_dict(self) -> dict[str, Any]:
        return {**vars(self), "reasons": list(self.reasons)}


def mandate_views(session: Session, verdicts: set[str] | None = None) -> list[MandateView]:
    """The newest check of each representative, optionally of some verdicts only, with
    the reasons a reviewer must look at (findings that are not merely informative)."""
    views = []
    rows = latest_mandate_checks(session, verdicts)
    restricted = restricted_among(session, [row.person_subject_id for row in rows])
    for row in rows:
        company = session.get_one(Company, row.company_subject_id)
        person = session.get_one(Person, row.person_subject_id)
        link = session.scalars(
            select(Representation).where(
                Representation.company_subject_id == row.company_subject_id,
                Representation.person_subject_id == row.person_subject_id,
            )
        ).one()
        views.append(
            MandateView(
                check_id=row.id,
                checked_at=row.checked_at,
                as_of=row.as_of,
                trigger=row.trigger,
                enterprise_number=company.enterprise_number,
                company_name=company.name,
                representative=f"{person.first_name} {person.last_name}",
                role=link.role,
                verdict=row.verdict,
                reasons=tuple(f["message"] for f in row.findings if f["severity"] != "info"),
                restricted=row.person_subject_id in restricted,
            )
        )
    return views


def due_by_date(session: Session, today: date) -> dict[str, set[str]]:
    """The representatives (by company) whose newest check the calendar may have overtaken:
    a day on which something changes — a function of their enterprise (or of a legal
    person holding one there) begins or ends, their proxy starts or expires — falls after
    the day they were checked on and by ``today``."""
    newest = [row for row in latest_mandate_checks(session) if row.as_of < today]
    if not newest:
        return {}
    days = _function_change_days(session, min(row.as_of for row in newest), today)
    links = {
        (link.company_subject_id, link.person_subject_id): (link.proxy, number)
        for link, number in session.execute(
            select(Representation, Company.enterprise_number).join(
                Company, Company.subject_id == Representation.company_subject_id
            )
        )
    }
    due: dict[str, set[str]] = {}
    for row in newest:
        proxy, number = links[(row.company_subject_id, row.person_subject_id)]
        changes = [*days.get(number, ()), *_proxy_change_days(proxy)]
        if any(row.as_of < day <= today for day in changes):
            due.setdefault(row.company_subject_id, set()).add(row.person_subject_id)
    return due


def _function_change_days(session: Session, since: date, today: date) -> dict[str, set[date]]:
    """Per enterprise, the days after ``since`` and by ``today`` on which one of its
    functions began or stopped (the day after its last day)."""
    began = (KboFunction.begin > since) & (KboFunction.begin <= today)
    ended = (KboFunction.end >= since) & (KboFunction.end < today)
    days: dict[str, set[date]] = {}
    rows = session.execute(
        select(KboFunction.enterprise_number, KboFunction.begin, KboFunction.end).where(
            began | ended
        )
    )
    for number, begin, end in rows:
        days.setdefault(number, set()).update(_change_days(begin, end))
    # A legal person whose functions changed holds functions elsewhere through them.
    held = session.execute(
        select(KboFunction.enterprise_number, KboFunction.holder_enterprise_number).where(
            KboFunction.holder_enterprise_number.in_(sorted(days))
        )
    )
    for number, holder in list(held):
        if holder is not None:
            days.setdefault(number, set()).update(days[holder])
    return days


def _proxy_change_days(proxy: dict[str, Any] | None) -> list[date]:
    if not proxy:
        return []
    until = proxy.get("valid_until")
    return _change_days(
        date.fromisoformat(proxy["valid_from"]), date.fromisoformat(until) if until else None
    )


def _change_days(begin: date, end: date | None) -> list[date]:
    # An end date is the last day in force: the change is seen the day after.
    return [begin] if end is None else [begin, end + timedelta(days=1)]
