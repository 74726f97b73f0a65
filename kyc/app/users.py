"""Use cases of accounts: added, listed, disabled (their sessions ended)."""

from __future__ import annotations

from kyc.access import accounts
from kyc.access.accounts import Account
from kyc.access.sessions import end_sessions_of
from kyc.app.runtime import Runtime
from kyc.store.db import transaction


def add_user(runtime: Runtime, name: str, role: str, password: str) -> Account:
    with transaction(runtime.sessions) as session:
        return accounts.add_user(
            session, name, role, password, auditor=runtime.auditor(), now=runtime.clock()
        )


def accounts_list(runtime: Runtime) -> list[Account]:
    with runtime.readers() as session:
        return accounts.list_users(session)


def disable_user(runtime: Runtime, name: str) -> Account:
    with transaction(runtime.sessions) as session:
        account = accounts.disable_user(session, name, auditor=runtime.auditor())
        end_sessions_of(session, account.id, runtime.clock())
        return account
