"""Use cases of the review: the queue, one hit, an analyst's decision."""

from __future__ import annotations

from kyc.app.runtime import Runtime
from kyc.review.decisions import HitView, decide, get_hit, list_hits
from kyc.review.kinds import DecisionKind
from kyc.store.db import transaction


def hits(runtime: Runtime, state: str | None) -> list[HitView]:
    """The hits in one state (None: every hit), the highest scores first."""
    with runtime.readers() as session:
        return list_hits(session, state)


def hit(runtime: Runtime, hit_id: int) -> HitView:
    with runtime.readers() as session:
        return get_hit(session, hit_id)


def decide_hit(
    runtime: Runtime, hit_id: int, *, decision: DecisionKind, reason: str, reviewer: str
) -> HitView:
    with transaction(runtime.sessions) as session:
        return decide(
            session,
            hit_id,
            decision=decision,
            reason=reason,
            auditor=runtime.auditor(actor=reviewer),
            now=runtime.clock(),
        )
