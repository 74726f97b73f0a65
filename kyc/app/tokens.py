"""Use cases of the API's bearer tokens: make, revoke, list, and check one on a request."""

from __future__ import annotations

from kyc.access.tokens import (
    TokenError,
    TokenView,
    add_token,
    authenticate,
    list_tokens,
    revoke_token,
)
from kyc.app.runtime import Runtime
from kyc.store.db import transaction


def add(runtime: Runtime, name: str, scopes: tuple[str, ...]) -> tuple[TokenView, str]:
    with transaction(runtime.sessions) as session:
        return add_token(session, name, scopes, auditor=runtime.auditor(), now=runtime.clock())


def revoke(runtime: Runtime, name: str) -> TokenView:
    with transaction(runtime.sessions) as session:
        return revoke_token(session, name, auditor=runtime.auditor(), now=runtime.clock())


def tokens(runtime: Runtime) -> list[TokenView]:
    with runtime.readers() as session:
        return list_tokens(session)


def check(runtime: Runtime, token: str, scope: str) -> TokenView:
    """The holder of a live token with ``scope``; a refusal is recorded, then raised."""
    refusal: TokenError | None = None
    with transaction(runtime.sessions) as session:
        try:
            return authenticate(
                session, token, scope, auditor=runtime.auditor("api"), now=runtime.clock()
            )
        except TokenError as error:
            refusal = error
    raise refusal
