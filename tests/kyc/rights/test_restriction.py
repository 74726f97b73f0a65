"""Restriction (Art. 18): kept, marked, processed only for the purposes the table allows
under it, and every step recorded."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from kyc.app import rescreen as rescreen_jobs
from kyc.app import rights as rights_jobs
from kyc.app.runtime import Runtime
from kyc.purposes import DEFAULT_TABLE
from kyc.rights.restriction import RightRefused
from kyc.rights.subjects import SubjectSelector
from kyc.store.models import AuditEvent, MandateCheck

JAN = SubjectSelector(name="Jan Peeters", birth_date=date(1970, 5, 12))


def _events(runtime: Runtime, subject_id: str, action: str) -> list[AuditEvent]:
    with runtime.readers() as session:
        return list(
            session.scalars(
                select(AuditEvent).where(
                    AuditEvent.subject_ref == subject_id, AuditEvent.action == action
                )
            )
        )


def test_a_restricted_representative_is_screened_but_not_kyc_checked(loaded: Runtime) -> None:
    jan = rights_jobs.find(loaded, JAN).subject_id
    restriction = rights_jobs.restrict_subject(loaded, JAN, "contests his birth date")
    assert "contests his birth date" in restriction.line()
    with loaded.readers() as session:
        checks_before = session.scalars(
            select(MandateCheck).where(MandateCheck.person_subject_id == jan)
        ).all()
    rescreen_jobs.rescreen_all(loaded)
    with loaded.readers() as session:
        checks_after = session.scalars(
            select(MandateCheck).where(MandateCheck.person_subject_id == jan)
        ).all()
    assert len(checks_after) == len(checks_before), "no Peppol KYC check under restriction"
    [held] = _events(loaded, jan, "privacy.held_back")
    assert (held.details, held.purpose) == ({"processing": "mandate check"}, "data_subject_request")
    # Sanctions screening goes on under restriction (the purpose table allows it).
    assert _events(loaded, jan, "screening.subject")

    with pytest.raises(RightRefused, match="already restricted since"):
        rights_jobs.restrict_subject(loaded, JAN, "again")
    rights_jobs.unrestrict_subject(loaded, JAN, "birth date verified")
    with pytest.raises(RightRefused, match="is not restricted"):
        rights_jobs.unrestrict_subject(loaded, JAN, "again")
    rescreen_jobs.rescreen_all(loaded)
    with loaded.readers() as session:
        assert len(
            session.scalars(select(MandateCheck).where(MandateCheck.person_subject_id == jan)).all()
        ) > len(checks_after)
    requests = [
        (e.action, e.outcome)
        for e in _events(loaded, jan, "privacy.restriction_requested")
        + _events(loaded, jan, "privacy.unrestriction_requested")
    ]
    assert sorted(requests) == [
        ("privacy.restriction_requested", "done"),
        ("privacy.restriction_requested", "refused"),
        ("privacy.unrestriction_requested", "done"),
        ("privacy.unrestriction_requested", "refused"),
    ]


@pytest.mark.parametrize("reason", ["", "x" * 2001, "his number is 70051212352"])
def test_a_bad_reason_changes_nothing(loaded: Runtime, reason: str) -> None:
    with pytest.raises(RightRefused):
        rights_jobs.restrict_subject(loaded, JAN, reason)
    jan = rights_jobs.find(loaded, JAN).subject_id
    assert not _events(loaded, jan, "privacy.restricted")


def test_a_provider_table_may_hold_screening_back_too(
    loaded: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = (DEFAULT_TABLE.read_text(encoding="utf-8")).replace(
        'unconfirmed = false\nunder_restriction = true\nretention = "relationship"\n\n'
        "[purposes.review]",
        'unconfirmed = false\nunder_restriction = false\nretention = "relationship"\n\n'
        "[purposes.review]",
    )
    assert table != DEFAULT_TABLE.read_text(encoding="utf-8")
    (tmp_path / "purposes.toml").write_text(table, encoding="utf-8")
    runtime = replace(
        loaded,
        settings=loaded.settings.model_copy(update={"purposes_file": tmp_path / "purposes.toml"}),
    )
    assert not runtime.settings.purposes.allowed_under_restriction("sanctions_screening")
    jan = rights_jobs.find(runtime, JAN).subject_id
    rights_jobs.restrict_subject(runtime, JAN, "objects")
    rescreen_jobs.rescreen_all(runtime)
    assert not _events(runtime, jan, "screening.subject")
    held = [e.details["processing"] for e in _events(runtime, jan, "privacy.held_back")]
    assert sorted(held) == ["mandate check", "sanctions screening"]
