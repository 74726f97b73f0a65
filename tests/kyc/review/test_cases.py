"""A customer's case and its stored status: pending while anything waits for review,
blocked by a confirmed true match, each change in the audit trail."""

from __future__ import annotations

from sqlalchemy import select

from kyc.app import rescreen as rescreen_jobs
from kyc.app import review as review_jobs
from kyc.app.runtime import Runtime
from kyc.review.cases import CustomerStatus
from kyc.store.models import AuditEvent
from tests.conftest import decided


def _person_hit(runtime: Runtime) -> tuple[int, str]:
    hit = next(h for h in review_jobs.hits(runtime, "open") if h.subject_kind == "person")
    company = review_jobs.customer_of_hit(runtime, hit.subject_id)
    assert company is not None
    return hit.id, company


def test_a_customer_with_an_open_hit_waits_for_review(loaded: Runtime) -> None:
    rescreen_jobs.rescreen_all(loaded)
    hit_id, company = _person_hit(loaded)
    case = review_jobs.case(loaded, company)
    assert case.status == CustomerStatus.PENDING_REVIEW
    assert any(reason.startswith(f"hit {hit_id}: open") for reason in case.reasons)
    assert hit_id in {row.id for row in case.hits}
    assert case.register is not None and case.representatives


def test_a_confirmed_true_match_blocks_the_customer(loaded: Runtime) -> None:
    rescreen_jobs.rescreen_all(loaded)
    hit_id, company = _person_hit(loaded)
    decided(loaded, hit_id, "true_match", "same passport number")
    case = review_jobs.case(loaded, company)
    assert case.status == CustomerStatus.BLOCKED
    assert case.reasons[0].startswith(f"hit {hit_id}: a true match")
    with loaded.readers() as session:
        changes = session.scalars(
            select(AuditEvent.outcome).where(
                AuditEvent.action == "customer.status_changed", AuditEvent.subject_ref == company
            )
        ).all()
    assert changes[-1] == "pending_review → blocked"


def test_a_cleared_false_positive_leaves_only_the_checks(loaded: Runtime) -> None:
    rescreen_jobs.rescreen_all(loaded)
    hit_id, company = _person_hit(loaded)
    decided(loaded, hit_id, "false_positive", "other birth date")
    case = review_jobs.case(loaded, company)
    assert not any(reason.startswith(f"hit {hit_id}") for reason in case.reasons)
    expected = CustomerStatus.PENDING_REVIEW if case.reasons else CustomerStatus.CLEARED
    assert case.status == expected
