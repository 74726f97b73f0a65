"""Use cases of customers: a customer file imported, a customer onboarded, everybody
rescreened."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from kyc.app.mandates import mandate_checker
from kyc.app.register import company_verifier
from kyc.app.runtime import Runtime, UsageError, matcher_builder, name_comparer, today
from kyc.customers import load_customer_records
from kyc.pipeline import (
    CustomerImportReport,
    OnboardingResult,
    Pipeline,
    check_new_mandates,
    import_customers,
)
from kyc.screening import ScreeningOutcome, open_context
from kyc.store.db import transaction


def import_customer_file(runtime: Runtime, path: Path) -> CustomerImportReport:
    outcome = load_customer_records(path)
    with transaction(runtime.sessions) as session:
        report = import_customers(
            session,
            outcome,
            nn_key=runtime.settings.nn_key,
            auditor=runtime.auditor(),
            now=runtime.clock(),
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


def _pipeline(runtime: Runtime, session: Session) -> Pipeline:
    settings = runtime.settings
    context = open_context(
        session, settings.list_sources, matcher_builder(settings), runtime.stored_matchers()
    )
    compare = context.matcher.compare_names
    return Pipeline(
        session,
        context,
        company_verifier(runtime, session, compare),
        mandate_checker(runtime, session, compare),
        runtime.auditor(),
        settings.review_threshold,
        runtime.clock(),
        today(runtime),
    )


def onboard_payload(runtime: Runtime, payload: Any) -> OnboardingResult:
    with transaction(runtime.sessions) as session:
        return _pipeline(runtime, session).onboard(payload, nn_key=runtime.settings.nn_key)


def read_payload(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(f"{path}: not a readable JSON payload ({error})") from error


@dataclass(frozen=True)
class RescreenResult:
    companies: int
    verdicts: dict[str, int]
    mandates: dict[str, int]
    screening: ScreeningOutcome


def rescreen_all(runtime: Runtime) -> RescreenResult:
    with transaction(runtime.sessions) as session:
        report = _pipeline(runtime, session).rescreen_all()
        return RescreenResult(
            sum(report.verdicts.values()), report.verdicts, report.mandates, report.screening
        )
