"""Decisions of a period as CSV, for an auditor: who proposed what and why, who
approved or rejected it and when, on which hit (subjects by their pseudonymous ids)."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, time, timedelta
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.store.models import Decision, Hit, Subject

COLUMNS = (
    "decision_id", "hit_id", "subject_id", "subject_kind", "source", "entry_id",
    "listed_name", "score", "list_version_id", "matcher", "decision", "status",
    "proposed_by", "proposed_at", "reason", "approver", "approved_at", "rejection_reason",
    "subject_restricted",
)  # fmt: skip


def write_decisions(session: Session, start: date, end: date, stream: TextIO) -> int:
    """Every decision made from ``start`` to ``end`` (both days included, UTC) as CSV
    rows; the number written. Reasons were refused when they held a national number."""
    since = datetime.combine(start, time(), UTC)
    until = datetime.combine(end + timedelta(days=1), time(), UTC)
    rows = session.execute(
        select(Decision, Hit, Subject.kind, Subject.restricted_since)
        .join(Hit, Hit.id == Decision.hit_id)
        .join(Subject, Subject.id == Hit.subject_id)
        .where(Decision.decided_at >= since, Decision.decided_at < until)
        .order_by(Decision.decided_at, Decision.id)
    )
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    count = 0
    for decision, hit, kind, restricted_since in rows:
        writer.writerow([
            decision.id, hit.id, hit.subject_id, kind, hit.source, hit.entry_id,
            _cell(hit.matched_name), f"{hit.score:.3f}", hit.list_version_id,
            f"{hit.matcher} {hit.matcher_version}", decision.decision, decision.status,
            decision.reviewer, _when(decision.decided_at), _cell(decision.reason),
            decision.approver or "", _when(decision.approved_at),
            _cell(decision.rejection_reason or ""), "yes" if restricted_since else "",
        ])  # fmt: skip
        count += 1
    return count


def _when(moment: datetime | None) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else ""


def _cell(text: str) -> str:
    """A cell a spreadsheet shows as text: one beginning with = + - @ would be read as a
    formula (list names and reasons are anybody's text)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
