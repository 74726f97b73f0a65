"""Naming the data subject of a request: by id, by national number, by name and birth date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from kyc.app import customers as customer_jobs
from kyc.app import rights as rights_jobs
from kyc.app.runtime import Runtime
from kyc.identifiers import InvalidIdentifier
from kyc.rights.subjects import SubjectAmbiguous, SubjectNotNamed, SubjectSelector
from kyc.store.models import AuditEvent

JAN_NN = "70051212352"  # Jan Peeters, director of ACME Logistics in the samples
JAN_BORN = date(1970, 5, 12)


def test_a_national_number_finds_its_person_through_the_keyed_hash(loaded: Runtime) -> None:
    found = rights_jobs.find(loaded, SubjectSelector(national_number=SecretStr(JAN_NN)))
    assert (found.kind, found.name) == ("person", "Jan Peeters")
    by_id = rights_jobs.find(loaded, SubjectSelector(subject_id=found.subject_id))
    assert by_id == found
    by_name = rights_jobs.find(loaded, SubjectSelector(name="PEETERS jan", birth_date=JAN_BORN))
    assert by_name == found
    with loaded.readers() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "privacy.subject_sought")
        ).all()
    assert [e.details["named_by"] for e in events] == [
        "national_number",
        "subject",
        "name_and_birth_date",
    ]
    assert {e.purpose for e in events} == {"data_subject_request"}
    assert all(JAN_NN not in str(e.details) and "Peeters" not in str(e.details) for e in events)


def test_a_name_that_fits_two_people_names_none(loaded: Runtime, tmp_path: Path) -> None:
    namesake = tmp_path / "namesake.csv"
    namesake.write_text(
        "customer_ref,enterprise_number,company_name,rep_first_name,rep_last_name,"
        "rep_birth_date,rep_role\n"
        "C-100,0200.065.765,Gemeente Test,Jan,Peeters,1970-05-12,director\n",
        encoding="utf-8",
    )
    assert not customer_jobs.import_customer_file(loaded, namesake).rejected
    wanted = SubjectSelector(name="Jan Peeters", birth_date=JAN_BORN)
    with pytest.raises(SubjectAmbiguous) as refused:
        rights_jobs.find(loaded, wanted)
    companies = sorted(c.companies for c in refused.value.candidates)
    assert companies == [("ACME Logistics BV",), ("Gemeente Test",)]
    assert "2 people fit that name and birth date" in str(refused.value)
    with loaded.readers() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "privacy.subject_sought")
        ).one()
    assert (event.outcome, event.subject_ref) == ("ambiguous", None)


@pytest.mark.parametrize(
    ("selector", "error", "message"),
    [
        (lambda: SubjectSelector(subject_id="nobody"), SubjectNotNamed, "no subject nobody"),
        (
            lambda: SubjectSelector(national_number=SecretStr("85073003328")),
            SubjectNotNamed,
            "no person is stored with that national number",
        ),
        (
            lambda: SubjectSelector(national_number=SecretStr("70051212353")),
            InvalidIdentifier,
            "fails its date or check digits",
        ),
        (
            lambda: SubjectSelector(name="Jan Peeters", birth_date=date(1971, 5, 12)),
            SubjectNotNamed,
            "no person is stored with that name and birth date",
        ),
    ],
)
def test_a_subject_that_is_not_there_is_said_so(
    loaded: Runtime, selector, error: type, message: str
) -> None:
    with pytest.raises(error, match=message) as refused:
        rights_jobs.find(loaded, selector())
    assert "85073003328" not in str(refused.value) and "70051212353" not in str(refused.value)


@pytest.mark.parametrize(
    "ways",
    [
        {},
        {"subject_id": "a", "name": "b", "birth_date": JAN_BORN},
        {"name": "Jan Peeters"},
        {"name": "  ", "birth_date": JAN_BORN},
    ],
)
def test_a_request_names_its_subject_exactly_one_way(ways: dict[str, object]) -> None:
    with pytest.raises(SubjectNotNamed):
        SubjectSelector(**ways)  # type: ignore[arg-type]
