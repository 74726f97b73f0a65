"""Browser sessions: signed cookies, only the id's hash stored, idle expiry, logout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.access.accounts import add_user, disable_user
from kyc.access.sessions import (
    cookie_value,
    current_session,
    end_session,
    session_id_of,
    start_session,
)
from kyc.audit import Auditor
from kyc.store.models import WebSession
from tests.conftest import TEST_PASSWORD

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
IDLE = timedelta(minutes=30)
KEY = b"k" * 32


def test_a_cookie_holds_only_when_signed_with_the_key() -> None:
    cookie = cookie_value(KEY, "abc")
    assert session_id_of(KEY, cookie) == "abc"
    assert session_id_of(b"other key" * 4, cookie) is None
    assert session_id_of(KEY, "abc.forged") is None
    assert session_id_of(KEY, None) is None and session_id_of(KEY, "a.b.c") is None


def test_a_session_lives_while_used_and_ends_when_idle_or_logged_out(
    session: Session, auditor: Auditor
) -> None:
    account = add_user(session, "ana", "analyst", TEST_PASSWORD, auditor=auditor, now=T0)
    session_id, csrf = start_session(session, account, T0)
    stored = session.scalars(select(WebSession)).one()
    assert session_id not in stored.id_sha256  # only its hash is kept
    live = current_session(session, session_id, T0 + timedelta(minutes=20), IDLE)
    assert live is not None and live.csrf_token == csrf and live.account.name == "ana"
    # Used 20 minutes in: idle counts from then.
    assert current_session(session, session_id, T0 + timedelta(minutes=45), IDLE) is not None
    assert current_session(session, session_id, T0 + timedelta(minutes=90), IDLE) is None
    other, _csrf = start_session(session, account, T0)
    end_session(session, other, T0)
    assert current_session(session, other, T0, IDLE) is None


def test_a_disabled_account_loses_its_sessions(session: Session, auditor: Auditor) -> None:
    account = add_user(session, "ana", "analyst", TEST_PASSWORD, auditor=auditor, now=T0)
    session_id, _csrf = start_session(session, account, T0)
    disable_user(session, "ana", auditor=auditor)
    assert current_session(session, session_id, T0, IDLE) is None


def test_the_idle_clock_is_written_at_most_once_a_minute(
    session: Session, auditor: Auditor
) -> None:
    account = add_user(session, "ana", "analyst", TEST_PASSWORD, auditor=auditor, now=T0)
    session_id, _csrf = start_session(session, account, T0)
    stored = session.scalars(select(WebSession)).one()
    current_session(session, session_id, T0 + timedelta(seconds=30), IDLE)
    assert stored.last_seen_at == T0  # a page read half a minute in writes nothing
    current_session(session, session_id, T0 + timedelta(seconds=70), IDLE)
    assert stored.last_seen_at == T0 + timedelta(seconds=70)
