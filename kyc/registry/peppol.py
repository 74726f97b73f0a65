"""Asking the Peppol network whether a participant is registered (optional, off by default).

Discovery follows the Peppol SML specification 1.3 and SMP specification 1.4: the SML
publishes, under a DNS name derived from the participant id
(:func:`kyc.identifiers.sml_lookup_name`), a U-NAPTR record (RFC 4848) of service
``Meta:SMP`` whose expression gives the base URI of the SMP holding the participant's
registration; that SMP answers ``GET /<participant id>`` with the participant's service
group (200) or not at all (404). No record under the name means no SMP has registered
the participant. A company being onboarded is usually not registered yet; one registered
already is registered with some access point, which the provider should know before it
registers the company again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import dns.exception
import dns.resolver
import requests

from kyc.identifiers import PeppolId, sml_lookup_name, split_host_port

PARTICIPANT_SCHEME = "iso6523-actorid-upis"
NAPTR_SERVICE = "Meta:SMP"
# U-NAPTR allows no real expression: the whole name is replaced by the URI (RFC 4848 §2.2).
_WHOLE_NAME = ("^.*$", ".*")


@dataclass(frozen=True)
class SmlAnswer:
    """``smp_uri`` None with no ``error``: the SML holds no SMP for the participant."""

    lookup_name: str
    smp_uri: str | None
    error: str | None = None


@dataclass(frozen=True)
class SmlDns:
    """Finds a participant's SMP in the SML's DNS zone.

    ``nameserver`` (as :func:`split_host_port` reads it) asks that server instead of the system's
    resolvers: a site's own resolver, or a local server in tests."""

    zone: str
    timeout: float
    nameserver: str | None = None

    def locate(self, participant: PeppolId) -> SmlAnswer:
        name = sml_lookup_name(str(participant), self.zone)
        try:
            records = self._resolver().resolve(name, "NAPTR")
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return SmlAnswer(name, None)
        except dns.exception.DNSException as error:
            return SmlAnswer(name, None, f"no DNS answer ({type(error).__name__})")
        for record in sorted(records, key=lambda r: (r.order, r.preference)):
            uri = smp_uri_of(record.flags.decode(), record.service.decode(), record.regexp.decode())
            if uri is not None:
                return SmlAnswer(name, uri)
        return SmlAnswer(name, None, f"no usable {NAPTR_SERVICE} record under the name")

    def _resolver(self) -> dns.resolver.Resolver:
        resolver = dns.resolver.Resolver(configure=self.nameserver is None)
        if self.nameserver is not None:
            host, port = split_host_port(self.nameserver)
            resolver.nameservers = [host]
            resolver.port = port
        resolver.lifetime = self.timeout
        return resolver


def smp_uri_of(flags: str, service: str, regexp: str) -> str | None:
    """The SMP's URI a U-NAPTR record of service ``Meta:SMP`` gives, or None.

    ``regexp`` is ``<d>^.*$<d>https://smp.example<d>`` with any delimiter ``<d>``."""
    if flags.upper() != "U" or service.lower() != NAPTR_SERVICE.lower() or len(regexp) < 3:
        return None
    delimiter = regexp[0]
    parts = regexp[1:].split(delimiter)
    if len(parts) != 3 or parts[0] not in _WHOLE_NAME:
        return None
    uri = parts[1]
    return uri if uri.startswith(("https://", "http://")) else None


@dataclass(frozen=True)
class SmpAnswer:
    url: str | None  # the SMP resource asked; None when the SML named no SMP
    status: int | None
    registered: bool | None  # None: the lookup did not get an answer
    error: str | None = None
    lookup_name: str | None = None


@dataclass(frozen=True)
class SmpClient:
    """Looks a participant up: its SMP through the SML, then its service group there.

    ``base_url`` asks that SMP directly instead of the one the SML names (an acceptance
    SMP, or a local server in tests). ``http`` opens the HTTP session of one lookup."""

    sml: SmlDns
    timeout: float
    http: Callable[[], requests.Session] = requests.Session
    base_url: str | None = None

    def lookup(self, participant: PeppolId) -> SmpAnswer:
        lookup_name = None
        smp = self.base_url
        if smp is None:
            located = self.sml.locate(participant)
            lookup_name = located.lookup_name
            if located.smp_uri is None:
                registered = None if located.error else False
                return SmpAnswer(None, None, registered, located.error, lookup_name)
            smp = located.smp_uri
        url = f"{smp.rstrip('/')}/{quote(f'{PARTICIPANT_SCHEME}::{participant}', safe='')}"
        return _service_group(url, self.http, self.timeout, lookup_name)


def _service_group(
    url: str, http: Callable[[], requests.Session], timeout: float, lookup_name: str | None
) -> SmpAnswer:
    try:
        with http() as session:
            status = session.get(url, timeout=timeout).status_code
    except requests.RequestException as error:
        return SmpAnswer(url, None, None, f"no answer ({type(error).__name__})", lookup_name)
    if status == 200:
        return SmpAnswer(url, 200, True, lookup_name=lookup_name)
    if status == 404:
        return SmpAnswer(url, 404, False, lookup_name=lookup_name)
    return SmpAnswer(url, status, None, f"HTTP {status}", lookup_name)
