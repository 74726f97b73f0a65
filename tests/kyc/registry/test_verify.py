from __future__ import annotations

import pytest

from kyc.jobs import Runtime
from kyc.matching.engine import compare_names
from kyc.registry.verify import CompanyVerifier, Verdict
from tests.conftest import SAMPLES


def _verify(runtime: Runtime, number: str, name: str | None = None):
    with runtime.sessions() as session:
        verifier = CompanyVerifier(session, compare_names, 0.85)
        return verifier.verify(number, name)


@pytest.fixture
def register(runtime: Runtime) -> Runtime:
    from kyc import jobs

    jobs.import_register(runtime, SAMPLES / "kbo")
    return runtime


def _codes(result) -> list[str]:
    return [f.code for f in result.findings]


def test_active_normal_company_with_matching_name_is_verified(register: Runtime) -> None:
    result = _verify(register, "0712.345.630", "ACME Logistics BV")
    assert result.verdict is Verdict.VERIFIED
    assert _codes(result) == [
        "identifier.valid",
        "register.active",
        "register.situation_normal",
        "register.legal_person",
        "name.matches",
    ]
    assert "Besloten Vennootschap" in result.findings[3].message


def test_commercial_name_of_a_sole_trader_matches(register: Runtime) -> None:
    result = _verify(register, "0745678986", "Bakkerij Janssens")
    assert result.verdict is Verdict.VERIFIED
    name = result.findings[-1]
    assert name.evidence["type"] == "commercial name"
    assert "register.natural_person" in _codes(result)


def test_bankruptcy_needs_review_with_its_label(register: Runtime) -> None:
    result = _verify(register, "0756.789.050")
    assert result.verdict is Verdict.NEEDS_REVIEW
    finding = next(f for f in result.findings if f.code == "register.situation_not_normal")
    assert "050 (Opening faillissement / Ouverture de faillite)" in finding.message


def test_other_name_needs_review(register: Runtime) -> None:
    result = _verify(register, "0767.890.107", "Omega Consulting BV")
    assert result.verdict is Verdict.NEEDS_REVIEW
    assert result.findings[-1].evidence["denomination"] == "Delta Consult"


def test_unknown_and_invalid_numbers_fail(register: Runtime) -> None:
    assert _verify(register, "0778.901.288").verdict is Verdict.FAILED
    invalid = _verify(register, "0778.901.289")
    assert invalid.verdict is Verdict.FAILED
    assert _codes(invalid) == ["identifier.invalid"]


def test_without_a_register_the_check_needs_review(runtime: Runtime) -> None:
    result = _verify(runtime, "0712.345.630")
    assert result.verdict is Verdict.NEEDS_REVIEW
    assert "register.unavailable" in _codes(result)
