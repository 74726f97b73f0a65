"""The auditor's report over a period, from the trail and the records it proves: events by
purpose and action, each screening with the list versions in force (publication date,
SHA-256) and the matcher version and threshold, hits and checks decided with reviewers
and times, data subjects' requests and their outcome, retention runs, and whether the
chain and its checkpoints verify."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kyc.store.models import AuditEvent, CheckDecision, Decision, Hit, ScreeningRun
from kyc.trail import TrailReport

_REQUESTS = (
    "privacy.subject_sought",
    "privacy.access_exported",
    "privacy.rectification_requested",
    "privacy.restriction_requested",
    "privacy.unrestriction_requested",
    "privacy.erasure_requested",
)


def audit_report(
    session: Session, start: datetime, end: datetime, trail: TrailReport, now: datetime
) -> dict[str, Any]:
    """Everything from ``start`` (included) to ``end`` (excluded)."""
    return {
        "period": {"from": start, "to": end, "generated_at": now},
        "verification": {
            "result": "verified" if trail.ok else "FAILED",
            "events_in_chain": trail.chain.events,
            "signed_checkpoints": trail.checkpoints,
            "findings": " · ".join(trail.lines()),
        },
        "events_by_purpose_and_action": _events(session, start, end),
        "screenings": _screenings(session, start, end),
        "hit_decisions": _decisions(session, start, end),
        "check_decisions": _check_decisions(session, start, end),
        "data_subject_requests": _requests(session, start, end),
        "retention_runs": _retention_runs(session, start, end),
    }


def _in(column: Any, start: datetime, end: datetime) -> Any:
    return (column >= start) & (column < end)


def _events(session: Session, start: datetime, end: datetime) -> list[dict[str, Any]]:
    rows = session.execute(
        select(AuditEvent.purpose, AuditEvent.action, AuditEvent.legal_basis, func.count())
        .where(_in(AuditEvent.occurred_at, start, end))
        .group_by(AuditEvent.purpose, AuditEvent.action, AuditEvent.legal_basis)
        .order_by(AuditEvent.purpose, AuditEvent.action)
    )
    return [
        {"purpose": purpose, "action": action, "events": count, "legal_basis": basis}
        for purpose, action, basis, count in rows
    ]


def _screenings(session: Session, start: datetime, end: datetime) -> list[dict[str, Any]]:
    runs = session.scalars(
        select(ScreeningRun)
        .where(_in(ScreeningRun.started_at, start, end))
        .order_by(ScreeningRun.id)
    )
    return [
        {
            "run_id": run.id,
            "kind": run.kind,
            "started_at": run.started_at,
            "finished_at": run.finished_at,
            "by": run.actor,
            "matcher": f"{run.matcher}/{run.matcher_version}",
            "threshold": run.threshold,
            "lists_in_force": "; ".join(
                f"{source} version {ref.get('version_id')} published "
                f"{ref.get('published_at') or 'unknown'} sha256 {ref.get('sha256')}"
                for source, ref in sorted(run.list_versions.items())
            ),
            "subjects": run.subjects_screened,
            "hits": run.hits_found,
        }
        for run in runs
    ]


def _decisions(session: Session, start: datetime, end: datetime) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Decision, Hit)
        .join(Hit, Hit.id == Decision.hit_id)
        .where(_in(Decision.decided_at, start, end))
        .order_by(Decision.id)
    )
    return [
        {
            "hit_id": hit.id,
            "subject_id": hit.subject_id,
            "entry": f"{hit.source} {hit.entry_id}",
            "score": round(hit.score, 3),
            "decision": decision.decision,
            "status": decision.status,
            "reviewer": decision.reviewer,
            "decided_at": decision.decided_at,
            "approver": decision.approver,
            "approved_at": decision.approved_at,
        }
        for decision, hit in rows
    ]


def _check_decisions(session: Session, start: datetime, end: datetime) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(CheckDecision)
        .where(_in(CheckDecision.decided_at, start, end))
        .order_by(CheckDecision.id)
    )
    return [
        {
            "check": f"{d.kind} {d.check_id}",
            "company": d.company_subject_id,
            "person": d.person_subject_id,
            "decision": d.decision,
            "status": d.status,
            "reviewer": d.reviewer,
            "decided_at": d.decided_at,
            "approver": d.approver,
            "approved_at": d.approved_at,
        }
        for d in rows
    ]


def _requests(session: Session, start: datetime, end: datetime) -> list[dict[str, Any]]:
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action.in_(_REQUESTS), _in(AuditEvent.occurred_at, start, end))
        .order_by(AuditEvent.seq)
    )
    return [
        {
            "at": e.occurred_at,
            "request": e.action.removeprefix("privacy."),
            "subject": e.subject_ref,
            "named_by": e.details.get("named_by"),
            "outcome": e.outcome,
            "by": e.actor,
        }
        for e in events
    ]


def _retention_runs(session: Session, start: datetime, end: datetime) -> list[dict[str, Any]]:
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "retention.run", _in(AuditEvent.occurred_at, start, end))
        .order_by(AuditEvent.seq)
    )
    return [
        {
            "at": e.occurred_at,
            "as_of": e.details.get("as_of"),
            "companies": e.details.get("companies"),
            "persons": e.details.get("persons"),
            "kept_under_restriction": e.details.get("kept_under_restriction"),
            "rows": e.details.get("rows"),
        }
        for e in events
    ]
