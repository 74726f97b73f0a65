"""Use cases of signing in to the review app: the key that signs its cookies, a login
(a new session each time), the session behind a cookie, a logout, a refusal audited."""

from __future__ import annotations

import os
import secrets
import stat
from datetime import timedelta
from pathlib import Path

from kyc.access import accounts, sessions
from kyc.access.accounts import Account, LoginPolicy
from kyc.access.roles import Action
from kyc.access.sessions import SignedIn
from kyc.app.runtime import Runtime, UsageError
from kyc.purposes import Purpose
from kyc.store.db import transaction

KEY_FILE = "web-secret.key"
APP_ACTOR = "review-app"
_MIN_KEY = 32


def web_key(runtime: Runtime) -> bytes:
    """The key of the settings, else the data directory's own, made on first use with a
    random value and readable by its owner only (never a key written in the code)."""
    configured = runtime.settings.web_secret_key
    if configured is not None:
        key = configured.get_secret_value().encode()
        if len(key) < _MIN_KEY:
            raise UsageError(f"KYC_WEB_SECRET_KEY has {len(key)} bytes; it needs {_MIN_KEY}")
        return key
    path = runtime.settings.data_dir / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    _check_private(path)
    return path.read_text().strip().encode()


def _check_private(path: Path) -> None:
    status = path.stat()
    if status.st_uid != os.geteuid() or status.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise UsageError(f"{path} must belong to this user and be readable by nobody else")


def _policy(runtime: Runtime) -> LoginPolicy:
    s = runtime.settings
    return LoginPolicy(s.login_slow_after, s.login_lock_after, s.login_lock_minutes)


class LoginRefused(Exception):
    """A login that did not open a session; the message is what the user is told (never
    whether the name exists)."""


def sign_in(runtime: Runtime, name: str, password: str) -> str:
    """The id of a new session, for the right password (else :class:`LoginRefused`)."""
    with transaction(runtime.sessions) as session:
        now = runtime.clock()
        # The actor is the app: what was typed as a name may be anything, a password too.
        outcome = accounts.log_in(
            session, name, password, auditor=runtime.auditor(actor=APP_ACTOR), now=now,
            policy=_policy(runtime),
        )  # fmt: skip
        if outcome.account is None:
            refusal = LoginRefused(outcome.refusal or "refused")
        else:
            return sessions.start_session(session, outcome.account, now)[0]
    raise refusal  # after the transaction: the failure is recorded


def signed_in(runtime: Runtime, session_id: str) -> SignedIn | None:
    idle = timedelta(minutes=runtime.settings.web_session_idle_minutes)
    with transaction(runtime.sessions) as session:
        return sessions.current_session(session, session_id, runtime.clock(), idle)


def sign_out(runtime: Runtime, session_id: str, account: Account) -> None:
    with transaction(runtime.sessions) as session:
        sessions.end_session(session, session_id, runtime.clock())
        runtime.auditor(actor=account.name).record(
            session, action="user.logout", purpose=Purpose.SECURITY, outcome="signed out",
            subject_ref=f"user:{account.name}",
        )  # fmt: skip


def refused(runtime: Runtime, account: Account, action: Action, where: str) -> None:
    """A user tried what their role does not allow: recorded."""
    with transaction(runtime.sessions) as session:
        runtime.auditor(actor=account.name).record(
            session,
            action="user.refused",
            purpose=Purpose.SECURITY,
            outcome=f"{account.role} may not {action.value}",
            subject_ref=f"user:{account.name}",
            details={"where": where[:200]},
        )
