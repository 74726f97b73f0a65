"""Rectification (Art. 16): corrected, screened again and re-checked at once; the trail
has the fingerprints, not the values."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from kyc.app import rescreen as rescreen_jobs
from kyc.app import rights as rights_jobs
from kyc.app.runtime import Runtime
from kyc.rights.restriction import RightRefused
from kyc.rights.subjects import SubjectSelector
from kyc.store.models import AuditEvent, Company, MandateCheck, Person, ScreeningRun

VIKTOR = SubjectSelector(name="Viktor Sokolov", birth_date=date(1961, 3, 14))


def test_a_corrected_birth_date_is_screened_and_checked_again(loaded: Runtime) -> None:
    rescreen_jobs.rescreen_all(loaded)
    viktor = rights_jobs.find(loaded, VIKTOR).subject_id
    with loaded.readers() as session:
        checks = session.scalar(
            select(func.count()).where(MandateCheck.person_subject_id == viktor)
        )
    answer = rights_jobs.rectify_subject(
        loaded, VIKTOR, "birth_date", "1975-01-02", "passport shows 1975"
    )
    assert answer.rectified.changed and "birth_date rectified" in answer.lines()[0]
    with loaded.readers() as session:
        person = session.get_one(Person, viktor)
        assert person.birth_date == "1975-01-02"
        run = session.get_one(ScreeningRun, answer.run_id)
        assert (run.kind, run.subjects_screened) == ("rectification", 1)
        rechecked = session.scalars(
            select(MandateCheck).where(MandateCheck.person_subject_id == viktor)
        ).all()
        assert len(rechecked) == (checks or 0) + 1 and rechecked[-1].trigger == "rectification"
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "privacy.rectified")
        ).one()
    assert event.details["old_fingerprint"] != event.details["new_fingerprint"]
    assert "1975" not in str(event.details) and "1961" not in str(event.details)
    assert "passport" not in str(event.details)
    # Named by the new birth date now; the same value again changes nothing but screens.
    moved = SubjectSelector(name="Viktor Sokolov", birth_date=date(1975, 1, 2))
    again = rights_jobs.rectify_subject(loaded, moved, "birth_date", "1975-01-02", "checked")
    assert not again.rectified.changed


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nationality", "BEL", "two-letter ISO 3166"),
        ("birth_date", "2031-01-01", "in the future"),
        ("birth_date", "14/03/1961", "is not YYYY"),
        ("enterprise_number", "0712.345.630", "cannot be rectified here"),
        ("last_name", "  ", "an empty value"),
        ("last_name", "Sokolov 70051212352", "national number"),
        ("last_name", "Soko\u200blov", "invisible formatting"),
    ],
)
def test_a_bad_value_is_refused_and_changes_nothing(
    loaded: Runtime, field: str, value: str, message: str
) -> None:
    with pytest.raises(RightRefused, match=message):
        rights_jobs.rectify_subject(loaded, VIKTOR, field, value, "asked")
    with loaded.readers() as session:
        person = session.scalars(select(Person).where(Person.last_name == "Sokolov")).one()
        assert (person.birth_date, person.nationality) == ("1961-03-14", "RU")
        assert not session.scalars(select(ScreeningRun)).all()
        outcomes = session.scalars(
            select(AuditEvent.outcome).where(AuditEvent.action == "privacy.rectification_requested")
        ).all()
    assert outcomes == ["refused"]


def test_a_company_name_is_rectified_and_verified_again(loaded: Runtime) -> None:
    person = SubjectSelector(subject_id=rights_jobs.find(loaded, VIKTOR).subject_id)
    with pytest.raises(RightRefused, match="a person's 'name' cannot be rectified"):
        rights_jobs.rectify_subject(loaded, person, "name", "ACME", "asked")
    with loaded.readers() as session:
        acme = session.scalars(
            select(Company.subject_id).where(Company.enterprise_number == "0712345630")
        ).one()
    verified_before = _verified(loaded, acme)
    answer = rights_jobs.rectify_subject(
        loaded, SubjectSelector(subject_id=acme), "name", "ACME Logistics", "short name"
    )
    assert answer.rectified.kind == "organization" and len(answer.mandates) == 2
    assert _verified(loaded, acme) == verified_before + 1, "the register check ran again"


def _verified(runtime: Runtime, company_id: str) -> int:
    with runtime.readers() as session:
        return len(
            session.scalars(
                select(AuditEvent).where(
                    AuditEvent.action == "company.verified", AuditEvent.subject_ref == company_id
                )
            ).all()
        )
