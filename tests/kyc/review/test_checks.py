"""Four eyes on mandate and company checks a person must look at, and what the
decisions do to the customer's status."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kyc.app import checks as check_jobs
from kyc.app import rescreen as rescreen_jobs
from kyc.app import review as review_jobs
from kyc.app.runtime import Runtime
from kyc.review.cases import CustomerStatus
from kyc.review.checks import CheckDecisionKind, CheckKind
from kyc.review.decisions import ReviewError
from kyc.store.models import CompanyCheck, MandateCheck

CONFIRMED = CheckDecisionKind.CONFIRMED


def _mandate_to_review(runtime: Runtime) -> MandateCheck:
    with runtime.readers() as session:
        return session.scalars(
            select(MandateCheck)
            .where(MandateCheck.verdict.in_(("needs_review", "invalid")))
            .order_by(MandateCheck.id.desc())
        ).first()  # type: ignore[return-value]


@pytest.fixture
def rescreened(loaded: Runtime, reviewers: Runtime) -> Runtime:
    rescreen_jobs.rescreen_all(loaded)
    return loaded


def test_a_confirmed_mandate_waits_no_more(rescreened: Runtime) -> None:
    check = _mandate_to_review(rescreened)
    label = f"(check {check.id})"
    case = review_jobs.case(rescreened, check.company_subject_id)
    assert any(label in reason for reason in case.reasons)
    said = check_jobs.propose(rescreened, CheckKind.MANDATE, check.id, decision=CONFIRMED,
                              reason="signed board minutes seen", reviewer="bob")  # fmt: skip
    assert "confirmed proposed" in said
    with pytest.raises(ReviewError, match="four eyes"):
        check_jobs.approve(rescreened, CheckKind.MANDATE, check.id, approver="bob")
    said = check_jobs.approve(rescreened, CheckKind.MANDATE, check.id, approver="carl")
    assert "confirmed approved (approver: carl)" in said
    case = review_jobs.case(rescreened, check.company_subject_id)
    assert not any(label in reason for reason in case.reasons)


def test_a_mandate_not_confirmed_blocks_the_customer(rescreened: Runtime) -> None:
    check = _mandate_to_review(rescreened)
    check_jobs.propose(rescreened, CheckKind.MANDATE, check.id,
                       decision=CheckDecisionKind.NOT_CONFIRMED, reason="no power to bind",
                       reviewer="ana")  # fmt: skip
    check_jobs.approve(rescreened, CheckKind.MANDATE, check.id, approver="bob")
    case = review_jobs.case(rescreened, check.company_subject_id)
    assert case.status == CustomerStatus.BLOCKED
    assert any("not confirmed by review" in reason for reason in case.reasons)


def test_a_rejected_proposal_leaves_the_check_waiting(rescreened: Runtime) -> None:
    check = _mandate_to_review(rescreened)
    check_jobs.propose(rescreened, CheckKind.MANDATE, check.id, decision=CONFIRMED,
                       reason="looks fine", reviewer="ana")  # fmt: skip
    said = check_jobs.reject(rescreened, CheckKind.MANDATE, check.id, approver="bob",
                             reason="the minutes are not signed")  # fmt: skip
    assert "rejected" in said
    case = review_jobs.case(rescreened, check.company_subject_id)
    assert any(f"(check {check.id})" in reason for reason in case.reasons)


def test_a_company_check_is_reviewed_the_same_way(rescreened: Runtime) -> None:
    with rescreened.readers() as session:
        check = session.scalars(
            select(CompanyCheck)
            .where(CompanyCheck.verdict == "needs_review")
            .order_by(CompanyCheck.id.desc())
        ).first()
    assert check is not None
    check_jobs.propose(rescreened, CheckKind.COMPANY, check.id, decision=CONFIRMED,
                       reason="articles of association seen", reviewer="ana")  # fmt: skip
    check_jobs.approve(rescreened, CheckKind.COMPANY, check.id, approver="carl")
    case = review_jobs.case(rescreened, check.subject_id)
    assert not any(f"register check (check {check.id})" in reason for reason in case.reasons)


def test_only_the_newest_check_that_needs_a_person_is_decided(rescreened: Runtime) -> None:
    with rescreened.readers() as session:
        valid = session.scalars(select(MandateCheck).where(MandateCheck.verdict == "valid")).first()
        old = session.scalars(select(MandateCheck).order_by(MandateCheck.id)).first()
    assert valid is not None and old is not None
    with pytest.raises(ReviewError, match="nothing to review|checked again"):
        check_jobs.propose(rescreened, CheckKind.MANDATE, valid.id, decision=CONFIRMED,
                           reason="r", reviewer="ana")  # fmt: skip
    with pytest.raises(ReviewError, match="checked again since"):
        check_jobs.propose(rescreened, CheckKind.MANDATE, old.id, decision=CONFIRMED,
                           reason="r", reviewer="ana")  # fmt: skip
    with pytest.raises(ReviewError, match="no mandate check 999999"):
        check_jobs.propose(rescreened, CheckKind.MANDATE, 999999, decision=CONFIRMED,
                           reason="r", reviewer="ana")  # fmt: skip
