"""Use cases of mandates: may a representative bind the company, checked on request,
after a register change and when a date passes."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from kyc.app.runtime import Runtime, name_comparer, today
from kyc.mandates.check import MandateChecker
from kyc.mandates.model import Declared, MandatePolicy, MandateResult, Proxy
from kyc.mandates.records import (
    CheckedMandate,
    MandateView,
    check_representatives,
    due_by_date,
    mandate_views,
)
from kyc.mandates.rules import rule_table
from kyc.purposes import Purpose
from kyc.registry.verify import NameComparer
from kyc.review.cases import refresh_statuses
from kyc.store.db import transaction
from kyc.store.models import Company


def mandate_checker(runtime: Runtime, session: Session, compare: NameComparer) -> MandateChecker:
    """The mandate check with the settings' policy and the packaged rule table."""
    settings = runtime.settings
    policy = MandatePolicy(
        name_threshold=settings.mandate_name_threshold,
        name_review_threshold=settings.mandate_name_review_threshold,
        daily_management_suffices=settings.mandate_daily_management_suffices,
        proxy_acts=tuple(settings.mandate_proxy_acts),
        check_restricted=settings.purposes.allowed_under_restriction(Purpose.PEPPOL_KYC),
    )
    return MandateChecker(session, compare, rule_table(), policy)


def check_mandates_today(
    runtime: Runtime,
    session: Session,
    checker: MandateChecker,
    company: Company,
    trigger: str,
    persons: set[str] | None = None,
) -> list[CheckedMandate]:
    return check_representatives(
        session,
        checker,
        company,
        auditor=runtime.auditor(),
        now=runtime.clock(),
        as_of=today(runtime),
        trigger=trigger,
        persons=persons,
    )


def recheck_mandates(
    runtime: Runtime, session: Session, checker: MandateChecker, company: Company
) -> list[CheckedMandate]:
    checked = check_mandates_today(runtime, session, checker, company, "register_change")
    return [m for m in checked if m.changed]


def revalidate_mandates(runtime: Runtime) -> list[str]:
    """Check again today the mandates a date may have changed since their last check (a
    function began or ended, a proxy started or expired): the daily complement of the
    re-checks a register change or a rescreen makes. One line per mandate checked."""
    lines: list[str] = []
    companies: list[str] = []
    with transaction(runtime.sessions) as session:
        checker = mandate_checker(runtime, session, name_comparer(runtime.settings))
        for company_id, persons in sorted(due_by_date(session, today(runtime)).items()):
            company = session.get_one(Company, company_id)
            checked = check_mandates_today(
                runtime, session, checker, company, "date_passed", persons
            )
            lines.extend(f"{m.line()} (representative of {company_id})" for m in checked)
            companies.append(company_id)
        refresh_statuses(session, companies, auditor=runtime.auditor(), now=runtime.clock())
    return lines


def check_mandate(
    runtime: Runtime,
    enterprise_number: str,
    person: Declared,
    as_of: date | None = None,
    proxy: Proxy | None = None,
) -> MandateResult:
    """Whether ``person`` may bind the enterprise on ``as_of`` (today); the outcome and its
    reasons go into the audit trail (the person's name does not)."""
    with transaction(runtime.sessions) as session:
        checker = mandate_checker(runtime, session, name_comparer(runtime.settings))
        result = checker.check(enterprise_number, person, as_of or today(runtime), proxy)
        runtime.auditor().record(
            session,
            action="mandate.checked",
            purpose=Purpose.PEPPOL_KYC,
            outcome=str(result.verdict),
            details={
                "enterprise_number": result.enterprise_number,
                "trigger": "command line",
                "as_of": result.as_of.isoformat(),
                "register_extract_id": result.register_extract_id,
                "rules_version": result.rules_version,
                "findings": [finding.code for finding in result.findings],
            },
        )
        return result


def mandate_checks(runtime: Runtime, verdicts: set[str] | None) -> list[MandateView]:
    """The newest check of each representative with one of these verdicts (None: all)."""
    with runtime.readers() as session:
        return mandate_views(session, verdicts)
