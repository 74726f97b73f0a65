"""The right of access (GDPR Art. 15): everything held about one data subject, why, from
where, for how long, and who may receive it — and what is withheld, and why.

The answer is plain data (JSON-ready); :mod:`kyc.rights.report` renders it as a page.
Other people's data is withheld (Art. 15(4)): a company's representatives, a proxy's
grantor. Reviewers' names are withheld unless the provider's policy gives them
(``KYC_ACCESS_NAMES_REVIEWERS``): they are the provider's staff, named to a supervisor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.identifiers import format_enterprise_number
from kyc.purposes import Purpose, PurposeTable
from kyc.rights.holds import companies_of_person, holds_on
from kyc.rights.restriction import restriction_of
from kyc.store.models import (
    AuditEvent,
    CheckDecision,
    Company,
    CompanyCheck,
    Decision,
    Hit,
    MandateCheck,
    Person,
    Representation,
    ScreenedInput,
    ScreeningRun,
    Subject,
)

WITHHELD = "(withheld)"
# What every customer's data is processed for, whatever the trail holds yet.
_ALWAYS = (Purpose.PEPPOL_KYC, Purpose.SANCTIONS_SCREENING, Purpose.REVIEW)


@dataclass(frozen=True)
class AccessPolicy:
    names_reviewers: bool = False


def subject_record(
    session: Session,
    subject_id: str,
    *,
    purposes: PurposeTable,
    today: date,
    now: datetime,
    policy: AccessPolicy,
) -> dict[str, Any]:
    subject = session.get_one(Subject, subject_id)
    person = session.get(Person, subject_id)
    company = session.get(Company, subject_id)
    restriction = restriction_of(session, subject_id)
    holds = holds_on(session, subject_id, today, purposes)
    record: dict[str, Any] = {
        "subject": {
            "subject_id": subject_id,
            "kind": subject.kind,
            "first_stored_at": subject.created_at,
            "personal_data_erased_at": subject.erased_at,
            "restricted": restriction is not None,
            "restriction": restriction.line() if restriction else None,
            "answered_at": now,
        },
        "personal_data": _personal_data(person, company),
        "companies": _companies(session, subject_id) if company is None else [],
        "sources": _sources(session, subject_id, company is not None),
        "screenings": _screenings(session, subject_id),
        "hits": _hits(session, subject_id, policy),
        "mandate_checks": _mandate_checks(session, subject_id) if company is None else [],
        "company_checks": _company_checks(session, subject_id),
        "check_decisions": _check_decisions(session, subject_id, company is None, policy),
        "retention": [
            {"rule": h.rule, "ground": h.ground, "kept_until": h.until or "end of relationship"}
            for h in holds
        ]
        or [{"rule": None, "ground": "no retention rule holds the data", "kept_until": None}],
        "purposes": [],
        "recipients": list(purposes.recipients),
        "events": _events(session, subject_id, policy),
        "withheld": _withheld(session, subject_id, company is not None, policy),
    }
    seen = {e["purpose"] for e in record["events"]} | {str(p) for p in _ALWAYS}
    record["purposes"] = [
        {
            "purpose": str(rule.purpose),
            "title": rule.title,
            "legal_basis": rule.legal_basis,
            "retention": rule.retention.description,
            "allowed_under_restriction": rule.under_restriction,
        }
        for rule in purposes.purposes.values()
        if str(rule.purpose) in seen
    ]
    return record


def _personal_data(person: Person | None, company: Company | None) -> dict[str, Any]:
    if person is not None:
        return {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "birth_date": person.birth_date or person.nn_birth_date,
            "nationality": person.nationality,
            "national_number": (
                "held only as a keyed hash, from which the number cannot be read back"
                if person.nn_hash
                else None
            ),
            "updated_at": person.updated_at,
        }
    if company is not None:
        return {
            "name": company.name,
            "enterprise_number": format_enterprise_number(company.enterprise_number),
            "customer_ref": company.customer_ref,
            "address": " ".join(
                p
                for p in (
                    company.street,
                    company.house_number,
                    company.box,
                    company.postcode,
                    company.municipality,
                    company.country,
                )
                if p
            ),
            "peppol_id": company.peppol_id,
            "status": company.status,
            "relationship_ended_on": company.relationship_ended_on,
            "relationship_end_reason": company.relationship_end_reason,
            "retained_until": company.retained_until,
            "updated_at": company.updated_at,
        }
    return {"erased": "the personal data was erased; the pseudonymous id remains in the trail"}


def _companies(session: Session, person_id: str) -> list[dict[str, Any]]:
    rows = []
    for company_id in companies_of_person(session, person_id):
        company = session.get(Company, company_id)
        link = session.scalar(
            select(Representation).where(
                Representation.company_subject_id == company_id,
                Representation.person_subject_id == person_id,
            )
        )
        proxy = link.proxy if link is not None else None
        rows.append(
            {
                "company_subject_id": company_id,
                "enterprise_number": (
                    format_enterprise_number(company.enterprise_number) if company else None
                ),
                "name": company.name if company else "(erased)",
                "role": link.role if link else "(no longer a representative)",
                "proxy": (
                    {
                        "scope": proxy.get("scope"),
                        "valid_from": proxy.get("valid_from"),
                        "valid_until": proxy.get("valid_until"),
                        "grantor": WITHHELD,
                    }
                    if proxy
                    else None
                ),
            }
        )
    return rows


def _sources(session: Session, subject_id: str, is_company: bool) -> list[dict[str, Any]]:
    """Where the data came from: the customer file or onboarding that stored it."""
    companies = [subject_id] if is_company else companies_of_person(session, subject_id)
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "customer.imported", AuditEvent.subject_ref.in_(companies))
        .order_by(AuditEvent.seq)
    )
    sources = [
        {"received_at": e.occurred_at, "source": e.details.get("source"), "change": e.outcome}
        for e in events
        if is_company or subject_id in e.details.get("representatives", [])
    ]
    sources.append(
        {
            "received_at": None,
            "source": "the Crossroads Bank for Enterprises (KBO Open Data), for the checks",
            "change": "read",
        }
    )
    return sources


def _screenings(session: Session, subject_id: str) -> list[dict[str, Any]]:
    rows = session.execute(
        select(ScreenedInput, ScreeningRun)
        .join(ScreeningRun, ScreeningRun.id == ScreenedInput.run_id)
        .where(ScreenedInput.subject_id == subject_id)
        .order_by(ScreenedInput.run_id)
    ).all()
    return [
        {
            "run_id": run.id,
            "kind": run.kind,
            "screened_at": run.started_at,
            "lists": {
                source: {"published_at": ref.get("published_at"), "sha256": ref.get("sha256")}
                for source, ref in run.list_versions.items()
            },
            "matcher": f"{run.matcher}/{run.matcher_version}",
            "threshold": run.threshold,
            "input": screened.attributes or "(erased under retention)",
            "input_sha256": screened.digest,
            "matches": screened.matches or [],
        }
        for screened, run in rows
    ]


def _hits(session: Session, subject_id: str, policy: AccessPolicy) -> list[dict[str, Any]]:
    hits = session.scalars(select(Hit).where(Hit.subject_id == subject_id).order_by(Hit.id))
    return [
        {
            "hit_id": hit.id,
            "list": hit.source,
            "entry_id": hit.entry_id,
            "entry_name": hit.entry_name,
            "matched_alias": hit.matched_name,
            "score": round(hit.score, 3),
            "state": hit.state,
            "decision": hit.decision,
            "first_seen_at": hit.first_seen_at,
            "last_seen_at": hit.last_seen_at,
            "decisions": [
                {
                    "decision": d.decision,
                    "reason": d.reason,
                    "status": d.status,
                    "decided_at": d.decided_at,
                    "reviewer": d.reviewer if policy.names_reviewers else WITHHELD,
                    "approver": (d.approver if policy.names_reviewers else WITHHELD)
                    if d.approver
                    else None,
                    "approved_at": d.approved_at,
                    "rejection_reason": d.rejection_reason,
                }
                for d in session.scalars(
                    select(Decision).where(Decision.hit_id == hit.id).order_by(Decision.id)
                )
            ],
        }
        for hit in hits
    ]


def _mandate_checks(session: Session, person_id: str) -> list[dict[str, Any]]:
    checks = session.scalars(
        select(MandateCheck)
        .where(MandateCheck.person_subject_id == person_id)
        .order_by(MandateCheck.id)
    )
    return [
        {
            "check_id": c.id,
            "company_subject_id": c.company_subject_id,
            "checked_at": c.checked_at,
            "as_of": c.as_of,
            "trigger": c.trigger,
            "verdict": c.verdict,
            "findings": [f.get("message") for f in c.findings],
            "register_extract_id": c.register_extract_id,
        }
        for c in checks
    ]


def _company_checks(session: Session, subject_id: str) -> list[dict[str, Any]]:
    checks = session.scalars(
        select(CompanyCheck).where(CompanyCheck.subject_id == subject_id).order_by(CompanyCheck.id)
    )
    return [
        {
            "check_id": c.id,
            "checked_at": c.checked_at,
            "verdict": c.verdict,
            "findings": [f.get("message") for f in c.findings],
            "register_extract_id": c.register_extract_id,
        }
        for c in checks
    ]


def _check_decisions(
    session: Session, subject_id: str, is_person: bool, policy: AccessPolicy
) -> list[dict[str, Any]]:
    column = CheckDecision.person_subject_id if is_person else CheckDecision.company_subject_id
    query = select(CheckDecision).where(column == subject_id)
    if not is_person:
        query = query.where(CheckDecision.kind == "company")
    return [
        {
            "kind": d.kind,
            "check_id": d.check_id,
            "decision": d.decision,
            "status": d.status,
            "reason": d.reason,
            "decided_at": d.decided_at,
            "reviewer": d.reviewer if policy.names_reviewers else WITHHELD,
            "rejection_reason": d.rejection_reason,
        }
        for d in session.scalars(query.order_by(CheckDecision.id))
    ]


def _events(session: Session, subject_id: str, policy: AccessPolicy) -> list[dict[str, Any]]:
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.subject_ref == subject_id).order_by(AuditEvent.seq)
    )
    return [
        {
            "seq": e.seq,
            "at": e.occurred_at,
            "action": e.action,
            "purpose": e.purpose,
            "legal_basis": e.legal_basis,
            "outcome": e.outcome,
            "by": e.actor if policy.names_reviewers else WITHHELD,
        }
        for e in events
    ]


def _withheld(
    session: Session, subject_id: str, is_company: bool, policy: AccessPolicy
) -> list[dict[str, str]]:
    withheld = [
        {
            "what": "the national number",
            "why": "never stored: only a keyed hash is kept, which names nobody without the key",
        }
    ]
    if is_company:
        withheld.append(
            {
                "what": "the representatives' personal data and their mandate checks",
                "why": "other people's data (GDPR Art. 15(4)); each may ask for their own",
            }
        )
    else:
        withheld.append(
            {
                "what": "other representatives of the same companies, and a proxy's grantor",
                "why": "other people's data (GDPR Art. 15(4))",
            }
        )
    if not policy.names_reviewers:
        withheld.append(
            {
                "what": "the names of the reviewers and operators who acted",
                "why": "the provider's staff: named to a supervisor on request, not in an "
                "answer to a data subject (provider policy, KYC_ACCESS_NAMES_REVIEWERS)",
            }
        )
    return withheld
