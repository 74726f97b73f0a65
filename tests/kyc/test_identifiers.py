from __future__ import annotations

from datetime import date

import pytest

from kyc.identifiers import (
    InvalidIdentifier,
    format_enterprise_number,
    normalize_enterprise_number,
    normalize_establishment_number,
    parse_national_number,
    parse_peppol_id,
    sml_lookup_name,
    split_host_port,
)


@pytest.mark.parametrize(
    "text", ["0403.170.701", "0403170701", "BE0403170701", "BE 0403.170.701", "403170701"]
)
def test_enterprise_number_spellings_normalise(text: str) -> None:
    assert normalize_enterprise_number(text) == "0403170701"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("0403.170.702", "mod-97"),
        ("2403.170.701", "starts with 0 or 1"),
        ("04031707", "10 digits"),
        ("04031707011", "10 digits"),
        ("0403.17O.701", "10 digits"),
    ],
)
def test_invalid_enterprise_numbers_say_why(text: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier, match=reason):
        normalize_enterprise_number(text)


def test_mod97_rule_from_domain() -> None:
    number = "0712345630"
    assert 97 - int(number[:8]) % 97 == int(number[8:])
    assert format_enterprise_number(number) == "0712.345.630"


def test_establishment_numbers_start_2_to_8() -> None:
    assert normalize_establishment_number("2.190.171.611") == "2190171611"
    with pytest.raises(InvalidIdentifier):
        normalize_establishment_number("0403.170.701")
    with pytest.raises(InvalidIdentifier, match="mod-97"):
        normalize_establishment_number("2.190.171.612")


@pytest.mark.parametrize(
    ("number", "birth", "is_bis"),
    [
        ("23292805780", date(1923, 9, 28), True),
        ("92200006963", None, True),
        ("92400006909", None, True),
        ("19282416134", date(2019, 8, 24), True),
        ("19082416188", date(2019, 8, 24), False),
        ("81000003517", None, False),
    ],
)
def test_valid_national_numbers_from_domain(number: str, birth: date | None, is_bis: bool) -> None:
    parsed = parse_national_number(number)
    assert parsed.birth_date == birth
    assert parsed.is_bis is is_bis


@pytest.mark.parametrize("number", ["81050103521", "81130103578", "47060200096", "4706020009"])
def test_invalid_national_numbers_from_domain(number: str) -> None:
    with pytest.raises(InvalidIdentifier) as raised:
        parse_national_number(number)
    assert number not in str(raised.value)


def test_national_number_never_shows_its_digits() -> None:
    parsed = parse_national_number("19082416188")
    assert "19082416188" not in repr(parsed)
    assert "19082416188" not in str(parsed)
    assert f"{parsed}".count("2019-08-24") == 1


def test_peppol_ids() -> None:
    assert str(parse_peppol_id("iso6523-actorid-upis::0208:0403.170.701")) == "0208:0403170701"
    vat = parse_peppol_id("9925:be0403170701")
    assert str(vat) == "9925:BE0403170701"
    assert vat.enterprise_number == "0403170701"
    with pytest.raises(InvalidIdentifier):
        parse_peppol_id("0208:0403170702")
    with pytest.raises(InvalidIdentifier):
        parse_peppol_id("not an id")


def test_sml_lookup_name_test_vector() -> None:
    assert sml_lookup_name("9915:test", zone="example.org") == (
        "EH5BOAVAKTMBGZYH2A63DZ4QOV33FVP5NSDVQKLUCFRAAYOODW6A.iso6523-actorid-upis.example.org"
    )
    assert sml_lookup_name("9915:TEST").startswith(
        "EH5BOAVAKTMBGZYH2A63DZ4QOV33FVP5NSDVQKLUCFRAAYOODW6A."
    )


@pytest.mark.parametrize(
    ("text", "split"),
    [
        ("127.0.0.1", ("127.0.0.1", 53)),
        ("127.0.0.1:5353", ("127.0.0.1", 5353)),
        ("dns.example.be:53", ("dns.example.be", 53)),
        ("::1", ("::1", 53)),
        ("[::1]:5353", ("::1", 5353)),
        ("[2001:db8::53]", ("2001:db8::53", 53)),
    ],
)
def test_a_dns_server_is_host_and_port(text: str, split: tuple[str, int]) -> None:
    assert split_host_port(text) == split


@pytest.mark.parametrize("text", ["", ":53", "host:", "host:99999", "host:x", "[::1", "[::1]x"])
def test_a_dns_server_that_is_not_host_and_port_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not"):
        split_host_port(text)
