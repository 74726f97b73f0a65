"""Accounts: argon2 hashes, never the password; failed logins slowed, then locked;
every login and failure audited without the password."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.access.accounts import (
    AccountError,
    LoginPolicy,
    add_user,
    disable_user,
    list_users,
    log_in,
)
from kyc.access.roles import Action, NotAllowed, Role, may
from kyc.audit import Auditor
from kyc.store.models import AuditEvent, User
from tests.conftest import TEST_PASSWORD

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def _add(session: Session, auditor: Auditor, name: str = "ana", role: str = "analyst") -> None:
    add_user(session, name, role, TEST_PASSWORD, auditor=auditor, now=T0)


def test_the_password_is_kept_as_an_argon2_hash(session: Session, auditor: Auditor) -> None:
    _add(session, auditor)
    stored = session.scalars(select(User)).one()
    assert stored.password_hash.startswith("$argon2id$")
    assert TEST_PASSWORD not in stored.password_hash
    assert [a.name for a in list_users(session)] == ["ana"]


@pytest.mark.parametrize(
    ("name", "role", "password", "message"),
    [
        ("Ana", "analyst", TEST_PASSWORD, "not an account name"),
        ("ana", "boss", TEST_PASSWORD, "not a role"),
        ("ana", "analyst", "short", "at least 12"),
        ("ana", "analyst", " padded password ", "neither begins nor ends"),
    ],
)
def test_bad_accounts_are_refused(
    session: Session, auditor: Auditor, name: str, role: str, password: str, message: str
) -> None:
    with pytest.raises(AccountError, match=message):
        add_user(session, name, role, password, auditor=auditor, now=T0)


def test_a_name_is_taken_once(session: Session, auditor: Auditor) -> None:
    _add(session, auditor)
    with pytest.raises(AccountError, match="already an account"):
        _add(session, auditor)


def test_a_login_succeeds_and_is_audited_without_the_password(
    session: Session, auditor: Auditor
) -> None:
    _add(session, auditor)
    outcome = log_in(session, "ana", TEST_PASSWORD, auditor=auditor, now=T0)
    assert outcome.account is not None and outcome.account.last_login_at == T0
    wrong = log_in(session, "ana", "a wrong password!", auditor=auditor, now=T0)
    assert wrong.account is None and "wrong name or password" in (wrong.refusal or "")
    events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [e.action for e in events] == ["user.added", "user.login", "user.login_failed"]
    assert all(e.purpose == "security" for e in events)
    everything = " ".join(f"{e.details} {e.outcome} {e.subject_ref}" for e in events)
    assert TEST_PASSWORD not in everything and "a wrong password" not in everything


def test_failed_logins_are_slowed_then_locked(session: Session, auditor: Auditor) -> None:
    _add(session, auditor)
    policy = LoginPolicy(slow_after=3, lock_after=5, lock_minutes=15)
    now = T0
    outcomes = []
    for _ in range(5):
        outcomes.append(log_in(session, "ana", "wrong password!!", auditor=auditor, now=now,
                               policy=policy).account)  # fmt: skip
        now += timedelta(seconds=10)  # past every wait
    assert outcomes == [None] * 5
    # Locked: even the right password is refused, until the lock ends.
    locked = log_in(session, "ana", TEST_PASSWORD, auditor=auditor, now=now, policy=policy)
    assert locked.account is None
    later = now + timedelta(minutes=16)
    assert log_in(session, "ana", TEST_PASSWORD, auditor=auditor, now=later).account is not None
    reasons = [
        e.outcome
        for e in session.scalars(select(AuditEvent).where(AuditEvent.action == "user.login_failed"))
    ]
    assert reasons[-2:] == ["locked after failed logins", "account locked"]


def test_a_try_too_soon_after_failures_is_refused(session: Session, auditor: Auditor) -> None:
    _add(session, auditor)
    for _ in range(3):
        log_in(session, "ana", "wrong password!!", auditor=auditor, now=T0)
    too_soon = log_in(session, "ana", TEST_PASSWORD, auditor=auditor, now=T0)
    assert too_soon.account is None
    assert log_in(session, "ana", TEST_PASSWORD, auditor=auditor, now=T0 + timedelta(seconds=2))


def test_a_disabled_account_cannot_sign_in(session: Session, auditor: Auditor) -> None:
    _add(session, auditor)
    disable_user(session, "ana", auditor=auditor)
    assert log_in(session, "ana", TEST_PASSWORD, auditor=auditor, now=T0).account is None


def test_an_unknown_name_is_not_recorded(session: Session, auditor: Auditor) -> None:
    # Somebody typing their password into the name field must not leave it in the trail.
    log_in(session, "Secret-Pass-123", TEST_PASSWORD, auditor=auditor, now=T0)
    event = session.scalars(select(AuditEvent)).one()
    assert event.subject_ref is None and "Secret" not in str(event.details)


def test_each_role_may_what_the_issue_says() -> None:
    assert may(Role.ANALYST, Action.PROPOSE) and not may(Role.ANALYST, Action.APPROVE)
    assert may(Role.APPROVER, Action.APPROVE)
    assert may(Role.AUDITOR, Action.READ) and not may(Role.AUDITOR, Action.PROPOSE)
    assert may(Role.ADMIN, Action.MANAGE_USERS) and not may(Role.ANALYST, Action.MANAGE_USERS)
    assert not may("boss", Action.READ)
    assert "may not approve" in str(NotAllowed("ana", "analyst", Action.APPROVE))
