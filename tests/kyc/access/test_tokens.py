"""Bearer tokens of the provider's systems: shown once, kept hashed, scoped, revocable;
every refusal recorded, never with the token."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kyc.access.tokens import TokenError
from kyc.app import tokens as token_jobs
from kyc.app.runtime import Runtime
from kyc.store.models import ApiToken, AuditEvent


def _events(runtime: Runtime) -> list[tuple[str, str | None, str]]:
    with runtime.readers() as session:
        return [
            (e.action, e.subject_ref, e.outcome)
            for e in session.scalars(
                select(AuditEvent).where(AuditEvent.action.like("token.%")).order_by(AuditEvent.seq)
            )
        ]


def test_a_token_is_shown_once_kept_hashed_and_checked(runtime: Runtime) -> None:
    view, token = token_jobs.add(runtime, "onboarding-system", ("onboarding",))
    assert token.startswith("kyc_") and len(token) > 40 and view.scopes == ("onboarding",)
    with runtime.readers() as session:
        stored = session.scalars(select(ApiToken)).one()
    assert token not in (stored.token_sha256, stored.name, stored.scopes)
    assert token_jobs.check(runtime, token, "onboarding").name == "onboarding-system"
    assert token_jobs.tokens(runtime)[0].last_used_at is not None
    with pytest.raises(TokenError, match="may not customers:read"):
        token_jobs.check(runtime, token, "customers:read")
    with pytest.raises(TokenError, match="not valid"):
        token_jobs.check(runtime, token + "x", "onboarding")
    token_jobs.revoke(runtime, "onboarding-system")
    with pytest.raises(TokenError, match="not valid"):
        token_jobs.check(runtime, token, "onboarding")
    assert _events(runtime) == [
        ("token.added", "token:onboarding-system", "added"),
        ("token.refused", "token:onboarding-system", "refused"),
        ("token.refused", None, "refused"),
        ("token.revoked", "token:onboarding-system", "revoked"),
        ("token.refused", "token:onboarding-system", "refused"),
    ]
    with runtime.readers() as session:
        details = " ".join(str(e.details) for e in session.scalars(select(AuditEvent)))
    assert token not in details


@pytest.mark.parametrize(
    ("name", "scopes", "message"),
    [
        ("Bad Name", ("onboarding",), "a name is 2 to 64"),
        ("system", ("delete-everything",), "scopes are among"),
        ("system", (), "scopes are among"),
    ],
)
def test_a_bad_token_request_is_refused(
    runtime: Runtime, name: str, scopes: tuple[str, ...], message: str
) -> None:
    with pytest.raises(TokenError, match=message):
        token_jobs.add(runtime, name, scopes)
    assert token_jobs.tokens(runtime) == []


def test_names_are_unique_and_a_revoked_token_stays_revoked(runtime: Runtime) -> None:
    token_jobs.add(runtime, "system", ("onboarding",))
    with pytest.raises(TokenError, match="a token named system exists"):
        token_jobs.add(runtime, "system", ("onboarding",))
    token_jobs.revoke(runtime, "system")
    with pytest.raises(TokenError, match="was revoked on"):
        token_jobs.revoke(runtime, "system")
    with pytest.raises(TokenError, match="there is no token named other"):
        token_jobs.revoke(runtime, "other")
