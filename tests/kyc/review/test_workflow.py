"""Four eyes: an analyst proposes, a different approver approves or rejects; escalate
takes effect at once; two people acting on one hit at once: one wins, the other is told."""

from __future__ import annotations

import hashlib
import threading

import pytest
from sqlalchemy import select

from kyc.access.accounts import AccountError
from kyc.access.roles import NotAllowed
from kyc.app import rescreen as rescreen_jobs
from kyc.app import review as review_jobs
from kyc.app.audit import verify_audit_chain
from kyc.app.runtime import Runtime
from kyc.model import MAX_REASON
from kyc.review.decisions import ReviewError
from kyc.review.kinds import DecisionKind
from kyc.review.workflow import ChangedMeanwhile
from kyc.store.models import AuditEvent, Decision

FALSE_POSITIVE = DecisionKind.FALSE_POSITIVE


@pytest.fixture
def queue(loaded: Runtime, reviewers: Runtime) -> tuple[Runtime, int]:
    rescreen_jobs.rescreen_all(loaded)
    return loaded, review_jobs.hits(loaded, "open")[0].id


def _propose(runtime: Runtime, hit_id: int, reviewer: str = "ana", **kwargs: object) -> object:
    return review_jobs.propose(
        runtime, hit_id, decision=FALSE_POSITIVE, reason="other birth date", reviewer=reviewer,
        **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


def test_a_proposal_takes_effect_when_another_person_approves(queue: tuple[Runtime, int]) -> None:
    runtime, hit_id = queue
    proposed = _propose(runtime, hit_id)
    assert (proposed.state, proposed.decision) == ("proposed", None)  # type: ignore[attr-defined]
    assert hit_id not in {h.id for h in review_jobs.hits(runtime, "open")}
    view = review_jobs.approve(runtime, hit_id, approver="bob")
    assert (view.state, view.decision) == ("decided", "false_positive")
    with runtime.readers() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("hit.%")).order_by(AuditEvent.seq)
        ).all()
    proposed_event, decided_event = [e for e in events if e.details.get("hit_id") == hit_id][-2:]
    assert (proposed_event.action, proposed_event.actor) == ("hit.proposed", "ana")
    assert (decided_event.action, decided_event.actor) == ("hit.decided", "bob")
    assert decided_event.details["proposed_by"] == "ana"
    digest = hashlib.sha256(b"other birth date").hexdigest()
    assert decided_event.details["reason_sha256"] == digest
    assert "birth" not in str(decided_event.details)
    assert verify_audit_chain(runtime).ok


def test_nobody_approves_their_own_proposal(queue: tuple[Runtime, int]) -> None:
    runtime, hit_id = queue
    _propose(runtime, hit_id, reviewer="bob")  # an approver may propose…
    with pytest.raises(ReviewError, match="four eyes"):
        review_jobs.approve(runtime, hit_id, approver="bob")  # …never approve it
    assert review_jobs.approve(runtime, hit_id, approver="carl").state == "decided"


def test_a_rejected_proposal_goes_back_to_the_queue(queue: tuple[Runtime, int]) -> None:
    runtime, hit_id = queue
    _propose(runtime, hit_id)
    view = review_jobs.reject(runtime, hit_id, approver="bob", reason="birth date unknown")
    assert (view.state, view.decision) == ("open", None)
    assert hit_id in {h.id for h in review_jobs.hits(runtime, "open")}
    with runtime.readers() as session:
        decision = session.scalars(select(Decision)).one()
    assert (decision.status, decision.rejection_reason) == ("rejected", "birth date unknown")


def test_escalate_needs_no_approval_and_keeps_the_hit_in_the_queue(
    queue: tuple[Runtime, int],
) -> None:
    runtime, hit_id = queue
    view = review_jobs.propose(
        runtime, hit_id, decision=DecisionKind.ESCALATE, reason="need a senior", reviewer="ana"
    )
    assert (view.state, view.escalated, view.pending) == ("open", True, None)


@pytest.mark.parametrize(
    ("action", "who", "error"),
    [
        ("propose", "aud", NotAllowed),  # an auditor changes nothing
        ("approve", "ana", NotAllowed),  # an analyst does not approve
        ("propose", "nobody", AccountError),  # no such account
    ],
)
def test_roles_are_enforced(
    queue: tuple[Runtime, int], action: str, who: str, error: type[Exception]
) -> None:
    runtime, hit_id = queue
    if action == "approve":
        _propose(runtime, hit_id, reviewer="bob")
    with pytest.raises(error):
        if action == "propose":
            _propose(runtime, hit_id, reviewer=who)
        else:
            review_jobs.approve(runtime, hit_id, approver=who)


@pytest.mark.parametrize(
    ("reason", "message"), [(" ", "needs a reason"), ("x" * (MAX_REASON + 1), "at most")]
)
def test_a_reason_is_required_and_bounded(
    queue: tuple[Runtime, int], reason: str, message: str
) -> None:
    runtime, hit_id = queue
    with pytest.raises(ReviewError, match=message):
        review_jobs.propose(runtime, hit_id, decision=FALSE_POSITIVE, reason=reason, reviewer="ana")


def test_a_missing_hit_is_named(queue: tuple[Runtime, int]) -> None:
    runtime, _hit = queue
    with pytest.raises(ReviewError, match="there is no hit 999"):
        _propose(runtime, 999)


def test_what_the_reviewer_saw_must_still_be_the_hit(queue: tuple[Runtime, int]) -> None:
    runtime, hit_id = queue
    seen = review_jobs.hit(runtime, hit_id)[0].version
    _propose(runtime, hit_id, reviewer="bob", seen_version=seen)
    with pytest.raises(ChangedMeanwhile, match="changed by someone else"):
        _propose(runtime, hit_id, reviewer="ana", seen_version=seen)


def test_two_reviewers_at_once_one_wins_the_other_is_told(queue: tuple[Runtime, int]) -> None:
    runtime, hit_id = queue
    seen = review_jobs.hit(runtime, hit_id)[0].version
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def act(reviewer: str) -> None:
        start.wait()
        try:
            _propose(runtime, hit_id, reviewer=reviewer, seen_version=seen)
            outcomes.append("won")
        except ReviewError as error:
            outcomes.append(str(error))

    threads = [threading.Thread(target=act, args=(name,)) for name in ("ana", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[-1] == "won" and "changed by someone else" in sorted(outcomes)[0]
    with runtime.readers() as session:
        assert len(session.scalars(select(Decision)).all()) == 1
    assert verify_audit_chain(runtime).ok
