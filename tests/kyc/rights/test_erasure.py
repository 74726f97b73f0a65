"""Erasure (Art. 17): refused while a retention rule holds the data (restricted instead,
both recorded); everywhere once nothing holds it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from kyc.app import customers as customer_jobs
from kyc.app import rescreen as rescreen_jobs
from kyc.app import rights as rights_jobs
from kyc.app.runtime import Runtime
from kyc.audit import verify_chain
from kyc.rights.restriction import RightRefused
from kyc.rights.subjects import SubjectSelector
from kyc.store.models import AuditEvent, Hit, Person, ScreenedInput, Subject
from tests.conftest import decided
from tests.rights_support import move_clock, text_columns_holding

ACME = "0712.345.630"
VIKTOR = SubjectSelector(name="Viktor Sokolov", birth_date=date(1961, 3, 14))


def _actions(runtime: Runtime) -> list[tuple[str, str]]:
    with runtime.readers() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("privacy.%")).order_by(AuditEvent.seq)
        )
        return [(e.action, e.outcome) for e in events]


def test_erasure_is_refused_while_the_relationship_lasts_and_restricts(loaded: Runtime) -> None:
    outcome = rights_jobs.erase_subject(loaded, VIKTOR, "the data subject asked")
    assert outcome.refused
    [hold] = outcome.holds
    assert (hold.rule, hold.until) == ("relationship", None)
    assert "in progress" in hold.ground and "0712.345.630" in hold.ground
    assert outcome.restricted is not None
    assert any("erasure refused" in line for line in outcome.lines())
    assert _actions(loaded) == [
        ("privacy.erasure_refused", "refused"),
        ("privacy.restricted", "restricted"),
        ("privacy.erasure_requested", "refused"),
    ]
    with loaded.readers() as session:
        person = session.scalars(select(Person).where(Person.last_name == "Sokolov")).one()
        subject = session.get_one(Subject, person.subject_id)
        assert subject.restriction_ground == "erasure_refused"
    # Asked again: still refused, with the restriction already in place (nothing new).
    again = rights_jobs.erase_subject(loaded, VIKTOR, "asked again")
    assert again.refused and again.restricted == outcome.restricted


def test_after_the_retention_period_erasure_goes_everywhere(loaded: Runtime) -> None:
    rescreen_jobs.rescreen_all(loaded)
    with loaded.readers() as session:
        person = session.scalars(select(Person).where(Person.last_name == "Sokolov")).one()
        hit = session.scalars(select(Hit).where(Hit.subject_id == person.subject_id)).first()
    assert hit is not None, "the sample screening finds Viktor Sokolov on a list"
    decided(loaded, hit.id, "false_positive", "Plonkett-note: other birth year")
    customer_jobs.offboard(
        loaded, ACME, ended_on=date(2026, 11, 20), reason="never onboarded", refused=True
    )
    # One year after a refused onboarding the rule lets go (kept until 2027-11-20).
    move_clock(loaded, datetime(2027, 11, 20, 12, tzinfo=UTC))
    assert rights_jobs.erase_subject(loaded, VIKTOR, "asked").refused
    rights_jobs.unrestrict_subject(
        loaded, SubjectSelector(subject_id=person.subject_id), "the hold ended"
    )
    move_clock(loaded, datetime(2027, 11, 21, 12, tzinfo=UTC))
    planted = ["Plonkett-note", "1961-03-14"]
    assert {"decisions.reason", "persons.birth_date", "screened_inputs.attributes"} <= set(
        text_columns_holding(loaded.engine, planted)
    )
    outcome = rights_jobs.erase_subject(
        loaded, SubjectSelector(subject_id=person.subject_id), "asked again"
    )
    assert not outcome.refused and outcome.erased is not None
    assert outcome.erased.persons == 1 and outcome.erased.decision_reasons == 1
    with loaded.readers() as session:
        assert session.get(Person, person.subject_id) is None
        assert session.get_one(Subject, person.subject_id).erased_at is not None
        inputs = session.scalars(
            select(ScreenedInput).where(ScreenedInput.subject_id == person.subject_id)
        ).all()
        assert inputs and all(i.attributes == {} and i.digest for i in inputs)
        assert verify_chain(session).ok
    assert text_columns_holding(loaded.engine, planted) == []
    with pytest.raises(RightRefused, match="was erased on 2027-11-21"):
        rights_jobs.erase_subject(loaded, SubjectSelector(subject_id=person.subject_id), "again")


def test_a_subject_restricted_at_its_request_is_not_erased_behind_its_back(
    loaded: Runtime,
) -> None:
    customer_jobs.offboard(loaded, ACME, ended_on=date(2026, 11, 20), reason="gone", refused=True)
    rights_jobs.restrict_subject(loaded, VIKTOR, "needs the data for a claim")
    move_clock(loaded, datetime(2028, 1, 1, tzinfo=UTC))
    with pytest.raises(RightRefused, match="unrestrict"):
        rights_jobs.erase_subject(loaded, VIKTOR, "asked")
    with loaded.readers() as session:
        assert session.scalars(select(Person).where(Person.last_name == "Sokolov")).one()
