"""The full rescreen in partitions: resumed after a crash, it ends as an uninterrupted
run would have; a run under way is never joined; a stale one is abandoned."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from kyc.app import lists as list_jobs
from kyc.app import rescreen as rescreen_jobs
from kyc.app.pipeline import Pipeline
from kyc.app.runtime import Runtime
from kyc.rescreen.runs import RescreenBusy, RescreenInterrupted
from kyc.store.models import AuditEvent, RescreenPartition, RescreenRun
from tests.clock import StepClock
from tests.conftest import SAMPLES
from tests.rescreen_support import assert_same, load_many, what_a_rescreen_left

# The customer base of this module's ``twins`` (tests/conftest.py).
COMPANIES, SIZE = 40, 4


def _dies_in_partition(monkeypatch: pytest.MonkeyPatch, dying: int) -> None:
    """The process fails in the middle of partition ``dying``: its checks and hits are
    in the session, not committed."""
    real = Pipeline.rescreen_companies
    calls = {"n": 0}

    def failing(self: Pipeline, company_ids: list[str], run: object) -> object:
        report = real(self, company_ids, run)  # type: ignore[arg-type]
        calls["n"] += 1
        if calls["n"] == dying:
            raise RuntimeError("the machine went down")
        return report

    monkeypatch.setattr(Pipeline, "rescreen_companies", failing)


def test_a_run_resumed_after_a_crash_ends_as_an_uninterrupted_one(
    twins: tuple[Runtime, Runtime], monkeypatch: pytest.MonkeyPatch
) -> None:
    whole, crashed = twins
    uninterrupted = rescreen_jobs.rescreen_all(whole)
    assert uninterrupted.partitions == COMPANIES // SIZE
    _dies_in_partition(monkeypatch, 4)
    with pytest.raises(RuntimeError, match="went down"):
        rescreen_jobs.rescreen_all(crashed)
    monkeypatch.undo()
    assert rescreen_jobs.progress(crashed, 1).done == 3
    # Without a word of what to do, the interrupted run is neither resumed nor dropped.
    with pytest.raises(RescreenInterrupted, match=r"3 of 10 partitions.*--resume.*--restart"):
        rescreen_jobs.rescreen_all(crashed)
    resumed = rescreen_jobs.rescreen_all(crashed, resume=True)
    assert (resumed.run_id, resumed.resumed) == (uninterrupted.run_id, 1)
    assert resumed.screening.subjects == uninterrupted.screening.subjects
    # (hit ids may differ: PostgreSQL does not give back the ids of a rolled-back insert)
    assert len(resumed.screening.opened) == len(uninterrupted.screening.opened) > 0
    assert resumed.verdicts == uninterrupted.verdicts
    assert resumed.mandates == uninterrupted.mandates
    left, right = what_a_rescreen_left(whole), what_a_rescreen_left(crashed)
    assert left["hits"] and left["chain_ok"] and right["chain_ok"]
    assert_same(left, right)
    with crashed.readers() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("rescreen.%"))
        )
        assert list(actions).count("rescreen.resumed") == 1


def test_a_committed_partition_is_not_done_twice(runtime: Runtime, tmp_path: Path) -> None:
    load_many(runtime, 12, tmp_path)
    runtime.settings = runtime.settings.model_copy(update={"rescreen_partition_size": 5})
    plan = rescreen_jobs.begin(runtime, resume=False)
    assert plan.partitions == 3
    first = rescreen_jobs.rescreen_partition(runtime, plan.run_id, 0)
    assert first is not None and first["companies"] == 5
    with runtime.readers() as session:
        events = session.scalar(select(func.count()).select_from(AuditEvent))
    # A retried task (or a worker that committed before it died): nothing more is written.
    assert rescreen_jobs.rescreen_partition(runtime, plan.run_id, 0) is None
    with runtime.readers() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_a_run_under_way_is_not_joined(runtime: Runtime, tmp_path: Path) -> None:
    load_many(runtime, 6, tmp_path)
    plan = rescreen_jobs.begin(runtime, resume=False)  # held by this (living) process
    for resume in (False, True):
        with pytest.raises(RescreenBusy, match=r"rescreen run 1 .* is under way in process"):
            rescreen_jobs.begin(runtime, resume=resume)
    with pytest.raises(RescreenBusy):
        rescreen_jobs.begin(runtime, resume=False, restart=True)
    # A holder on another machine is presumed alive until silent for the lease.
    with runtime.sessions() as session, session.begin():
        session.execute(update(RescreenRun).values(holder="elsewhere/4242/abcd"))
    with pytest.raises(RescreenBusy, match="process 4242 on elsewhere"):
        rescreen_jobs.begin(runtime, resume=True)
    lease = timedelta(seconds=runtime.settings.rescreen_lease_seconds)
    assert isinstance(runtime.clock, StepClock)
    runtime.clock.now += lease
    taken = rescreen_jobs.begin(runtime, resume=True)
    assert (taken.run_id, taken.resumed, taken.pending) == (plan.run_id, True, plan.pending)


def test_a_run_whose_lists_changed_is_abandoned_and_started_again(
    runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_many(runtime, 10, tmp_path)
    runtime.settings = runtime.settings.model_copy(update={"rescreen_partition_size": 3})
    _dies_in_partition(monkeypatch, 2)
    with pytest.raises(RuntimeError):
        rescreen_jobs.rescreen_all(runtime)
    monkeypatch.undo()
    list_jobs.import_list(runtime, "eu", SAMPLES / "lists_update" / "eu_sample_2026-11-21.xml")
    result = rescreen_jobs.rescreen_all(runtime, resume=True)
    assert result.run_id == 2 and result.resumed == 0
    assert (
        result.notes == (result.notes[0],)
        and "rescreen run 1" in result.notes[0]
        and result.notes[0].endswith("abandoned: a list version was activated since it began")
    )
    with runtime.readers() as session:
        states = dict(session.execute(select(RescreenRun.id, RescreenRun.state)).all())
        assert states == {1: "abandoned", 2: "completed"}
        done = session.scalar(
            select(func.count()).where(
                RescreenPartition.run_id == 2, RescreenPartition.state == "done"
            )
        )
        assert done == 4


def test_restart_abandons_the_interrupted_run(runtime: Runtime, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    load_many(runtime, 8, tmp_path)
    runtime.settings = runtime.settings.model_copy(update={"rescreen_partition_size": 3})
    _dies_in_partition(monkeypatch, 1)
    with pytest.raises(RuntimeError):
        rescreen_jobs.rescreen_all(runtime)
    monkeypatch.undo()
    result = rescreen_jobs.rescreen_all(runtime, restart=True)
    assert result.run_id == 2 and "abandoned: restarted on request" in result.notes[0]
    assert result.companies == 8 and result.screening.subjects > 8


def test_no_customer_is_one_empty_partition(runtime: Runtime) -> None:
    list_jobs.import_list(runtime, "eu", SAMPLES / "lists" / "eu_sample.xml")
    result = rescreen_jobs.rescreen_all(runtime)
    assert (result.partitions, result.companies, result.screening.subjects) == (1, 0, 0)
