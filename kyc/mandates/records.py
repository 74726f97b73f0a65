"""Mandate checks of stored customers: each representative checked, kept, and audited.

A check is stored per representative (``mandate_checks``) with the register version and
rule table it used; the audit trail records its outcome and reasons (finding codes, no
names). A check made again after a change (a register update, a functions file, the
scheduled rescreen) also records how the verdict and the reasons moved, so a mandate that
stopped being valid is seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.audit import Auditor
from kyc.mandates.check import MandateChecker
from kyc.mandates.model import Declared, MandateResult, Proxy
from kyc.model import PartialDate
from kyc.settings import Purpose
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
) -> list[CheckedMandate]:
    """Check every representative of ``company`` (or those among ``persons``) on ``as_of``;
    store and audit each check."""
    links = session.scalars(
        select(Representation)
        .where(Representation.company_subject_id == company.subject_id)
        .order_by(Representation.id)
    ).all()
    checked = []
    for link in links:
        if persons is not None and link.person_subject_id not in persons:
            continue
        person = session.get_one(Person, link.person_subject_id)
        declared = declared_person(person, link.role)
        result = checker.check(
            company.enterprise_number, declared, as_of, stored_proxy(link, person)
        )
        previous = _latest(session, company.subject_id, person.subject_id)
        _record(session, company, person, result, previous, auditor, now, trigger)
        checked.append(
            CheckedMandate(person.subject_id, result, previous.verdict if previous else None)
        )
    return checked


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
    rows = session.scalars(
        select(MandateCheck)
        .join(
            Representation,
            (Representation.company_subject_id == MandateCheck.company_subject_id)
            & (Representation.person_subject_id == MandateCheck.person_subject_id),
        )
        .order_by(MandateCheck.id.desc())
    ).all()
    newest: dict[tuple[str, str], MandateCheck] = {}
    for row in rows:
        newest.setdefault((row.company_subject_id, row.person_subject_id), row)
    kept = [row for row in newest.values() if verdicts is None or row.verdict in verdicts]
    return sorted(kept, key=lambda row: row.id)


def _latest(session: Session, company_id: str, person_id: str) -> MandateCheck | None:
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
    session.flush()
    after = [f["code"] for f in findings]
    details: dict[str, Any] = {
        "company_subject_id": company.subject_id,
        "check_id": row.id,
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

    def to_dict(self) -> dict[str, Any]:
        return {**vars(self), "reasons": list(self.reasons)}


def mandate_views(session: Session, verdicts: set[str] | None = None) -> list[MandateView]:
    """The newest check of each representative, optionally of some verdicts only, with
    the reasons a reviewer must look at (findings that are not merely informative)."""
    views = []
    for row in latest_mandate_checks(session, verdicts):
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
            )
        )
    return views


def dated_changes(session: Session, since: date, today: date) -> set[tuple[str, str]]:
    """The (company, person) pairs whose mandate may have moved since ``since`` by the
    calendar alone: a function of their enterprise (or of a legal person holding one)
    began or ended, or their proxy started or expired, after ``since`` and by ``today``."""
    numbers = _enterprises_with_dated_functions(session, since, today)
    pairs: set[tuple[str, str]] = set()
    for link, company in session.execute(
        select(Representation, Company).join(
            Company, Company.subject_id == Representation.company_subject_id
        )
    ):
        if company.enterprise_number in numbers or _proxy_moved(link.proxy, since, today):
            pairs.add((link.company_subject_id, link.person_subject_id))
    return pairs


def _enterprises_with_dated_functions(session: Session, since: date, today: date) -> set[str]:
    began = (KboFunction.begin > since) & (KboFunction.begin <= today)
    ended = (KboFunction.end >= since) & (KboFunction.end < today)
    moved = set(session.scalars(select(KboFunction.enterprise_number).where(began | ended)))
    # A legal person whose function moved may hold functions elsewhere, through that person.
    held = session.scalars(
        select(KboFunction.enterprise_number).where(
            KboFunction.holder_enterprise_number.in_(sorted(moved))
        )
    )
    return moved | set(held)


def _proxy_moved(proxy: dict[str, Any] | None, since: date, today: date) -> bool:
    if not proxy:
        return False
    starts = date.fromisoformat(proxy["valid_from"])
    until = proxy.get("valid_until")
    expired = until is not None and since <= date.fromisoformat(until) < today
    return since < starts <= today or expired


def due_by_date(session: Session, today: date) -> dict[str, set[str]]:
    """The representatives (by company) whose newest check the calendar may have overtaken:
    something dated — a function's begin or end, a proxy's start or expiry — falls after
    the day they were checked on and by ``today``."""
    newest = [row for row in latest_mandate_checks(session) if row.as_of < today]
    due: dict[str, set[str]] = {}
    for since in sorted({row.as_of for row in newest}):
        moved = dated_changes(session, since, today)
        for row in newest:
            pair = (row.company_subject_id, row.person_subject_id)
            if row.as_of == since and pair in moved:
                due.setdefault(row.company_subject_id, set()).add(row.person_subject_id)
    return due
