"""Asking an SMP whether a Peppol participant is registered (optional, off by default).

The SML publishes, under a DNS name derived from the participant id
(:func:`kyc.identifiers.sml_lookup_name`), the address of the SMP that holds the
participant's registration; the SMP answers ``GET /<participant id>`` with the
participant's service group (200) or not at all (404). A company being onboarded is
usually not registered yet; one registered already is registered with some access point,
which the provider should know before it registers the company again.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import requests

from kyc.identifiers import PeppolId, sml_lookup_name

PARTICIPANT_SCHEME = "iso6523-actorid-upis"


@dataclass(frozen=True)
class SmpAnswer:
    url: str
    status: int | None
    registered: bool | None  # None: the lookup did not get an answer
    error: str | None = None


@dataclass(frozen=True)
class SmpClient:
    """``base_url``: ask this SMP directly instead of the one the SML names (an
    acceptance SMP, or a local server in tests)."""

    zone: str
    timeout: float
    base_url: str | None = None

    def lookup(self, participant: PeppolId) -> SmpAnswer:
        base = self.base_url or f"http://{sml_lookup_name(str(participant), self.zone)}"
        url = f"{base.rstrip('/')}/{quote(f'{PARTICIPANT_SCHEME}::{participant}', safe='')}"
        try:
            response = requests.get(url, timeout=self.timeout)
        except requests.RequestException as error:
            return SmpAnswer(url, None, None, f"no answer ({type(error).__name__})")
        if response.status_code == 200:
            return SmpAnswer(url, 200, True)
        if response.status_code == 404:
            return SmpAnswer(url, 404, False)
        return SmpAnswer(url, response.status_code, None, f"HTTP {response.status_code}")
