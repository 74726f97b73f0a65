"""Use cases of screening: what an activation changed, and an ad-hoc batch file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.app.runtime import Runtime, matcher_builder
from kyc.batch import BatchInput, BatchSummary, check_input, screen_batch
from kyc.lists import versions_ref
from kyc.matching.base import IndexedList, Matcher
from kyc.model import ScreeningSubject
from kyc.progress import Stages
from kyc.purposes import Purpose
from kyc.replay import MatcherFactory, ReplayReport, replay_run
from kyc.review.cases import companies_of, refresh_statuses
from kyc.rights.restriction import screenable
from kyc.screening import Screener, ScreeningOutcome, subjects_with_hits
from kyc.screening_context import DeltaScope, open_delta_context, open_matcher
from kyc.settings import Settings
from kyc.store.customers import customer_count, customers_among
from kyc.store.db import transaction
from kyc.store.models import Hit, ListVersion, ScreeningRun


def delta_rescreen(runtime: Runtime, change_set_id: int) -> ScreeningOutcome:
    """Screen the customers against what one activation added or changed only (those
    its entries could reach: kyc.matching.reverse), and close the hits on entries it
    removed. Once per change set: asked again (an event delivered twice), it answers
    with the run that did it, and writes nothing."""
    done = delta_run_of(runtime, change_set_id)
    if done is not None:
        return done
    stages = runtime.stages(f"delta screening of change set {change_set_id}")
    with stages:
        index_names(runtime, stages)
        with transaction(runtime.sessions) as session:
            stages.begin("indexing what changed")
            context = open_delta_context(session, change_set_id, matcher_builder(runtime.settings))
            stages.begin("finding the customers it could reach")
            context.delta, customers = _reach(session, context.delta, runtime.settings)
            screener = Screener(
                session,
                context,
                runtime.auditor(),
                runtime.settings.review_threshold,
                runtime.clock(),
                stages,
            )
            purposes = runtime.settings.purposes
            outcome = screener.run(
                screenable(session, customers, purposes, screener.auditor), kind="delta"
            )
            stages.begin("customer statuses")
            moved = [*outcome.opened, *outcome.reopened, *outcome.closed]
            subjects = session.scalars(select(Hit.subject_id).where(Hit.id.in_(moved))).all()
            refresh_statuses(
                session, companies_of(session, subjects), auditor=runtime.auditor(),
                now=runtime.clock(),
            )  # fmt: skip
            stages.begin("committing")
            return outcome


def index_names(runtime: Runtime, stages: Stages) -> int:
    """Index the customers' names queued since the last delta, each batch committed on
    its own (a whole customer base at once would be one transaction of gigabytes);
    how many."""
    from kyc.store.name_search import index_batch, queued

    with runtime.readers() as session:
        stages.begin("indexing the customers' names", queued(session), "subjects")
    done = 0
    while True:
        with transaction(runtime.sessions) as session:
            indexed = index_batch(session)
        if not indexed:
            return done
        done += indexed
        stages.advance(indexed)


def _reach(
    session: Session, delta: DeltaScope | None, settings: Settings
) -> tuple[DeltaScope, list[ScreeningSubject]]:
    """The customers the activation's entries could reach (kyc.matching.reverse), and
    those holding a hit on an entry it changed or removed (the hit may close): no other
    customer can come out of the delta screening any different."""
    # The matcher's numerical libraries load only for the screening (see test_start).
    from kyc.matching.reverse import Probes
    from kyc.store.name_search import reached_subjects

    assert delta is not None, "a delta screening has a delta scope"
    probes = Probes.of(delta.entries, settings.weights(), settings.review_threshold)
    found = reached_subjects(session, probes)
    found |= subjects_with_hits(session, delta.source, delta.screened | delta.removed)
    customers = customers_among(session, found)
    scope = replace(delta, customers=customer_count(session), reached=len(customers))
    return scope, customers


def delta_run_of(runtime: Runtime, change_set_id: int) -> ScreeningOutcome | None:
    """The delta screening already made of ``change_set_id``, if any (its counts only)."""
    with runtime.readers() as session:
        runs = session.scalars(
            select(ScreeningRun)
            .where(ScreeningRun.kind == "delta")
            .order_by(ScreeningRun.id.desc())
        )
        for run in runs:
            if (run.scope or {}).get("change_set_id") == change_set_id:
                return ScreeningOutcome(run.id, run.subjects_screened, run.hits_found)
    return None


def screen_batch_file(
    runtime: Runtime,
    input_path: Path,
    out_path: Path,
    *,
    threshold: float,
) -> BatchSummary:
    """Screen an ad-hoc CSV against the active lists; only a summary goes to the audit trail."""
    stages = runtime.stages(f"batch screening of {input_path.name}")
    with stages:
        stages.begin("checking the file")
        checked = check_input(input_path)
        stages.begin("loading the matcher")
        with runtime.readers() as session:
            matcher, versions = open_matcher(
                session,
                runtime.settings.list_sources,
                matcher_builder(runtime.settings),
                runtime.stored_matchers(),
            )
        stages.begin("screening", checked.rows, "rows")
        summary = screen_batch(
            checked, out_path, matcher, threshold, stages.advance, runtime.settings.screen_workers
        )
    _audit_batch(runtime, checked, summary, threshold, matcher, versions)
    return summary


def _audit_batch(
    runtime: Runtime,
    checked: BatchInput,
    summary: BatchSummary,
    threshold: float,
    matcher: Matcher,
    versions: dict[str, ListVersion],
) -> None:
    with transaction(runtime.sessions) as session:
        runtime.auditor().record(
            session,
            action="screening.batch",
            purpose=Purpose.SANCTIONS_SCREENING,
            outcome="completed",
            subject_ref=f"batch:{checked.sha256[:16]}",
            list_versions=versions_ref(versions),
            matcher_version=f"{matcher.name}/{matcher.version}",
            details={
                "input_sha256": checked.sha256,
                "rows": summary.rows,
                "hits": summary.hits,
                "threshold": threshold,
            },
        )


def replay(runtime: Runtime, run_id: int) -> ReplayReport:
    """Screen a past run's inputs again, with its list versions and matcher parameters;
    the comparison goes into the audit trail (purpose ``audit``)."""
    stages = runtime.stages(f"replay of screening run {run_id}")
    with stages, transaction(runtime.sessions) as session:
        stages.begin("replaying")
        report = replay_run(session, run_id, _matcher_with(runtime))
        runtime.auditor().record(
            session,
            action="screening.replayed",
            purpose=Purpose.AUDIT,
            outcome="identical" if report.identical else "different",
            subject_ref=f"run:{run_id}",
            details={
                "run_id": run_id,
                "subjects": report.subjects,
                "replayed": report.replayed,
                "erased": report.erased,
                "differences": len(report.differences),
                "unexplained": len(report.unexplained),
            },
        )
        return report


def _matcher_with(runtime: Runtime) -> MatcherFactory:
    """The installed matcher, with the weights a run stored (else the settings')."""
    from kyc.matching.engine import build_matcher
    from kyc.weights import Weights

    def build(lists: Sequence[IndexedList], parameters: Mapping[str, Any] | None) -> Matcher:
        if parameters and "weights" in parameters:
            return build_matcher(lists, Weights(**parameters["weights"]))
        return build_matcher(lists, runtime.settings.weights())

    return build
