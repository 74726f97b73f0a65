from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kyc.customers import (
    CustomerFileError,
    RawRecord,
    load_customer_records,
    validate_customers,
)
from tests.conftest import SAMPLES


def _customer(**company: Any) -> dict[str, Any]:
    base = {"enterprise_number": "0712.345.630", "name": "ACME Logistics BV"}
    return {"customer_ref": "C-1", "company": {**base, **company}, "representatives": []}


def _reasons(data: Any) -> tuple[str, ...]:
    outcome = validate_customers([RawRecord("record 1", data)])
    assert not outcome.accepted
    return outcome.rejected[0].reasons


def test_sample_csv_is_accepted_whole() -> None:
    outcome = load_customer_records(SAMPLES / "customers.csv")
    assert not outcome.rejected
    assert len(outcome.accepted) == 7
    acme = outcome.accepted[0]
    assert acme.enterprise_number == "0712345630"
    assert [r.last_name for r in acme.representatives] == ["Peeters", "Sokolov"]
    assert acme.representatives[0].national_number is not None
    assert str(acme.representatives[1].birth_date) == "1961-03-14"


def test_sample_payload_is_accepted_and_canonicalised() -> None:
    payload = json.loads((SAMPLES / "onboarding.json").read_text())
    outcome = validate_customers([RawRecord("payload", payload)])
    assert outcome.accepted[0].peppol_id == "0208:0789012351"


@pytest.mark.parametrize(
    ("company", "reason"),
    [
        ({"enterprise_number": "0712.345.631"}, "mod-97"),
        ({"enterprise_number": "2712.345.630"}, "10 digits starting with 0 or 1"),
        ({"enterprise_number": None}, "enterprise number is missing"),
        ({"name": None}, "company name is missing"),
        ({"peppol_id": "0208:0403170701"}, "Peppol id"),
        ({"address": {"country": "Belgium"}}, "country"),
    ],
)
def test_company_errors_name_the_reason(company: dict[str, Any], reason: str) -> None:
    assert any(reason in text for text in _reasons(_customer(**company)))


@pytest.mark.parametrize(
    ("rep", "reason"),
    [
        ({"first_name": "A", "birth_date": "1970-02-30"}, "not a real date"),
        ({"first_name": "A", "birth_date": "12/03/1970"}, "YYYY-MM-DD"),
        ({"first_name": "A", "birth_date": "1850"}, "before 1900"),
        ({"last_name": None}, "last name is missing"),
        ({"nationality": "Belgian"}, "nationality"),
        ({"national_number": "81050103521"}, "national number fails"),
        ({"national_number": "70051212352", "birth_date": "1971-05-12"}, "does not encode"),
    ],
)
def test_representative_errors_name_the_reason(rep: dict[str, Any], reason: str) -> None:
    data = _customer()
    data["representatives"] = [
        {"first_name": "Jan", "last_name": "Peeters", "role": "director", **rep}
    ]
    reasons = _reasons(data)
    assert any(reason in text for text in reasons), reasons
    assert not any("81050103521" in text or "70051212352" in text for text in reasons)


def test_structural_errors_and_hostile_strings() -> None:
    assert any("extra" in r.lower() for r in _reasons({**_customer(), "surprise": 1}))
    assert any("valid dictionary" in r for r in _reasons(["not", "an", "object"]))
    hostile = _customer(name="ACME\x00; DROP TABLE companies")
    assert any("control" in r for r in _reasons(hostile))
    assert any("at most 300" in r for r in _reasons(_customer(name="x" * 301)))


def test_duplicates_within_a_file_are_rejected() -> None:
    outcome = validate_customers(
        [
            RawRecord("record 1", _customer()),
            RawRecord("record 2", {**_customer(), "customer_ref": "C-2"}),
        ]
    )
    assert len(outcome.rejected) == 2
    assert all("more than once" in r.reasons[0] for r in outcome.rejected)


def test_valid_records_pass_beside_invalid_ones(tmp_path: Path) -> None:
    good = _customer()
    bad = {**_customer(enterprise_number="0712.345.631"), "customer_ref": "C-2"}
    path = tmp_path / "customers.json"
    path.write_text(json.dumps({"customers": [bad, good]}))
    outcome = load_customer_records(path)
    assert [c.customer_ref for c in outcome.accepted] == ["C-1"]
    assert str(outcome.rejected[0]).startswith("record 1 (C-2): ")


def test_csv_rejections_name_their_lines(tmp_path: Path) -> None:
    lines = (SAMPLES / "customers.csv").read_text().splitlines()
    lines[3] = lines[3].replace("0723.456.781", "0723.456.782")  # C-002's second row
    lines[4] = lines[4].replace("0723.456.781", "0723.456.782")
    path = tmp_path / "customers.csv"
    path.write_text("\n".join(lines) + "\n")
    outcome = load_customer_records(path)
    assert [str(r) for r in outcome.rejected] == [
        "lines 4-5 (C-002): the enterprise number fails its mod-97 check"
    ]
    assert len(outcome.accepted) == 6


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("enterprise_number,name\n", "missing required columns: company_name"),
        ("enterprise_number,company_name,shoe_size\n", "unknown columns: shoe_size"),
        ("enterprise_number,company_name\n0712.345.630,ACME,extra\n", "more values than columns"),
    ],
)
def test_unusable_csv_files_are_refused_whole(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(content)
    with pytest.raises(CustomerFileError, match=reason):
        load_customer_records(path)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("c.json", "{not json", "not valid UTF-8 JSON"),
        ("c.json", '{"customers": 3}', "expected a list"),
        ("c.xlsx", "", "unknown file type"),
    ],
)
def test_unusable_json_files_are_refused(
    tmp_path: Path, name: str, content: str, reason: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(CustomerFileError, match=reason):
        load_customer_records(path)
