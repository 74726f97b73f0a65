"""What a compliance lead looks at first: open hits by age and by source, decisions per
week and per reviewer, how long a hit waits for its decision, and the rescreens and
list versions of late. Every figure is counted in the database."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from kyc.review.kinds import DecisionStatus
from kyc.screening import HitState
from kyc.store.models import Decision, Hit, ListActivation, ScreeningRun

# Waiting times of open hits, in days: (label, from, until).
AGES = (("under 7 days", 0, 7), ("7 to 30 days", 7, 30), ("30 to 90 days", 30, 90),
        ("90 days or more", 90, None))  # fmt: skip
WEEKS = 12
RECENT = 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


@dataclass(frozen=True)
class Dashboard:
    open_by_age: list[Bar]
    open_by_source: list[Bar]
    decisions_by_week: list[Bar]
    decisions_by_reviewer: list[Bar]
    median_days_to_decision: float | None
    decisions_counted: int
    recent_runs: list[ScreeningRun]
    recent_activations: list[ListActivation]


def dashboard(session: Session, now: datetime) -> Dashboard:
    return Dashboard(
        _open_by_age(session, now),
        _grouped(session, Hit.source),
        _by_week(session, now),
        _grouped_decisions(session),
        *_time_to_decision(session),
        list(session.scalars(select(ScreeningRun).order_by(ScreeningRun.id.desc()).limit(RECENT))),
        list(
            session.scalars(select(ListActivation).order_by(ListActivation.id.desc()).limit(RECENT))
        ),
    )


def _open_by_age(session: Session, now: datetime) -> list[Bar]:
    buckets = [func.sum(case((_aged(now, low, high), 1), else_=0)) for _label, low, high in AGES]
    row = session.execute(select(*buckets).where(Hit.state == HitState.OPEN)).one()
    return [Bar(label, int(count or 0)) for (label, _l, _h), count in zip(AGES, row, strict=True)]


def _aged(now: datetime, low: int, high: int | None) -> ColumnElement[bool]:
    newest = Hit.first_seen_at <= now - timedelta(days=low)
    if high is None:
        return newest
    return newest & (Hit.first_seen_at > now - timedelta(days=high))


def _grouped(session: Session, column: object) -> list[Bar]:
    rows = session.execute(
        select(column, func.count())  # type: ignore[call-overload]
        .where(Hit.state == HitState.OPEN)
        .group_by(column)
        .order_by(func.count().desc())
    ).all()
    return [Bar(str(label), int(count)) for label, count in rows]


def _effective() -> ColumnElement[bool]:
    """Decisions that took effect: approved, or in effect at once."""
    return Decision.status.in_((DecisionStatus.APPROVED, DecisionStatus.EFFECTIVE))


def _by_week(session: Session, now: datetime) -> list[Bar]:
    start = (now - timedelta(days=now.weekday(), weeks=WEEKS - 1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    moments = session.scalars(
        select(Decision.decided_at).where(_effective(), Decision.decided_at >= start)
    ).all()
    counts = [0] * WEEKS
    for moment in moments:
        counts[min(WEEKS - 1, (moment - start).days // 7)] += 1
    return [Bar(f"{(start + timedelta(weeks=i)):%d %b}", count) for i, count in enumerate(counts)]


def _grouped_decisions(session: Session) -> list[Bar]:
    """Decisions per reviewer who proposed or took them, and approvals per approver."""
    proposed = session.execute(
        select(Decision.reviewer, func.count()).group_by(Decision.reviewer)
    ).all()
    approved = session.execute(
        select(Decision.approver, func.count())
        .where(Decision.approver.is_not(None))
        .group_by(Decision.approver)
    ).all()
    bars = [Bar(f"{name}: decided or proposed", int(n)) for name, n in proposed]
    bars += [Bar(f"{name}: approved or rejected", int(n)) for name, n in approved]
    return sorted(bars, key=lambda bar: (-bar.value, bar.label))


def _time_to_decision(session: Session) -> tuple[float | None, int]:
    """The median days from a hit's first sighting to the decision that took effect."""
    rows = session.execute(
        select(Hit.first_seen_at, Decision.decided_at, Decision.approved_at)
        .join(Decision, Decision.hit_id == Hit.id)
        .where(_effective())
    ).all()
    waits = [
        ((approved or decided) - seen).total_seconds() / 86400 for seen, decided, approved in rows
    ]
    return (round(statistics.median(waits), 1) if waits else None), len(waits)
