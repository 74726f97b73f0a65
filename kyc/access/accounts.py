"""Accounts of the review app: added with a role and a password (kept as an argon2
hash), listed, disabled; a login checked with failed tries slowed, then locked.

Every login, failure and change of an account is recorded in the audit trail, never
with the password."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.access.roles import Action, NotAllowed, Role, may
from kyc.audit import Auditor
from kyc.purposes import Purpose
from kyc.store.models import User

_NAME = re.compile(r"[a-z][a-z0-9._-]{1,63}")
MIN_PASSWORD = 12
_HASHER = PasswordHasher()


class AccountError(ValueError):
    """An account cannot be added or used as asked; the message says why."""


@dataclass(frozen=True)
class Account:
    """What the app and the CLI know of a user (never the hash)."""

    id: int
    name: str
    role: Role
    active: bool
    created_at: datetime
    last_login_at: datetime | None
    locked_until: datetime | None

    def may(self, action: Action) -> bool:
        return self.active and may(self.role, action)

    def require(self, action: Action) -> None:
        if not self.may(action):
            raise NotAllowed(self.name, self.role, action)


@dataclass(frozen=True)
class LoginPolicy:
    """After ``slow_after`` failed tries each further try must wait, twice as long each
    time; after ``lock_after`` the account is locked for ``lock_minutes``."""

    slow_after: int = 3
    lock_after: int = 5
    lock_minutes: int = 15


def account_of(user: User) -> Account:
    return Account(
        user.id,
        user.name,
        Role(user.role),
        user.active,
        user.created_at,
        user.last_login_at,
        user.locked_until,
    )


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise AccountError(
            f"{name!r} is not an account name: 2 to 64 lower-case letters, digits, '.', '_' "
            "or '-', beginning with a letter"
        )
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password has at least {MIN_PASSWORD} characters")
    if password != password.strip() or any(ord(c) < 32 for c in password):
        raise AccountError("a password neither begins nor ends with a space, nor holds controls")
    return password


def add_user(
    session: Session, name: str, role: str, password: str, *, auditor: Auditor, now: datetime
) -> Account:
    check_name(name)
    try:
        chosen = Role(role)
    except ValueError as error:
        roles = ", ".join(r.value for r in Role)
        raise AccountError(f"{role!r} is not a role ({roles})") from error
    check_password(password)
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise AccountError(f"there is already an account {name!r}")
    user = User(
        name=name,
        role=str(chosen),
        password_hash=_HASHER.hash(password),
        active=True,
        created_at=now,
        failed_logins=0,
    )
    session.add(user)
    session.flush()
    auditor.record(
        session,
        action="user.added",
        purpose=Purpose.SECURITY,
        outcome=str(chosen),
        subject_ref=f"user:{name}",
    )
    return account_of(user)


def list_users(session: Session) -> list[Account]:
    return [account_of(u) for u in session.scalars(select(User).order_by(User.name))]


def find_user(session: Session, name: str) -> Account | None:
    user = session.scalar(select(User).where(User.name == name))
    return None if user is None else account_of(user)


def disable_user(session: Session, name: str, *, auditor: Auditor) -> Account:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise AccountError(f"there is no account {name!r}")
    user.active = False
    auditor.record(
        session, action="user.disabled", purpose=Purpose.SECURITY, outcome="disabled",
        subject_ref=f"user:{name}",
    )  # fmt: skip
    return account_of(user)


def active_user(session: Session, name: str, action: Action) -> Account:
    """The active account ``name``, which must be allowed ``action`` (the CLI's
    ``--reviewer``)."""
    account = find_user(session, name)
    if account is None or not account.active:
        raise AccountError(f"{name!r} is not an active account (see `kyc users list`)")
    account.require(action)
    return account


@dataclass(frozen=True)
class LoginOutcome:
    account: Account | None
    # Why a login failed, as the user is told: never whether the name exists.
    refusal: str | None = None


_REFUSED = "wrong name or password, or the account is locked or disabled"


def log_in(
    session: Session,
    name: str,
    password: str,
    *,
    auditor: Auditor,
    now: datetime,
    policy: LoginPolicy = LoginPolicy(),
) -> LoginOutcome:
    """Check a password. Failures count per account: after ``policy.slow_after`` a try
    must wait (1 s, 2 s, 4 s…), after ``policy.lock_after`` the account is locked for a
    while; a try refused for either reason does not count."""
    user = session.scalar(select(User).where(User.name == name).with_for_update())
    if user is None:
        _HASHER.hash(password)  # as slow as a real check: the time tells no names
        return _refused(session, auditor, name, "unknown account")
    if not user.active:
        return _refused(session, auditor, name, "account disabled")
    if user.locked_until is not None and now < user.locked_until:
        return _refused(session, auditor, name, "account locked")
    if user.not_before is not None and now < user.not_before:
        return _refused(session, auditor, name, "too soon after a failed login")
    if not _verifies(user.password_hash, password):
        _count_failure(user, now, policy)
        reason = "locked after failed logins" if user.locked_until else "wrong password"
        return _refused(session, auditor, name, reason, failures=user.failed_logins)
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = _HASHER.hash(password)
    user.failed_logins, user.not_before, user.locked_until = 0, None, None
    user.last_login_at = now
    auditor.record(
        session, action="user.login", purpose=Purpose.SECURITY, outcome="signed in",
        subject_ref=f"user:{name}",
    )  # fmt: skip
    return LoginOutcome(account_of(user))


def _verifies(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _count_failure(user: User, now: datetime, policy: LoginPolicy) -> None:
    user.failed_logins += 1
    if user.failed_logins >= policy.lock_after:
        user.locked_until = now + timedelta(minutes=policy.lock_minutes)
        user.failed_logins, user.not_before = 0, None
    elif user.failed_logins >= policy.slow_after:
        wait = 2 ** (user.failed_logins - policy.slow_after)
        user.not_before = now + timedelta(seconds=wait)


def _refused(
    session: Session, auditor: Auditor, name: str, reason: str, *, failures: int | None = None
) -> LoginOutcome:
    # The name typed is recorded only when it is an account's name's shape: a password
    # typed into the name field must not land in the trail.
    shaped = _NAME.fullmatch(name) is not None and reason != "unknown account"
    auditor.record(
        session,
        action="user.login_failed",
        purpose=Purpose.SECURITY,
        outcome=reason,
        subject_ref=f"user:{name}" if shaped else None,
        details={} if failures is None else {"failures": failures},
    )
    return LoginOutcome(None, _REFUSED)
