"""Use cases of the review: the queue, one hit, a decision proposed, approved or
rejected (four eyes), a hit taken. The reviewer is an active account of the right
role (``kyc users``); the audit trail records them by name."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TextIO

from sqlalchemy.orm import Session

from kyc.access.accounts import Account, active_user
from kyc.access.roles import Action
from kyc.app.runtime import Runtime
from kyc.purposes import Purpose
from kyc.review import workflow
from kyc.review.cases import CaseView, case_of, companies_of, refresh_statuses
from kyc.review.dashboard import Dashboard, dashboard
from kyc.review.decisions import HistoryStep, HitView, get_hit, hit_history, list_hits
from kyc.review.export import write_decisions
from kyc.review.kinds import DecisionKind
from kyc.review.queue import QueueFilter, QueuePage, customer_of, queue_page
from kyc.rights.restriction import record_access
from kyc.store.db import transaction


def hits(runtime: Runtime, state: str | None) -> list[HitView]:
    """The hits in one state (None: every hit), the highest scores first."""
    with runtime.readers() as session:
        return list_hits(session, state)


def hit(
    runtime: Runtime, hit_id: int, reader: str | None = None
) -> tuple[HitView, list[HistoryStep]]:
    """One hit, its decisions and its history; a read of a restricted subject's hit is
    recorded (by ``reader``, else the settings' actor)."""
    with runtime.readers() as session:
        view, history = get_hit(session, hit_id), hit_history(session, hit_id)
    if view.restricted:
        _record_reads(runtime, [view.subject_id], reader, f"hit {hit_id}")
    return view, history


def _record_reads(runtime: Runtime, subject_ids: list[str], reader: str | None, where: str) -> None:
    with transaction(runtime.sessions) as session:
        for subject_id in subject_ids:
            record_access(
                session,
                subject_id,
                auditor=runtime.auditor(actor=reader),
                purpose=Purpose.REVIEW,
                where=where,
            )


def propose(
    runtime: Runtime,
    hit_id: int,
    *,
    decision: DecisionKind,
    reason: str,
    reviewer: str,
    seen_version: int | None = None,
) -> HitView:
    return _acting(runtime, reviewer, Action.PROPOSE, lambda session, account, now: (
        workflow.propose(
            session, hit_id, decision=decision, reason=reason, reviewer=account,
            auditor=runtime.auditor(actor=account.name), now=now, seen_version=seen_version,
        )
    ))  # fmt: skip


def approve(
    runtime: Runtime, hit_id: int, *, approver: str, seen_version: int | None = None
) -> HitView:
    return _acting(runtime, approver, Action.APPROVE, lambda session, account, now: (
        workflow.approve(
            session, hit_id, approver=account, auditor=runtime.auditor(actor=account.name),
            now=now, seen_version=seen_version,
        )
    ))  # fmt: skip


def reject(
    runtime: Runtime, hit_id: int, *, approver: str, reason: str, seen_version: int | None = None
) -> HitView:
    return _acting(runtime, approver, Action.APPROVE, lambda session, account, now: (
        workflow.reject(
            session, hit_id, approver=account, reason=reason,
            auditor=runtime.auditor(actor=account.name), now=now, seen_version=seen_version,
        )
    ))  # fmt: skip


def _acting(
    runtime: Runtime,
    name: str,
    action: Action,
    act: Callable[[Session, Account, datetime], HitView],
) -> HitView:
    """One step of the review in its own transaction, by the active account ``name``
    (which must be allowed ``action``); the customer's status moves with it."""
    with transaction(runtime.sessions) as session:
        view = act(session, active_user(session, name, action), runtime.clock())
        _refresh_customer(runtime, session, view)
        return view


def take(runtime: Runtime, hit_id: int, *, reviewer: str) -> HitView:
    with transaction(runtime.sessions) as session:
        account = active_user(session, reviewer, Action.ASSIGN)
        return workflow.assign(
            session, hit_id, reviewer=account, auditor=runtime.auditor(actor=account.name),
            now=runtime.clock(),
        )  # fmt: skip


def queue(runtime: Runtime, wanted: QueueFilter) -> QueuePage:
    """One page of the queue, with its counts."""
    with runtime.readers() as session:
        return queue_page(session, wanted, runtime.clock())


def customer_of_hit(runtime: Runtime, subject_id: str) -> str | None:
    """The customer company a hit's subject is or represents (its case)."""
    with runtime.readers() as session:
        return customer_of(session, subject_id)


def export_decisions(
    runtime: Runtime, start: date, end: date, stream: TextIO, *, exported_by: str
) -> int:
    """The decisions of a period as CSV; the export itself is recorded."""
    with transaction(runtime.sessions) as session:
        count = write_decisions(session, start, end, stream)
        runtime.auditor(actor=exported_by).record(
            session,
            action="review.exported",
            purpose=Purpose.AUDIT,
            outcome=f"{count} decisions",
            details={"from": start.isoformat(), "to": end.isoformat()},
        )
        return count


def _refresh_customer(runtime: Runtime, session: Session, view: HitView) -> None:
    """A decision moves the status of the customer whose subject it is about."""
    refresh_statuses(
        session, companies_of(session, [view.subject_id]), auditor=runtime.auditor(),
        now=runtime.clock(),
    )  # fmt: skip


def case(runtime: Runtime, company_id: str, reader: str | None = None) -> CaseView:
    """A customer's case: company, representatives, hits, status and why; a read of a
    restricted subject in it is recorded."""
    with runtime.readers() as session:
        view = case_of(session, company_id, runtime.clock())
    if view.restricted_subjects:
        _record_reads(runtime, view.restricted_subjects, reader, f"case {company_id}")
    return view


def board(runtime: Runtime) -> Dashboard:
    with runtime.readers() as session:
        return dashboard(session, runtime.clock())
