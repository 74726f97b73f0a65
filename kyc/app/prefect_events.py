"""Events told to a Prefect server over its REST API. The web app does not import
Prefect (only the flows do), yet the onboardings it runs belong in the Prefect UI's
event feed beside the flows' own: one HTTP request per event, after the answer is
sent, and a failure to deliver costs a warning, never the onboarding."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

import requests

LOG = logging.getLogger(__name__)
TIMEOUT = 5.0


def emit(api_url: str | None, event: str, resource_id: str, payload: dict[str, Any]) -> bool:
    """Send one event; False when no server is configured or it could not be told."""
    if not api_url:
        return False
    body = [
        {
            "id": str(uuid.uuid4()),
            "occurred": datetime.now(UTC).isoformat(),
            "event": event,
            "resource": {"prefect.resource.id": resource_id},
            "related": [],
            "payload": payload,
        }
    ]
    try:
        answer = requests.post(f"{api_url.rstrip('/')}/events", json=body, timeout=TIMEOUT)
        answer.raise_for_status()
    except requests.RequestException as error:
        LOG.warning("the Prefect server was not told of %s: %s", event, error)
        return False
    return True
