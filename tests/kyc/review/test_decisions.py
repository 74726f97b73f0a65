from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from kyc.app import customers as customer_jobs
from kyc.app.runtime import Runtime
from kyc.review.decisions import ReviewError, decide, list_hits
from kyc.review.kinds import DecisionKind
from kyc.store.models import AuditEvent, Decision


def _decide(runtime: Runtime, hit_id: int, reason: str = "other person", reviewer: str = "ana"):
    with runtime.sessions() as session, session.begin():
        return decide(
            session,
            hit_id,
            decision=DecisionKind.TRUE_MATCH,
            reason=reason,
            auditor=runtime.auditor(reviewer),
            now=runtime.clock(),
        )


def test_queue_lists_open_hits_best_first(loaded: Runtime) -> None:
    customer_jobs.rescreen_all(loaded)
    with loaded.sessions() as session:
        hits = list_hits(session)
    assert {h.entry_id for h in hits} == {"900003", "900001"}
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    sokolov = next(h for h in hits if h.entry_id == "900001")
    assert sokolov.subject_name == "Viktor Sokolov" and sokolov.subject_kind == "person"


def test_decision_is_recorded_and_audited_without_its_free_text(loaded: Runtime) -> None:
    customer_jobs.rescreen_all(loaded)
    with loaded.sessions() as session:
        hit = list_hits(session)[0]
    view = _decide(loaded, hit.id, reason="Confirmed with passport copy")
    assert (view.state, view.decision) == ("decided", "true_match")
    with loaded.sessions() as session:
        decision = session.scalars(select(Decision)).one()
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "hit.decided")).one()
    assert (decision.reviewer, decision.reason) == ("ana", "Confirmed with passport copy")
    assert event.actor == "ana" and event.outcome == "true_match"
    assert (
        event.details["reason_sha256"]
        == hashlib.sha256(b"Confirmed with passport copy").hexdigest()
    )
    assert "passport" not in str(event.details)


@pytest.mark.parametrize(
    ("hit_id", "reason", "reviewer", "message"),
    [
        (999, "r", "ana", "there is no hit 999"),
        (None, " ", "ana", "needs a reason"),
        (None, "r", " ", "reviewer"),
    ],
)
def test_incomplete_decisions_are_refused(
    loaded: Runtime, hit_id: int | None, reason: str, reviewer: str, message: str
) -> None:
    customer_jobs.rescreen_all(loaded)
    with loaded.sessions() as session:
        first = list_hits(session)[0].id
    with pytest.raises(ReviewError, match=message):
        _decide(loaded, hit_id or first, reason, reviewer)
