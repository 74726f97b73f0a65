from __future__ import annotations

from datetime import date

import pytest

from kyc.mandates.model import Declared, MandatePolicy, Proxy
from kyc.mandates.proxy import grantee_finding, scope_finding, validity_finding
from kyc.registry.verify import Severity


@pytest.mark.parametrize(
    ("scope", "acts", "code"),
    [
        (("Registratie op het PEPPOL-netwerk",), ("peppol",), "proxy.scope"),
        (("all acts of daily management",), ("peppol",), "proxy.scope_missing"),
        (("e-invoicing",), ("peppol", "e-invoicing"), "proxy.scope"),
    ],
)
def test_the_scope_must_name_the_act(
    scope: tuple[str, ...], acts: tuple[str, ...], code: str
) -> None:
    assert scope_finding(scope, acts).code == code


@pytest.mark.parametrize(
    ("score", "severity"), [(1.0, Severity.INFO), (0.9, Severity.REVIEW), (0.5, Severity.FAIL)]
)
def test_the_grantee_must_be_the_person(score: float, severity: Severity) -> None:
    finding = grantee_finding("Sofie Claes", "Sofie Claes", score, "", MandatePolicy())
    assert finding.severity is severity


def test_an_open_ended_proxy_runs_from_its_first_day() -> None:
    proxy = Proxy(Declared("Jan", "Peeters"), "Sofie", "Claes", ("peppol",), date(2026, 3, 1))
    assert validity_finding(proxy, date(2026, 2, 28)).code == "proxy.not_yet_valid"
    assert validity_finding(proxy, date(2026, 3, 1)).code == "proxy.current"
    assert validity_finding(proxy, date(2040, 1, 1)).code == "proxy.current"
