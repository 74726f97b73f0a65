"""The onboarding API's use case: an onboarding answered once per request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from kyc.access.requests import RequestInFlight, RequestKey, answer, claim, forget
from kyc.app.customers import onboard_payload
from kyc.app.runtime import Runtime
from kyc.store.db import transaction


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    replayed: bool


def onboard_once(runtime: Runtime, key: RequestKey, payload: Any) -> Answer:
    """Onboard, unless this very request was answered before: then its first answer."""
    try:
        with transaction(runtime.sessions) as session:
            earlier = claim(session, key, runtime.clock())
            if earlier is not None and earlier.state == "done":
                return Answer(earlier.status_code or 200, dict(earlier.response or {}), True)
    except IntegrityError:  # claimed a moment ago by the same request sent twice
        raise RequestInFlight("the same onboarding is being answered now") from None
    if earlier is not None:
        raise RequestInFlight("the same onboarding is being answered now")
    try:
        result = onboard_payload(runtime, payload)
    except BaseException:
        with transaction(runtime.sessions) as session:
            forget(session, key)
        raise
    body = result.to_dict()
    with transaction(runtime.sessions) as session:
        answer(session, key, 200, body)
    return Answer(200, body, False)
