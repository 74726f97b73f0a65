from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from kyc.app import customers as customer_jobs
from kyc.app import register as register_jobs
from kyc.app import rescreen as rescreen_jobs
from kyc.app.customers import OnboardingRejected
from kyc.app.runtime import Runtime
from kyc.mandates.records import mandate_views
from kyc.screening_context import NoActiveLists
from kyc.store.models import AuditEvent, Company, CompanyCheck, MandateCheck
from tests.conftest import SAMPLES

FUNCTIONS = SAMPLES / "kbo_functions" / "functions.csv"


def _payload() -> dict[str, Any]:
    return json.loads((SAMPLES / "onboarding.json").read_text())


def test_onboarding_verifies_screens_and_records(loaded: Runtime) -> None:
    result = customer_jobs.onboard_payload(loaded, _payload())
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
    register_jobs.import_functions(loaded, FUNCTIONS)
    payload = _payload()
    payload["representatives"] = payload["representatives"][1:]  # only Pieter Claes
    result = customer_jobs.onboard_payload(loaded, payload)
    assert (result.status, result.hits_to_review) == ("cleared", ())
    # His own function ended in 2025; the proxy Amira Al Farsi gave him carries it.
    [mandate] = result.mandates
    assert mandate["verdict"] == "valid"
    codes = [f["code"] for f in mandate["findings"]]
    assert {"proxy.grantor_valid", "proxy.scope", "proxy.current"} <= set(codes)
    own = next(f for f in mandate["findings"] if f["code"] == "mandate.own_function")
    assert "function.ended" in str(own["evidence"])


def test_onboarding_checks_every_representative_s_mandate(loaded: Runtime) -> None:
    payload = _payload()
    result = customer_jobs.onboard_payload(loaded, payload)
    # No functions imported yet: the register cannot tell, a reviewer must.
    assert [m["verdict"] for m in result.mandates] == ["needs_review", "needs_review"]
    register_jobs.import_functions(loaded, FUNCTIONS)
    del payload["representatives"][1]["proxy"]
    again = customer_jobs.onboard_payload(loaded, payload)
    assert [m["verdict"] for m in again.mandates] == ["valid", "invalid"]
    with loaded.sessions() as session:
        checks = session.scalars(select(MandateCheck).order_by(MandateCheck.id)).all()
        last = checks[-1]
        assert (last.trigger, last.verdict, last.rules_version) == (
            "onboarding",
            "invalid",
            "2026-11-25",
        )
        assert last.register_extract_id is not None
        event = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action.in_(["mandate.checked", "mandate.changed"]))
            .order_by(AuditEvent.seq.desc())
        ).first()
        assert event is not None and event.subject_ref == last.person_subject_id
        assert event.details["register_extract_id"] == last.register_extract_id
        assert "function.ended" in event.details["findings"]
        assert "Claes" not in json.dumps(event.details)  # reasons, not names


def test_a_register_change_that_ends_a_function_is_seen(loaded: Runtime, tmp_path: Path) -> None:
    register_jobs.import_functions(loaded, FUNCTIONS)
    rescreen_jobs.rescreen_all(loaded)
    ended = tmp_path / "functions.csv"
    text = FUNCTIONS.read_text().replace(
        "0712.345.630,13,Jan,Peeters,,2011-05-03,,",
        "0712.345.630,13,Jan,Peeters,,2011-05-03,2026-10-31,",
    )
    ended.write_text(text)
    with loaded.sessions() as session:
        before = session.scalar(select(func.max(AuditEvent.seq)))
    report = register_jobs.import_functions(loaded, ended)
    [moved] = report.mandates_moved
    assert "valid → invalid" in moved and "mandates whose verdict moved: 1" in report.lines()[0]
    with loaded.sessions() as session:
        [view] = [
            v for v in mandate_views(session, {"invalid"}) if v.representative == "Jan Peeters"
        ]
        assert view.trigger == "register_change"
        assert any("ended on 2026-10-31" in reason for reason in view.reasons)
        changed = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "mandate.changed", AuditEvent.seq > before
            )
        ).all()
        assert [e.outcome for e in changed] == ["valid → invalid"]
        assert "function.ended" in changed[0].details["findings_added"]


def test_the_rescreen_sees_a_proxy_expire(loaded: Runtime) -> None:
    register_jobs.import_functions(loaded, FUNCTIONS)
    payload = _payload()
    payload["representatives"] = payload["representatives"][1:]
    payload["representatives"][0]["proxy"]["valid_until"] = "2026-11-25"
    assert customer_jobs.onboard_payload(loaded, payload).mandates[0]["verdict"] == "valid"
    loaded.clock.now += timedelta(days=1)  # type: ignore[attr-defined]
    result = rescreen_jobs.rescreen_all(loaded)
    assert result.mandates["invalid"] >= 1
    with loaded.sessions() as session:
        [view] = [v for v in mandate_views(session) if v.representative == "Pieter Claes"]
        assert (view.verdict, view.trigger, str(view.as_of)) == (
            "invalid",
            "rescreen",
            "2026-11-26",
        )
        assert any("the proxy expired on 2026-11-25" in reason for reason in view.reasons)


def test_invalid_payload_is_refused_and_nothing_stored(loaded: Runtime) -> None:
    payload = _payload()
    payload["company"]["enterprise_number"] = "0789.012.352"
    with loaded.sessions() as session:
        before = session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(OnboardingRejected, match="onboarding payload: the enterprise number fails"):
        customer_jobs.onboard_payload(loaded, payload)
    with loaded.sessions() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == before
        assert (
            session.scalar(select(Company).where(Company.enterprise_number == "0789012352")) is None
        )


def test_screening_needs_an_active_list(runtime: Runtime) -> None:
    register_jobs.import_register(runtime, SAMPLES / "kbo")
    with pytest.raises(NoActiveLists, match="kyc lists import"):
        customer_jobs.onboard_payload(runtime, _payload())


def test_rescreen_reverifies_every_company(loaded: Runtime) -> None:
    result = rescreen_jobs.rescreen_all(loaded)
    assert result.companies == 7
    assert result.verdicts == {"verified": 4, "needs_review": 2, "failed": 1}
    # Every representative's mandate too (no functions imported: the register cannot tell).
    assert sum(result.mandates.values()) == 9
