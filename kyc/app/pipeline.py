"""The screening use cases over one session with the lists fixed for the whole job:
onboard a customer, rescreen a partition of customers, screen a subject again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.app.contexts import shared_context
from kyc.app.mandates import mandate_checker
from kyc.app.register import company_verifier
from kyc.app.runtime import Runtime, today
from kyc.audit import Auditor
from kyc.customers import RawRecord, Rejection, validate_customers
from kyc.customers.intake import import_customers
from kyc.mandates.batch import MandateRows, read_mandate_rows
from kyc.mandates.check import MandateChecker
from kyc.mandates.records import CheckedMandate, check_representatives
from kyc.model import ScreeningSubject
from kyc.progress import Stages
from kyc.purposes import Purpose, PurposeTable
from kyc.registry.checks import record_company_check, verify_company
from kyc.registry.prefetch import read_register_rows
from kyc.registry.verify import CompanyVerification, CompanyVerifier, Verdict
from kyc.review.cases import refresh_statuses
from kyc.review.decisions import subject_name
from kyc.rights.restriction import held_back_for, record_held_back, screenable
from kyc.screening import Screener, ScreeningOutcome
from kyc.screening_context import ScreeningContext
from kyc.store.customers import customer_subjects, preload_partition
from kyc.store.models import Company, Hit, ScreeningRun


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
    # For the operator's terminal only (to_dict, which flows may log, leaves them out):
    # the names behind the subject ids, and each hit to review as a line.
    names: dict[str, str] = field(default_factory=dict)
    hit_lines: tuple[str, ...] = ()

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
    purposes: PurposeTable
    stages: Stages = field(default_factory=lambda: Stages("screening"))

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
            today=self.today,
            purposes=self.purposes,
            source="onboarding",
        )
        if report.rejected:
            raise OnboardingRejected(report.rejected[0])
        company_id = report.stored[0].company_subject_id
        if self._held_back([company_id]):
            raise OnboardingRejected(
                Rejection(
                    "onboarding payload",
                    (
                        f"{company_id}: processing is restricted (GDPR Art. 18); the Peppol KYC "
                        "check resumes when the restriction is lifted",
                    ),
                )
            )
        verification = self._verify(company_id)
        mandates = self._check_mandates(company_id, trigger="onboarding")
        screening = self.screen_companies([company_id], kind="onboarding")
        open_hits = self._open_hits(screening.hits_by_subject)
        # The stored status, as every later decision and check moves it.
        statuses = refresh_statuses(self.session, [company_id], auditor=self.auditor, now=self.now)
        status = statuses[company_id]
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
            str(status),
            tuple(m.to_dict() for m in mandates),
            {m.person_subject_id: subject_name(self.session, m.person_subject_id)[1]
             for m in mandates},
            tuple(self._hit_line(hit_id) for hit_id in open_hits),
        )  # fmt: skip

    def _hit_line(self, hit_id: int) -> str:
        hit = self.session.get_one(Hit, hit_id)
        name = subject_name(self.session, hit.subject_id)[1]
        return (
            f"hit {hit.id}: {name} ~ {hit.matched_name} ({hit.source} {hit.entry_id}, "
            f"score {hit.score:.3f})"
        )

    def rescreen_companies(self, company_ids: Sequence[str], run: ScreeningRun) -> RescreenReport:
        """Re-verify these companies against the register and their representatives'
        mandates (a function ended, a proxy expired), then screen them all in ``run``."""
        held_back = self._held_back(company_ids)
        preloaded = preload_partition(self.session, company_ids)
        register = read_register_rows(
            self.session, [c.enterprise_number for c in preloaded.companies]
        )
        self.verifier.register.rows = self.mandates.register.rows = register
        # Each check and hit is flushed when its id is needed; flushing before every
        # query besides (a partition runs thousands) would cost more than the checks.
        with self.session.no_autoflush:
            rows = read_mandate_rows(self.session, company_ids)
            verdicts, mandates = self._recheck(company_ids, held_back, rows)
            self.stages.begin("loading the subjects")
            subjects = screenable(
                self.session, customer_subjects(self.session, company_ids), self.purposes,
                self.auditor,
            )  # fmt: skip
            screening = self._screener().screen(run, subjects)
        self.session.flush()  # the statuses read what the partition wrote
        self.stages.begin("customer statuses")
        refresh_statuses(self.session, company_ids, auditor=self.auditor, now=self.now)
        self.verifier.register.rows = self.mandates.register.rows = None
        del preloaded
        return RescreenReport(verdicts, mandates, screening)

    def _recheck(
        self, company_ids: Sequence[str], held_back: set[str], rows: MandateRows
    ) -> tuple[dict[str, int], dict[str, int]]:
        verdicts: dict[str, int] = {}
        mandates: dict[str, int] = {}
        self.stages.begin("register and mandate checks", len(company_ids), "companies")
        for company_id in company_ids:
            if company_id in held_back:
                record_held_back(self.session, company_id, "register check", self.auditor)
                verdict = "held back (restricted)"
            else:
                verdict = self._verify(company_id).verdict
            verdicts[verdict] = verdicts.get(verdict, 0) + 1
            for checked in self._check_mandates(company_id, trigger="rescreen", rows=rows):
                key = str(checked.result.verdict)
                mandates[key] = mandates.get(key, 0) + 1
            self.stages.advance()
        return verdicts, mandates

    def start_screening(self, kind: str) -> ScreeningRun:
        return self._screener().start(kind)

    def finish_screening(self, run: ScreeningRun, outcome: ScreeningOutcome) -> None:
        self._screener().finish(run, outcome)

    def _screener(self) -> Screener:
        return Screener(
            self.session, self.context, self.auditor, self.threshold, self.now, self.stages
        )

    def screen_again(
        self, subject: ScreeningSubject, company_ids: list[str], person_id: str | None
    ) -> tuple[ScreeningOutcome, list[CheckedMandate]]:
        """After a rectification, at once: the subject screened, and what its data may
        move checked again — a person's mandates, or a company's register check and its
        representatives' mandates."""
        screener = Screener(self.session, self.context, self.auditor, self.threshold, self.now)
        subjects = screenable(self.session, [subject], self.purposes, self.auditor)
        outcome = screener.run(subjects, kind="rectification")
        held_back = self._held_back(company_ids)
        mandates: list[CheckedMandate] = []
        for company_id in company_ids:
            if person_id is None and company_id in held_back:
                record_held_back(self.session, company_id, "register check", self.auditor)
            elif person_id is None:
                self._verify(company_id)
            mandates += check_representatives(
                self.session,
                self.mandates,
                self.session.get_one(Company, company_id),
                auditor=self.auditor,
                now=self.now,
                as_of=self.today,
                trigger="rectification",
                persons={person_id} if person_id else None,
            )
        refresh_statuses(self.session, company_ids, auditor=self.auditor, now=self.now)
        return outcome, mandates

    def _held_back(self, company_ids: Sequence[str]) -> set[str]:
        """The companies the Peppol KYC check must leave alone (restricted, Art. 18)."""
        return held_back_for(self.session, company_ids, Purpose.PEPPOL_KYC, self.purposes)

    def _check_mandates(
        self, company_id: str, *, trigger: str, rows: MandateRows | None = None
    ) -> list[CheckedMandate]:
        company = self.session.get_one(Company, company_id)
        return check_representatives(
            self.session,
            self.mandates,
            company,
            auditor=self.auditor,
            now=self.now,
            as_of=self.today,
            trigger=trigger,
            rows=rows,
        )

    def _verify(self, company_id: str) -> CompanyVerification:
        company = self.session.get_one(Company, company_id)
        verification = verify_company(self.verifier, company)
        record_company_check(
            self.session, company, verification, auditor=self.auditor, now=self.now
        )
        return verification

    def screen_companies(self, company_ids: Sequence[str], *, kind: str) -> ScreeningOutcome:
        subjects = screenable(
            self.session, customer_subjects(self.session, company_ids), self.purposes,
            self.auditor,
        )  # fmt: skip
        return self._screener().run(subjects, kind=kind)

    def _open_hits(self, hits_by_subject: dict[str, list[int]]) -> list[int]:
        ids = [hit_id for ids in hits_by_subject.values() for hit_id in ids]
        if not ids:
            return []
        return list(
            self.session.scalars(
                select(Hit.id).where(Hit.id.in_(ids), Hit.state == "open").order_by(Hit.id)
            )
        )


def pipeline(
    runtime: Runtime,
    session: Session,
    stages: Stages | None = None,
    *,
    context: ScreeningContext | None = None,
    auditor: Auditor | None = None,
) -> Pipeline:
    """The use cases over ``session``; ``context`` when the lists and matcher are
    already open (the partitions of a rescreen share them)."""
    settings = runtime.settings
    if context is None:
        context = shared_context(runtime)
    compare = context.matcher.compare_names
    return Pipeline(
        session,
        context,
        company_verifier(runtime, session, compare),
        mandate_checker(runtime, session, compare),
        auditor or runtime.auditor(),
        settings.review_threshold,
        runtime.clock(),
        today(runtime),
        settings.purposes,
        stages or runtime.stages("screening"),
    )
