"""Replay: every run screened again with its inputs, list versions and matcher
parameters finds the same hits; what changed since is said, with its reason."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from kyc.app import customers as customer_jobs
from kyc.app import lists as list_jobs
from kyc.app import rescreen as rescreen_jobs
from kyc.app import retention as retention_jobs
from kyc.app import screening as screening_jobs
from kyc.app.runtime import Runtime
from kyc.lists import ListImportResult
from kyc.replay import ReplayRefused
from kyc.store.models import AuditEvent, ScreenedInput, ScreeningRun
from tests.conftest import SAMPLES
from tests.rights_support import move_clock


def _every_run(runtime: Runtime) -> list[int]:
    with runtime.readers() as session:
        return list(session.scalars(select(ScreeningRun.id).order_by(ScreeningRun.id)))


def test_every_run_of_the_pipeline_replays_with_identical_hits(loaded: Runtime) -> None:
    customer_jobs.onboard_payload(loaded, json.loads((SAMPLES / "onboarding.json").read_text()))
    rescreen_jobs.rescreen_all(loaded)
    update = list_jobs.import_list(
        loaded, "eu", SAMPLES / "lists_update" / "eu_sample_2026-11-21.xml"
    )
    assert isinstance(update, ListImportResult) and update.change_set is not None
    screening_jobs.delta_rescreen(loaded, update.change_set.id)
    runs = _every_run(loaded)
    assert len(runs) >= 3
    kinds = set()
    hits = 0
    for run_id in runs:
        report = screening_jobs.replay(loaded, run_id)
        assert report.identical, report.lines()
        assert report.replayed == report.subjects > 0
        kinds.add(report.kind)
        hits += report.pairs
    assert {"onboarding", "rescreen", "delta"} <= kinds
    assert hits > 0
    with loaded.readers() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "screening.replayed")
        ).all()
    assert [e.outcome for e in events] == ["identical"] * len(runs)


def test_a_changed_score_and_erased_inputs_are_told_with_their_reason(loaded: Runtime) -> None:
    rescreen_jobs.rescreen_all(loaded)
    [run_id] = _every_run(loaded)
    with loaded.sessions() as session, session.begin():
        screened = session.scalars(
            select(ScreenedInput).where(ScreenedInput.run_id == run_id)
        ).all()
        forged = next(s for s in screened if s.matches)
        forged.matches = [[m[0], m[1], m[2] - 0.01] for m in forged.matches]
    report = screening_jobs.replay(loaded, run_id)
    assert not report.identical and report.unexplained
    assert report.differences[0].subject_id == forged.subject_id

    customer_jobs.offboard(
        loaded, "0712.345.630", ended_on=date(2026, 11, 20), reason="gone", refused=True
    )
    move_clock(loaded, datetime(2027, 11, 22, tzinfo=UTC))
    retention_jobs.run(loaded)
    after = screening_jobs.replay(loaded, run_id)
    assert after.erased == 3 and after.replayed == after.subjects - 3
    assert any("erased under retention" in note for note in after.notes)


def test_a_run_that_does_not_exist_is_refused(loaded: Runtime) -> None:
    with pytest.raises(ReplayRefused, match="there is no screening run 999"):
        screening_jobs.replay(loaded, 999)
