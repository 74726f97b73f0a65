"""The use cases, over one database session: import customers, onboard one, rescreen all.

Flows and CLI commands call these (through :mod:`kyc.app`); nothing here knows about
either. No outcome rejects a customer: findings and hits go to a person for review.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.audit import Auditor
from kyc.customers import RawRecord, Rejection, ValidationOutcome, validate_customers
from kyc.mandates.check import MandateChecker
from kyc.mandates.model import MandateVerdict
from kyc.mandates.records import CheckedMandate, check_representatives
from kyc.registry.address import GivenAddress
from kyc.registry.verify import CompanyVerification, CompanyVerifier, Verdict
from kyc.screening import Screener, ScreeningContext, ScreeningOutcome
from kyc.settings import Purpose
from kyc.store.customers import (
    CustomerConflict,
    StoredCustomer,
    all_company_ids,
    customer_subjects,
    upsert_customer,
)
from kyc.store.models import Company, CompanyCheck, Hit


@dataclass
class CustomerImportReport:
    stored: list[StoredCustomer] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    # The mandates of the new and changed customers' representatives, checked at once.
    mandates: list[CheckedMandate] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(1 for s in self.stored if s.created)

    def mandate_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for checked in self.mandates:
            counts[str(checked.result.verdict)] = counts.get(str(checked.result.verdict), 0) + 1
        return counts


def check_new_mandates(
    session: Session,
    report: CustomerImportReport,
    checker: MandateChecker,
    *,
    auditor: Auditor,
    now: datetime,
    today: date,
) -> None:
    """Check the mandates of every representative of a customer the import created or
    changed (a new person, a new role, a new proxy)."""
    for stored in report.stored:
        if not (stored.created or stored.changed):
            continue
        company = session.get_one(Company, stored.company_subject_id)
        report.mandates += check_representatives(
            session,
            checker,
            company,
            auditor=auditor,
            now=now,
            as_of=today,
            trigger="customer_changed",
        )


def import_customers(
    session: Session,
    outcome: ValidationOutcome,
    *,
    nn_key: SecretStr | None,
    auditor: Auditor,
    now: datetime,
    source: str,
) -> CustomerImportReport:
    """Store every accepted customer; rejections (and conflicts) are reported, not stored."""
    report = CustomerImportReport(rejected=list(outcome.rejected))
    for customer in outcome.accepted:
        try:
            with session.begin_nested():
                stored = upsert_customer(session, customer, nn_key, now)
        except CustomerConflict as error:
            report.rejected.append(Rejection(customer.label, (str(error),)))
            continue
        report.stored.append(stored)
        auditor.record(
            session,
            action="customer.imported",
            purpose=Purpose.PEPPOL_KYC,
            outcome="created" if stored.created else ("updated" if stored.changed else "unchanged"),
            subject_ref=stored.company_subject_id,
            details={"representatives": list(stored.person_subject_ids), "source": source},
        )
    auditor.record(
        session,
        action="customers.import",
        purpose=Purpose.PEPPOL_KYC,
        outcome="partial" if report.rejected else "complete",
        details={
            "source": source,
            "stored": len(report.stored),
            "rejected": [str(r) for r in report.rejected],
        },
    )
    return report


def verify_company(verifier: CompanyVerifier, company: Company) -> CompanyVerification:
    """The register check of a stored customer company, with all it declared."""
    address = GivenAddress(
        company.street, company.house_number, company.box, company.postcode, company.municipality
    )
    return verifier.verify(company.enterprise_number, company.name, address, company.peppol_id)


def record_company_check(
    session: Session,
    company: Company,
    verification: CompanyVerification,
    *,
    auditor: Auditor,
    now: datetime,
) -> CompanyCheck:
    check = CompanyCheck(
        subject_id=company.subject_id,
        checked_at=now,
        verdict=str(verification.verdict),
        findings=verification.to_dict()["findings"],
        register_extract_id=verification.register_extract_id,
    )
    session.add(check)
    session.flush()
    auditor.record(
        session,
        action="company.verified",
        purpose=Purpose.PEPPOL_KYC,
        outcome=str(verification.verdict),
        subject_ref=company.subject_id,
        details={
            "check_id": check.id,
            "register_extract_id": verification.register_extract_id,
            "findings": [f.code for f in verification.findings],
        },
    )
    return check


class OnboardingRejected(ValueError):
    def __init__(self, rejection: Rejection) -> None:
        super().__init__(str(rejection))
        self.rejection = rejection


@dataclass(frozen=True)
class OnboardingResult:
    company_subject_id: str
    company_verdict: Verdict
    findings: tuple[dict[str, Any], ...]
    hits_to_review: tuple[int, ...]
    status: str
    mandates: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "company_subject_id": self.company_subject_id,
            "company_verdict": str(self.company_verdict),
            "findings": list(self.findings),
            "mandates": list(self.mandates),
            "hits_to_review": list(self.hits_to_review),
            "status": self.status,
        }


@dataclass(frozen=True)
class RescreenReport:
    verdicts: dict[str, int]
    mandates: dict[str, int]
    screening: ScreeningOutcome


@dataclass
class Pipeline:
    """The screening use cases over one session, with the lists fixed for the whole run."""

    session: Session
    context: ScreeningContext
    verifier: CompanyVerifier
    mandates: MandateChecker
    auditor: Auditor
    threshold: float
    now: datetime
    today: date  # the date mandates are checked on (Brussels time)

    def onboard(self, payload: Any, *, nn_key: SecretStr | None) -> OnboardingResult:
        outcome = validate_customers([RawRecord("onboarding payload", payload)])
        if outcome.rejected:
            raise OnboardingRejected(outcome.rejected[0])
        report = import_customers(
            self.session,
            outcome,
            nn_key=nn_key,
            auditor=self.auditor,
            now=self.now,
            source="onboarding",
        )
        if report.rejected:
            raise OnboardingRejected(report.rejected[0])
        company_id = report.stored[0].company_subject_id
        verification = self._verify(company_id)
        mandates = self._check_mandates(company_id, trigger="onboarding")
        screening = self._screen([company_id], kind="onboarding")
        open_hits = self._open_hits(screening.hits_by_subject)
        cleared = (
            verification.verdict is Verdict.VERIFIED
            and all(m.result.verdict is MandateVerdict.VALID for m in mandates)
            and not open_hits
        )
        status = "cleared" if cleared else "pending_review"
        self.auditor.record(
            self.session,
            action="onboarding.completed",
            purpose=Purpose.PEPPOL_KYC,
            outcome=status,
            subject_ref=company_id,
            list_versions=self.context.versions_ref,
            details={
                "company_verdict": str(verification.verdict),
                "mandate_verdicts": {m.person_subject_id: str(m.result.verdict) for m in mandates},
                "open_hits": open_hits,
            },
        )
        return OnboardingResult(
            company_id,
            verification.verdict,
            tuple(verification.to_dict()["findings"]),
            tuple(open_hits),
            status,
            tuple(m.to_dict() for m in mandates),
        )

    def rescreen_all(self) -> RescreenReport:
        """Re-verify every company against the register and every representative's
        mandate (a function ended, a proxy expired), then screen everybody."""
        company_ids = all_company_ids(self.session)
        verdicts: dict[str, int] = {}
        mandates: dict[str, int] = {}
        for company_id in company_ids:
            verdict = self._verify(company_id).verdict
            verdicts[verdict] = verdicts.get(verdict, 0) + 1
            for checked in self._check_mandates(company_id, trigger="rescreen"):
                key = str(checked.result.verdict)
                mandates[key] = mandates.get(key, 0) + 1
        return RescreenReport(verdicts, mandates, self._screen(company_ids, kind="rescreen"))

    def _check_mandates(self, company_id: str, *, trigger: str) -> list[CheckedMandate]:
        company = self.session.get_one(Company, company_id)
        return check_representatives(
            self.session,
            self.mandates,
            company,
            auditor=self.auditor,
            now=self.now,
            as_of=self.today,
            trigger=trigger,
        )

    def _verify(self, company_id: str) -> CompanyVerification:
        company = self.session.get_one(Company, company_id)
        verification = verify_company(self.verifier, company)
        record_company_check(
            self.session, company, verification, auditor=self.auditor, now=self.now
        )
        return verification

    def _screen(self, company_ids: Sequence[str], *, kind: str) -> ScreeningOutcome:
        subjects = customer_subjects(self.session, company_ids)
        screener = Screener(self.session, self.context, self.auditor, self.threshold, self.now)
        return screener.run(subjects, kind=kind)

    def _open_hits(self, hits_by_subject: dict[str, list[int]]) -> list[int]:
        ids = [hit_id for ids in hits_by_subject.values() for hit_id in ids]
        if not ids:
            return []
        return list(
            self.session.scalars(
                select(Hit.id).where(Hit.id.in_(ids), Hit.state == "open").order_by(Hit.id)
            )
        )
