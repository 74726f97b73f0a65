"""The full rescreen, partition by partition: begun (or resumed), each partition done in
its own transaction (here, in a Prefect task or on a Dask worker), then finished."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kyc.app.contexts import shared_context
from kyc.app.pipeline import RescreenReport, pipeline
from kyc.app.runtime import Runtime
from kyc.progress import SILENT, Stages
from kyc.rescreen import runs
from kyc.rescreen.lease import this_process
from kyc.rescreen.runs import RescreenBusy, RescreenInterrupted, RescreenStale
from kyc.screening import ScreeningOutcome
from kyc.screening_context import ScreeningContext
from kyc.store.customers import all_company_ids
from kyc.store.db import transaction
from kyc.store.models import RescreenRun, ScreeningRun

__all__ = ["RescreenBusy", "RescreenInterrupted", "RescreenStale"]


@dataclass(frozen=True)
class RescreenPlan:
    run_id: int
    partitions: int
    pending: tuple[int, ...]
    resumed: bool
    holder: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RescreenResult:
    run_id: int
    companies: int
    partitions: int
    resumed: int
    verdicts: dict[str, int]
    mandates: dict[str, int]
    screening: ScreeningOutcome
    notes: tuple[str, ...] = field(default=())


def begin(runtime: Runtime, *, resume: bool, restart: bool = False) -> RescreenPlan:
    """A new run, or the interrupted one taken over when ``resume`` (and its lists and
    matcher are still those in force). A run under way elsewhere is never touched."""
    context = shared_context(runtime)  # before the write lock: it can take seconds
    holder, now, auditor = this_process(), runtime.clock(), runtime.auditor()
    lease = timedelta(seconds=runtime.settings.rescreen_lease_seconds)
    notes: list[str] = []
    try:
        with transaction(runtime.sessions) as session:
            run = runs.unfinished_run(session)
            if run is not None:
                described = runs.describe(session, run)
                runs.refuse_if_held(run, described, now, lease)
                if not (resume or restart):
                    raise RescreenInterrupted(
                        f"{described} was interrupted: `kyc rescreen --resume` finishes it, "
                        "`kyc rescreen --restart` abandons it and starts over"
                    )
                stale = None if restart else _stale(session, run, context, runtime)
                if resume and not restart and stale is None:
                    runs.take_over(session, run, holder, auditor=auditor, now=now)
                    pending = runs.pending_partitions(session, run.id)
                    return RescreenPlan(run.id, run.partitions, tuple(pending), True, holder)
                reason = "restarted on request" if restart else str(stale)
                runs.abandon(session, run, reason, auditor=auditor, now=now)
                notes.append(f"{described} abandoned: {reason}")
            return _start(runtime, session, context, holder, tuple(notes))
    except IntegrityError as error:
        raise RescreenBusy(
            "another rescreen began at the same moment: wait for it to end"
        ) from error


def _start(
    runtime: Runtime,
    session: Session,
    context: ScreeningContext,
    holder: str,
    notes: tuple[str, ...],
) -> RescreenPlan:
    auditor = runtime.auditor()
    screening = pipeline(runtime, session, context=context, auditor=auditor).start_screening(
        "rescreen"
    )
    run = runs.start_run(
        session,
        screening_run_id=screening.id,
        company_ids=all_company_ids(session),
        size=runtime.settings.rescreen_partition_size,
        holder=holder,
        auditor=auditor,
        now=runtime.clock(),
    )
    pending = tuple(range(run.partitions))
    return RescreenPlan(run.id, run.partitions, pending, False, holder, notes)


def _stale(
    session: Session, run: RescreenRun, context: ScreeningContext, runtime: Runtime
) -> RescreenStale | None:
    screening = session.get_one(ScreeningRun, run.screening_run_id)
    matcher = context.matcher
    if screening.list_versions != context.versions_ref:
        return RescreenStale("a list version was activated since it began")
    if (screening.matcher_version, screening.matcher_parameters) != (
        matcher.version,
        matcher.parameters,
    ) or screening.threshold != runtime.settings.review_threshold:
        return RescreenStale("the matcher or its settings changed since it began")
    return None


def rescreen_partition(runtime: Runtime, run_id: int, number: int) -> dict[str, Any] | None:
    """Verify, check, screen and commit one partition, with its hits, checks and events,
    in one transaction. None when it was committed before (a retried task)."""
    context = shared_context(runtime)
    auditor = runtime.auditor().deferred()
    with transaction(runtime.sessions) as session:
        partition = runs.claim(session, run_id, number)
        if partition is None:
            return None
        run = session.get_one(RescreenRun, run_id)
        screening = session.get_one(ScreeningRun, run.screening_run_id)
        stale = _stale(session, run, context, runtime)
        if stale is not None:
            raise RescreenStale(f"rescreen run {run_id}: {stale}; start a new rescreen")
        stages = Stages(f"rescreen partition {number}", SILENT)
        work = pipeline(runtime, session, stages, context=context, auditor=auditor)
        report = work.rescreen_companies(runs.partition_companies(session, partition), screening)
        counts = _counts(report)
        runs.commit_partition(session, partition, counts, auditor=auditor, now=runtime.clock())
        auditor.write(session)
        return counts


def _counts(report: RescreenReport) -> dict[str, Any]:
    screening = report.screening
    return {
        "companies": sum(report.verdicts.values()),
        "verdicts": report.verdicts,
        "mandates": report.mandates,
        "subjects": screening.subjects,
        "matches": screening.matches,
        "opened": screening.opened,
        "reopened": screening.reopened,
        "closed": screening.closed,
        "still_decided": screening.still_decided,
    }


def finish(runtime: Runtime, run_id: int, notes: tuple[str, ...] = ()) -> RescreenResult:
    """Close the run once every partition is committed: its totals, its last events."""
    with transaction(runtime.sessions) as session:
        run = session.get_one(RescreenRun, run_id)
        screening = session.get_one(ScreeningRun, run.screening_run_id)
        counts = runs.committed_counts(session, run_id)
        outcome = ScreeningOutcome(run_id=screening.id)
        verdicts: Counter[str] = Counter()
        mandates: Counter[str] = Counter()
        for part in counts:
            _merge(outcome, part)
            verdicts.update(part["verdicts"])
            mandates.update(part["mandates"])
        if run.state == runs.RUNNING:
            pipeline(runtime, session, context=shared_context(runtime)).finish_screening(
                screening, outcome
            )
            runs.complete(session, run, auditor=runtime.auditor(), now=runtime.clock())
        return RescreenResult(
            run.id, run.companies, run.partitions, run.resumed, dict(verdicts), dict(mandates),
            outcome, notes,
        )  # fmt: skip


def _merge(outcome: ScreeningOutcome, part: dict[str, Any]) -> None:
    outcome.subjects += part["subjects"]
    outcome.matches += part["matches"]
    outcome.opened += part["opened"]
    outcome.reopened += part["reopened"]
    outcome.closed += part["closed"]
    outcome.still_decided += part["still_decided"]


def rescreen_all(
    runtime: Runtime, *, resume: bool = False, restart: bool = False
) -> RescreenResult:
    """The whole run in this process, one partition after the other (the command; the
    flow fans the partitions out as tasks)."""
    stages = runtime.stages("rescreen")
    with stages:
        stages.begin("loading the lists and the matcher")
        plan = begin(runtime, resume=resume, restart=restart)
        for note in plan.notes:
            stages.step("%s", note)
        stages.begin("partitions", plan.partitions, "partitions")
        stages.advance(plan.partitions - len(plan.pending))
        with released_on_failure(runtime, plan):
            for number in plan.pending:
                counts = rescreen_partition(runtime, plan.run_id, number)
                stages.advance()
                if counts is not None:
                    stages.step(partition_line(number, plan.partitions, counts))
        stages.begin("finishing the run")
        return finish(runtime, plan.run_id, plan.notes)


@contextmanager
def released_on_failure(runtime: Runtime, plan: RescreenPlan) -> Iterator[None]:
    """A failure seen here gives the run up: the next rescreen resumes it without waiting
    (a process killed outright cannot; the next sees it is gone)."""
    try:
        yield
    except BaseException:
        give_up(runtime, plan)
        raise


def partition_line(number: int, partitions: int, counts: dict[str, Any]) -> str:
    return (
        f"partition {number + 1} of {partitions} committed: {counts['companies']} companies, "
        f"{counts['subjects']} subjects, {len(counts['opened'])} new hits, "
        f"{len(counts['closed'])} closed"
    )


def give_up(runtime: Runtime, plan: RescreenPlan) -> None:
    """Release the run after a failure (the flow's partitions failed for good)."""
    with transaction(runtime.sessions) as session:
        runs.release(session, plan.run_id, plan.holder)


def progress(runtime: Runtime, run_id: int) -> runs.Progress:
    """How far the run has come (partitions committed, subjects, hits)."""
    with runtime.readers() as session:
        return runs.progress(session, session.get_one(RescreenRun, run_id))
