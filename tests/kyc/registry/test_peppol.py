from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from kyc.identifiers import parse_peppol_id, sml_lookup_name
from kyc.registry.peppol import SmlDns, SmpClient, smp_uri_of
from tests.kyc.registry.dns_server import local_dns, smp_record

ZONE = "participant.sml.prod.tech.peppol.org"
PARTICIPANT = parse_peppol_id("0208:0712345630")
LOOKUP_NAME = sml_lookup_name("0208:0712345630", ZONE).lower()
SERVICE_GROUP = "/iso6523-actorid-upis::0208:0712345630"


@pytest.mark.parametrize(
    ("flags", "service", "regexp", "uri"),
    [
        ("U", "Meta:SMP", "!^.*$!https://smp.example.be!", "https://smp.example.be"),
        ("u", "meta:smp", "!.*!https://smp.example.be/smp/!", "https://smp.example.be/smp/"),
        ("U", "Meta:SMP", "#^.*$#https://smp.example.be#", "https://smp.example.be"),
        ("U", "Meta:SMP", "!^.*$!https://smp.example.be!i", "https://smp.example.be"),
        ("U", "Meta:SMP", "!^.*$!https://smp.example.be", None),  # not closed
        ("S", "Meta:SMP", "!^.*$!https://smp.example.be!", None),  # not a terminal record
        ("U", "Meta:CPP", "!^.*$!https://smp.example.be!", None),  # another service
        ("U", "Meta:SMP", "!^(.*)$!https://\\1!", None),  # a real expression: not U-NAPTR
        ("U", "Meta:SMP", "!^.*$!ftp://smp.example.be!", None),
        ("U", "Meta:SMP", "", None),
    ],
)
def test_the_smp_uri_of_a_naptr_record(
    flags: str, service: str, regexp: str, uri: str | None
) -> None:
    assert smp_uri_of(flags, service, regexp) == uri


def _client(dns_address: str, timeout: float = 2.0) -> SmpClient:
    return SmpClient(SmlDns(ZONE, timeout, dns_address), timeout)


def test_a_registered_participant_is_found_through_the_sml(httpserver: HTTPServer) -> None:
    records = {LOOKUP_NAME: [smp_record(httpserver.url_for("/smp"))]}
    httpserver.expect_request(f"/smp{SERVICE_GROUP}").respond_with_data("<ServiceGroup/>")
    with local_dns(records) as dns:
        answer = _client(dns.address).lookup(PARTICIPANT)
    assert dns.questions == [LOOKUP_NAME]
    assert (answer.registered, answer.status) == (True, 200)
    assert answer.lookup_name is not None and answer.lookup_name.lower() == LOOKUP_NAME
    assert answer.url == httpserver.url_for("/smp/iso6523-actorid-upis%3A%3A0208%3A0712345630")


def test_the_preferred_record_of_the_smp_service_is_followed(httpserver: HTTPServer) -> None:
    httpserver.expect_request(f"/second{SERVICE_GROUP}").respond_with_data("", status=404)
    records = {
        LOOKUP_NAME: [
            '10 10 "U" "Meta:CPP" "!^.*$!https://cpp.example.be!" .',
            smp_record(httpserver.url_for("/first")).replace("100 10", "300 10"),
            smp_record(httpserver.url_for("/second")).replace("100 10", "200 10"),
        ]
    }
    with local_dns(records) as dns:
        answer = _client(dns.address).lookup(PARTICIPANT)
    assert (answer.registered, answer.status) == (False, 404)
    httpserver.check_assertions()


def test_no_record_in_the_sml_means_not_registered(httpserver: HTTPServer) -> None:
    with local_dns({}) as dns:
        answer = _client(dns.address).lookup(PARTICIPANT)
    assert (answer.registered, answer.url, answer.error) == (False, None, None)
    assert not httpserver.log  # no SMP was asked


def test_a_name_without_an_smp_record_is_no_answer() -> None:
    records = {LOOKUP_NAME: ['10 10 "U" "Meta:CPP" "!^.*$!https://cpp.example.be!" .']}
    with local_dns(records) as dns:
        answer = _client(dns.address).lookup(PARTICIPANT)
    assert answer.registered is None
    assert answer.error == "no usable Meta:SMP record under the name"


def test_a_silent_dns_server_is_no_answer() -> None:
    with local_dns({}, silent=True) as dns:
        answer = _client(dns.address, timeout=0.3).lookup(PARTICIPANT)
    assert answer.registered is None
    assert answer.error is not None and answer.error.startswith("no DNS answer")


@pytest.mark.parametrize(("status", "registered"), [(200, True), (404, False), (500, None)])
def test_a_configured_smp_is_asked_directly(
    httpserver: HTTPServer, status: int, registered: bool | None
) -> None:
    httpserver.expect_request(SERVICE_GROUP).respond_with_data("", status=status)
    sml = SmlDns(ZONE, 1.0, "127.0.0.1:9")  # never asked
    answer = SmpClient(sml, 2.0, base_url=httpserver.url_for("/")).lookup(PARTICIPANT)
    assert (answer.registered, answer.status, answer.lookup_name) == (registered, status, None)
    httpserver.check_assertions()


def test_an_smp_that_does_not_answer() -> None:
    answer = SmpClient(SmlDns(ZONE, 1.0), 0.5, base_url="http://127.0.0.1:9").lookup(PARTICIPANT)
    assert answer.registered is None
    assert answer.error == "no answer (ConnectionError)"
