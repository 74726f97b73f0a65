from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from kyc import jobs
from kyc.jobs import Runtime
from kyc.pipeline import OnboardingRejected
from kyc.screening import NoActiveLists
from kyc.store.models import AuditEvent, Company, CompanyCheck
from tests.conftest import SAMPLES


def _payload() -> dict[str, Any]:
    return json.loads((SAMPLES / "onboarding.json").read_text())


def test_onboarding_verifies_screens_and_records(loaded: Runtime) -> None:
    result = jobs.onboard_payload(loaded, _payload())
    assert result.company_verdict == "verified"
    assert len(result.hits_to_review) == 1  # Amira Al Farsi ~ Amira Hassan AL-FARSI
    assert result.status == "pending_review"
    with loaded.sessions() as session:
        actions = list(
            session.scalars(
                select(AuditEvent.action).where(AuditEvent.subject_ref == result.company_subject_id)
            )
        )
        assert actions[0] == "customer.imported"
        assert {"company.verified", "screening.subject", "onboarding.completed"} <= set(actions)
        check = session.scalar(
            select(CompanyCheck).where(CompanyCheck.subject_id == result.company_subject_id)
        )
        assert check is not None and check.register_extract_id is not None


def test_clean_onboarding_is_cleared(loaded: Runtime) -> None:
    payload = _payload()
    payload["representatives"] = payload["representatives"][1:]  # only Pieter Claes
    result = jobs.onboard_payload(loaded, payload)
    assert (result.status, result.hits_to_review) == ("cleared", ())


def test_invalid_payload_is_refused_and_nothing_stored(loaded: Runtime) -> None:
    payload = _payload()
    payload["company"]["enterprise_number"] = "0789.012.352"
    with loaded.sessions() as session:
        before = session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(OnboardingRejected, match="onboarding payload: the enterprise number fails"):
        jobs.onboard_payload(loaded, payload)
    with loaded.sessions() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == before
        assert (
            session.scalar(select(Company).where(Company.enterprise_number == "0789012352")) is None
        )


def test_screening_needs_an_active_list(runtime: Runtime) -> None:
    jobs.import_register(runtime, SAMPLES / "kbo")
    with pytest.raises(NoActiveLists, match="kyc lists import"):
        jobs.onboard_payload(runtime, _payload())


def test_rescreen_reverifies_every_company(loaded: Runtime) -> None:
    result = jobs.rescreen_all(loaded)
    assert result.companies == 7
    assert result.verdicts == {"verified": 4, "needs_review": 2, "failed": 1}
