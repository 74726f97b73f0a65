"""Use cases of the reviews that are not hits: a mandate or company check decided under
four eyes, the customer's status moved by it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kyc.access.accounts import active_user
from kyc.access.roles import Action
from kyc.app.runtime import Runtime
from kyc.review import checks
from kyc.review.cases import refresh_statuses
from kyc.review.checks import CheckDecisionKind, CheckKind
from kyc.store.db import transaction
from kyc.store.models import CheckDecision


def propose(
    runtime: Runtime,
    kind: CheckKind,
    check_id: int,
    *,
    decision: CheckDecisionKind,
    reason: str,
    reviewer: str,
) -> str:
    with transaction(runtime.sessions) as session:
        account = active_user(session, reviewer, Action.PROPOSE)
        record = checks.propose_on_check(
            session, kind, check_id, decision=decision, reason=reason, reviewer=account,
            auditor=runtime.auditor(actor=account.name), now=runtime.clock(),
        )  # fmt: skip
        return _said(runtime, session, record)


def approve(runtime: Runtime, kind: CheckKind, check_id: int, *, approver: str) -> str:
    with transaction(runtime.sessions) as session:
        account = active_user(session, approver, Action.APPROVE)
        record = checks.approve_on_check(
            session, kind, check_id, approver=account,
            auditor=runtime.auditor(actor=account.name), now=runtime.clock(),
        )  # fmt: skip
        return _said(runtime, session, record)


def reject(runtime: Runtime, kind: CheckKind, check_id: int, *, approver: str, reason: str) -> str:
    with transaction(runtime.sessions) as session:
        account = active_user(session, approver, Action.APPROVE)
        record = checks.reject_on_check(
            session, kind, check_id, approver=account, reason=reason,
            auditor=runtime.auditor(actor=account.name), now=runtime.clock(),
        )  # fmt: skip
        return _said(runtime, session, record)


def _said(runtime: Runtime, session: Session, record: CheckDecision) -> str:
    """The line to print, once the customer's status has moved with the decision."""
    statuses = refresh_statuses(
        session, [record.company_subject_id], auditor=runtime.auditor(), now=runtime.clock()
    )
    status = statuses.get(record.company_subject_id)
    return (
        f"{record.kind} check {record.check_id}: {record.decision} {record.status}"
        f"{f' (approver: {record.approver})' if record.approver else ''}; "
        f"the customer is {status}"
    )


def to_review(runtime: Runtime) -> list[checks.CheckView]:
    """The checks a person must still look at."""
    with runtime.readers() as session:
        return checks.checks_to_review(session)


def check(runtime: Runtime, kind: CheckKind, check_id: int) -> checks.CheckView:
    with runtime.readers() as session:
        return checks.check_view(session, kind, check_id)
