from __future__ import annotations

import json

import pytest
from pytest_httpserver import HTTPServer

from kyc.app.runtime import Runtime
from kyc.identifiers import sml_lookup_name
from kyc.matching.engine import compare_names
from kyc.registry.address import GivenAddress
from kyc.registry.peppol import SmlDns, SmpClient
from kyc.registry.verify import CompanyVerifier, Verdict
from tests.conftest import SAMPLES
from tests.kyc.registry.dns_server import local_dns, smp_record


def _verify(runtime: Runtime, number: str, name: str | None = None):
    with runtime.sessions() as session:
        verifier = CompanyVerifier(session, compare_names, 0.85)
        return verifier.verify(number, name)


@pytest.fixture
def register(runtime: Runtime) -> Runtime:
    from kyc.app import register as register_jobs

    register_jobs.import_register(runtime, SAMPLES / "kbo")
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
    assert _finding(result, "name.mismatch").evidence["denomination"] == "Delta Consult"
    # and the register has it as a limited partnership (612), not a BV
    assert _finding(result, "name.legal_form_mismatch").evidence["juridical_form"] == "612"


def test_unknown_and_invalid_numbers_fail(register: Runtime) -> None:
    assert _verify(register, "0778.901.288").verdict is Verdict.FAILED
    invalid = _verify(register, "0778.901.289")
    assert invalid.verdict is Verdict.FAILED
    assert _codes(invalid) == ["identifier.invalid"]


def test_without_a_register_the_check_needs_review(runtime: Runtime) -> None:
    result = _verify(runtime, "0712.345.630")
    assert result.verdict is Verdict.NEEDS_REVIEW
    assert "register.unavailable" in _codes(result)


def _check(runtime: Runtime, number: str, **given: object):
    with runtime.sessions() as session:
        verifier = CompanyVerifier(session, compare_names, 0.85, given.pop("smp", None))  # type: ignore[arg-type]
        return verifier.verify(number, **given)  # type: ignore[arg-type]


def _finding(result, code: str):
    return next(f for f in result.findings if f.code == code)


def test_identifiers_carry_the_vat_number_and_peppol_ids(register: Runtime) -> None:
    evidence = _finding(_check(register, "0712345630"), "identifier.valid").evidence
    assert evidence["vat_number"] == "BE0712345630" and evidence["vat_number_valid"]
    assert evidence["peppol_ids"] == ["0208:0712345630", "9925:BE0712345630"]


@pytest.mark.parametrize(
    ("name", "verdict"),
    [
        ("ACME Logistics BVBA", Verdict.VERIFIED),  # the old name of the BV
        ("ACME Logistics SRL", Verdict.VERIFIED),
        ("ACME Logistics Ltd", Verdict.VERIFIED),  # a foreign form is not compared
        ("ACME Logistics NV", Verdict.NEEDS_REVIEW),
    ],
)
def test_a_legal_form_in_the_name_is_the_registered_one(
    register: Runtime, name: str, verdict: Verdict
) -> None:
    result = _verify(register, "0712.345.630", name)
    assert result.verdict is verdict
    if verdict is Verdict.NEEDS_REVIEW:
        finding = _finding(result, "name.legal_form_mismatch")
        assert finding.evidence["written"] == {"nv": "nv"}
        assert finding.evidence["juridical_form"] == "610"
        assert "the register 610 (Besloten Vennootschap" in finding.message


@pytest.mark.parametrize(
    "given",
    [
        {"street": "Kortrijksesteenweg", "number": "100", "postcode": "9000"},
        {"street": "kortrijkse stwg", "number": "100", "municipality": "Gand"},
        {"street": "Kortrijksesteenweg", "number": "100", "municipality": "Gent"},
    ],
)
def test_the_seat_address_matches_in_either_language_and_spelling(
    register: Runtime, given: dict[str, str]
) -> None:
    result = _check(register, "0712.345.630", address=GivenAddress(**given))
    assert _finding(result, "address.matches").severity == "info"
    assert result.verdict == Verdict.VERIFIED


def test_another_address_needs_review_with_each_field_compared(register: Runtime) -> None:
    given = GivenAddress("Kortrijksesteenweg", "102", None, "9000", "Gent")
    result = _check(register, "0712.345.630", address=given)
    finding = _finding(result, "address.mismatch")
    assert finding.message.endswith("differs from the registered seat in: number")
    fields = {f["field"]: f for f in finding.evidence["fields"]}
    assert fields["number"]["registered"] == "100" and not fields["number"]["matches"]
    assert result.verdict == Verdict.NEEDS_REVIEW


