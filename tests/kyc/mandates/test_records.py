from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from kyc.app import customers as customer_jobs
from kyc.app import mandates as mandate_jobs
from kyc.app import register as register_jobs
from kyc.app.runtime import Runtime
from kyc.mandates.records import (
    declared_person,
    due_by_date,
    latest_mandate_checks,
    mandate_views,
)
from kyc.model import PartialDate
from kyc.store.models import Person
from tests.conftest import SAMPLES

FUNCTIONS = SAMPLES / "kbo_functions" / "functions.csv"


def test_a_stored_birth_date_that_no_longer_parses_is_left_out() -> None:
    person = Person(first_name="Jan", last_name="Peeters", birth_date="12/05/1970")
    assert declared_person(person, "director").birth_date is None
    person.birth_date = "1970-05"
    assert declared_person(person, "").birth_date == PartialDate(1970, 5)
    assert declared_person(person, "").role is None


def test_the_newest_check_of_each_current_representative(loaded: Runtime) -> None:
    register_jobs.import_functions(loaded, FUNCTIONS)
    payload = json.loads((SAMPLES / "onboarding.json").read_text())
    customer_jobs.onboard_payload(loaded, payload)
    customer_jobs.onboard_payload(loaded, payload)  # checked twice: the newest counts
    payload["representatives"] = payload["representatives"][:1]  # Pieter Claes leaves
    customer_jobs.onboard_payload(loaded, payload)
    zenith = "0789012351"
    with loaded.sessions() as session:
        companies = {c.company_subject_id for c in latest_mandate_checks(session)}
        assert len(companies) == 8  # the seven imported customers, and Zenith
        [view] = [v for v in mandate_views(session) if v.enterprise_number == zenith]
        assert (view.representative, view.verdict, view.as_of) == (
            "Amira Al Farsi",
            "valid",
            date(2026, 11, 25),
        )
        assert view.to_dict()["reasons"] == []
        invalid = mandate_views(session, {"invalid"})
        assert invalid and all(v.verdict == "invalid" and v.reasons for v in invalid)
        assert zenith not in {v.enterprise_number for v in invalid}


def test_the_daily_revalidation_checks_what_a_date_moved(loaded: Runtime, tmp_path: Path) -> None:
    ending = tmp_path / "functions.csv"
    ending.write_text(
        FUNCTIONS.read_text().replace(
            "0712.345.630,13,Jan,Peeters,,2011-05-03,,",
            "0712.345.630,13,Jan,Peeters,,2011-05-03,2026-11-30,",
        )
    )
    register_jobs.import_functions(loaded, ending)  # checks the customers' mandates on 2026-11-25
    assert mandate_jobs.revalidate_mandates(loaded) == []  # the same day: nothing to do
    loaded.clock.now += timedelta(days=3)  # type: ignore[attr-defined]
    assert mandate_jobs.revalidate_mandates(loaded) == []  # still in office on the 28th
    loaded.clock.now += timedelta(days=4)  # type: ignore[attr-defined]
    # The 2nd of December: ACME's two representatives (a function of ACME ended), and the
    # two of Brasserie du Marché, whose director ACME is.
    lines = mandate_jobs.revalidate_mandates(loaded)
    assert len(lines) == 4
    assert len([line for line in lines if "valid → invalid" in line]) == 1
    assert len([line for line in lines if "(unchanged)" in line]) == 3
    with loaded.sessions() as session:
        [view] = [v for v in mandate_views(session) if v.representative == "Jan Peeters"]
        assert (view.trigger, str(view.as_of)) == ("date_passed", "2026-12-02")
    assert mandate_jobs.revalidate_mandates(loaded) == []


def test_a_proxy_that_expires_is_checked_again_the_next_day(loaded: Runtime) -> None:
    register_jobs.import_functions(loaded, FUNCTIONS)
    payload = json.loads((SAMPLES / "onboarding.json").read_text())
    payload["representatives"][1]["proxy"]["valid_until"] = "2026-11-26"
    customer_jobs.onboard_payload(loaded, payload)
    with loaded.sessions() as session:
        assert due_by_date(session, date(2026, 11, 26)) == {}
        [(company, persons)] = due_by_date(session, date(2026, 11, 27)).items()
        assert len(persons) == 1
    loaded.clock.now += timedelta(days=2)  # type: ignore[attr-defined]
    [line] = mandate_jobs.revalidate_mandates(loaded)
    assert "valid → invalid" in line and company in line


def test_a_function_that_begins_later_makes_its_company_due_that_day(
    loaded: Runtime, tmp_path: Path
) -> None:
    later = tmp_path / "functions.csv"
    later.write_text(
        FUNCTIONS.read_text().replace(
            "0767.890.107,30,Sofie,Martens,,2016-02-01,",
            "0767.890.107,30,Sofie,Martens,,2026-12-01,",
        )
    )
    register_jobs.import_functions(loaded, later)  # Sofie Martens: not yet in office on the 25th
    with loaded.sessions() as session:
        assert due_by_date(session, date(2026, 11, 30)) == {}
        [persons] = due_by_date(session, date(2026, 12, 1)).values()
        assert len(persons) == 1
