"""Use cases of customers: a customer file imported, a customer onboarded, everybody
rescreened."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kyc.app.mandates import mandate_checker
from kyc.app.pipeline import OnboardingRejected, OnboardingResult, Pipeline, pipeline
from kyc.app.runtime import Runtime, UsageError, name_comparer, today
from kyc.customers import load_customer_records
from kyc.customers.intake import CustomerImportReport, check_new_mandates, import_customers
from kyc.customers.relationship import Offboarded, OffboardingRefused, end_relationship
from kyc.identifiers import (
    InvalidIdentifier,
    format_enterprise_number,
    holds_national_number,
    normalize_enterprise_number,
)
from kyc.review.cases import refresh_statuses
from kyc.screening import ScreeningOutcome
from kyc.store.db import transaction
from kyc.store.models import Company

__all__ = [
    "OnboardingRejected",
    "OnboardingResult",
    "Pipeline",
    "customer_status",
    "import_customer_file",
    "offboard",
    "onboard_payload",
    "pipeline",
    "read_payload",
    "screen_customer",
]


def import_customer_file(runtime: Runtime, path: Path) -> CustomerImportReport:
    outcome = load_customer_records(path)
    with transaction(runtime.sessions) as session:
        report = import_customers(
            session,
            outcome,
            nn_key=runtime.settings.nn_key,
            auditor=runtime.auditor(),
            now=runtime.clock(),
            today=today(runtime),
            purposes=runtime.settings.purposes,
            source=path.name,
        )
        checker = mandate_checker(runtime, session, name_comparer(runtime.settings))
        check_new_mandates(
            session,
            report,
            checker,
            auditor=runtime.auditor(),
            now=runtime.clock(),
            today=today(runtime),
        )
        return report


def onboard_payload(runtime: Runtime, payload: Any) -> OnboardingResult:
    with transaction(runtime.sessions) as session:
        return pipeline(runtime, session).onboard(payload, nn_key=runtime.settings.nn_key)


def screen_customer(runtime: Runtime, company_subject_id: str) -> ScreeningOutcome:
    """Screen one customer and its representatives now (its names or birth data changed)."""
    with transaction(runtime.sessions) as session:
        if session.get(Company, company_subject_id) is None:
            raise UsageError(f"there is no customer company {company_subject_id}")
        work = pipeline(runtime, session)
        outcome = work.screen_companies([company_subject_id], kind="customer-change")
        refresh_statuses(session, [company_subject_id], auditor=work.auditor, now=work.now)
        return outcome


def read_payload(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(f"{path}: not a readable JSON payload ({error})") from error


def offboard(
    runtime: Runtime, enterprise_number: str, *, ended_on: date, reason: str, refused: bool
) -> Offboarded:
    """End a customer relationship; its data is then kept as the purpose table says."""
    try:
        number = normalize_enterprise_number(enterprise_number)
    except InvalidIdentifier as error:
        # Named as typed, unless what was typed is a national number (never echoed).
        typed = "that number" if holds_national_number(enterprise_number) else enterprise_number
        raise OffboardingRefused(f"{typed}: {error}") from error
    with transaction(runtime.sessions) as session:
        return end_relationship(
            session,
            number,
            ended_on=ended_on,
            reason=reason,
            onboarding_refused=refused,
            purposes=runtime.settings.purposes,
            today=today(runtime),
            auditor=runtime.auditor(),
            now=runtime.clock(),
        )


def customer_status(runtime: Runtime, enterprise_number: str) -> dict[str, Any] | None:
    """A customer's status now and why, by enterprise number (None: no such customer)."""
    number = normalize_enterprise_number(enterprise_number)
    with runtime.readers() as session:
        company = session.scalar(select(Company).where(Company.enterprise_number == number))
        if company is None:
            return None
        return {
            "enterprise_number": format_enterprise_number(number),
            "company_subject_id": company.subject_id,
            "status": company.status,
            "reasons": list(company.status_reasons or []),
            "status_since": company.status_since.isoformat() if company.status_since else None,
            "relationship_ended_on": (
                company.relationship_ended_on.isoformat() if company.relationship_ended_on else None
            ),
        }