@pytest.mark.parametrize(
    ("peppol_id", "code", "verdict"),
    [
        ("0208:0712345630", "peppol.consistent", Verdict.VERIFIED),
        ("iso6523-actorid-upis::9925:be0712345630", "peppol.consistent", Verdict.VERIFIED),
        ("0208:0723456781", "peppol.mismatch", Verdict.FAILED),
        ("0208:0712345631", "peppol.invalid", Verdict.FAILED),
        ("0088:5412345000013", "peppol.other_scheme", Verdict.NEEDS_REVIEW),
    ],
)
def test_the_peppol_id_must_be_the_enterprise_s_own(
    register: Runtime, peppol_id: str, code: str, verdict: Verdict
) -> None:
    result = _check(register, "0712.345.630", peppol_id=peppol_id)
    assert code in _codes(result) and result.verdict == verdict


def test_the_sml_name_follows_the_domain_test_vector(register: Runtime) -> None:
    evidence = _finding(
        _check(register, "0712345630", peppol_id="0208:0712345630"), "peppol.consistent"
    ).evidence
    assert evidence["participant"] == "iso6523-actorid-upis::0208:0712345630"
    assert evidence["sml_name"].endswith(
        ".iso6523-actorid-upis.participant.sml.prod.tech.peppol.org"
    )
    assert sml_lookup_name("9915:test").startswith(
        "EH5BOAVAKTMBGZYH2A63DZ4QOV33FVP5NSDVQKLUCFRAAYOODW6A."
    )


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (200, "peppol.smp_registered"),
        (404, "peppol.smp_not_registered"),
        (500, "peppol.smp_unanswered"),
    ],
)
def test_the_smp_is_asked_over_http_when_configured(
    register: Runtime, httpserver: HTTPServer, status: int, code: str
) -> None:
    path = "/iso6523-actorid-upis%3A%3A0208%3A0712345630"  # as sent; the server decodes it
    httpserver.expect_request("/iso6523-actorid-upis::0208:0712345630").respond_with_data(
        "<ServiceGroup/>", status=status
    )
    sml = SmlDns("participant.sml.prod.tech.peppol.org", 5.0)
    smp = SmpClient(sml, 5.0, base_url=httpserver.url_for("/"))
    result = _check(register, "0712345630", peppol_id="0208:0712345630", smp=smp)
    finding = _finding(result, code)
    assert finding.evidence["url"].endswith(path)
    assert result.verdict == Verdict.VERIFIED  # what the SMP says informs, never blocks
    httpserver.check_assertions()


def test_the_cli_verifies_address_and_peppol_id_as_json(register: Runtime) -> None:
    from typer.testing import CliRunner

    from kyc.cli import app

    env = {
        "KYC_DATA_DIR": str(register.settings.data_dir),
        "KYC_DATABASE_URL": register.settings.effective_database_url,
    }
    result = CliRunner().invoke(
        app,
        [
            "registry", "verify", "0712.345.630", "--name", "ACME Logistics BVBA",
            "--street", "Kortrijksesteenweg", "--number", "100", "--postcode", "9000",
            "--municipality", "Gent", "--peppol-id", "0208:0712345630", "--json",
        ],
        env=env,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    verification = json.loads(result.stdout)
    assert verification["verdict"] == "verified"
    codes = {f["code"] for f in verification["findings"]}
    assert {"name.matches", "address.matches", "peppol.consistent"} <= codes
    assert all({"code", "message", "evidence"} <= set(f) for f in verification["findings"])


def test_the_cli_finds_the_smp_through_the_sml_when_the_lookup_is_on(
    register: Runtime, httpserver: HTTPServer
) -> None:
    from typer.testing import CliRunner

    from kyc.cli import app

    httpserver.expect_request("/iso6523-actorid-upis::9925:BE0712345630").respond_with_data(
        "", status=404
    )
    name = sml_lookup_name("9925:be0712345630", "sml.test").lower()
    with local_dns({name: [smp_record(httpserver.url_for("/"))]}) as dns:
        env = {
            "KYC_DATA_DIR": str(register.settings.data_dir),
            "KYC_DATABASE_URL": register.settings.effective_database_url,
            "KYC_PEPPOL_SMP_LOOKUP": "true",
            "KYC_PEPPOL_SML_ZONE": "sml.test",
            "KYC_PEPPOL_DNS_SERVER": dns.address,
        }
        args = ["registry", "verify", "0712345630", "--peppol-id", "9925:BE0712345630", "--json"]
        result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    finding = next(
        f for f in json.loads(result.stdout)["findings"] if f["code"].startswith("peppol.smp")
    )
    assert finding["code"] == "peppol.smp_not_registered"
    assert finding["evidence"]["sml_name"].lower() == name
    httpserver.check_assertions()
