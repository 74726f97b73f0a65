"""Use cases of screening: what an activation changed, and an ad-hoc batch file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from kyc.app.runtime import Runtime, matcher_builder
from kyc.batch import BatchSummary, check_input, screen_batch
from kyc.lists import versions_ref
from kyc.review.cases import companies_of, refresh_statuses
from kyc.screening import Screener, ScreeningOutcome, open_delta_context, open_matcher
from kyc.settings import Purpose
from kyc.store.customers import all_company_ids, customer_subjects
from kyc.store.db import transaction
from kyc.store.models import Hit


def delta_rescreen(runtime: Runtime, change_set_id: int) -> ScreeningOutcome:
    """Screen every customer against what one activation added or changed only, and close
    the hits on entries it removed."""
    with transaction(runtime.sessions) as session:
        context = open_delta_context(session, change_set_id, matcher_builder(runtime.settings))
        screener = Screener(
            session, context, runtime.auditor(), runtime.settings.review_threshold, runtime.clock()
        )
        outcome = screener.run(customer_subjects(session, all_company_ids(session)), kind="delta")
        moved = [*outcome.opened, *outcome.reopened, *outcome.closed]
        subjects = session.scalars(select(Hit.subject_id).where(Hit.id.in_(moved))).all()
        refresh_statuses(
            session, companies_of(session, subjects), auditor=runtime.auditor(),
            now=runtime.clock(),
        )  # fmt: skip
        return outcome


def screen_batch_file(
    runtime: Runtime,
    input_path: Path,
    out_path: Path,
    *,
    threshold: float,
    on_start: Callable[[int], None] = lambda rows: None,
    on_rows: Callable[[int], None] = lambda rows: None,
) -> BatchSummary:
    """Screen an ad-hoc CSV against the active lists; only a summary goes to the audit trail."""
    checked = check_input(input_path)
    on_start(checked.rows)
    with runtime.readers() as session:
        matcher, versions = open_matcher(
            session,
            runtime.settings.list_sources,
            matcher_builder(runtime.settings),
            runtime.stored_matchers(),
        )
    summary = screen_batch(
        checked, out_path, matcher, threshold, on_rows, runtime.settings.screen_workers
    )
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
    return summary
