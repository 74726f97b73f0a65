"""Belgian and Peppol identifiers: parse, validate, format.

The check-digit arithmetic comes from python-stdnum; the rules it does not know
(serials 000/999 of the national number, establishment numbers, Peppol ids and
SML names) are written here from DOMAIN.md.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import date

from stdnum.be import bis as stdnum_bis
from stdnum.be import nn as stdnum_nn
from stdnum.be import vat as stdnum_vat
from stdnum.exceptions import ValidationError as StdnumValidationError


class InvalidIdentifier(ValueError):
    """An identifier that fails its format or check digits.

    Messages never repeat the value itself: callers may be handling a national number.
    """


_SEPARATORS = re.compile(r"[\s.\-/]")


def _digits(value: str) -> str:
    return _SEPARATORS.sub("", value.strip())


def normalize_enterprise_number(value: str) -> str:
    """Return the 10-digit enterprise number, or raise :class:`InvalidIdentifier`.

    Accepts ``0123.456.749``, ``0123456749``, ``BE0123456749`` and the old 9-digit form.
    """
    compact = _digits(value).upper()
    if compact.startswith("BE"):
        compact = compact[2:]
    if len(compact) == 9 and compact.isdigit():
        compact = "0" + compact
    if not (len(compact) == 10 and compact.isdigit()):
        raise InvalidIdentifier("an enterprise number has 10 digits")
    if compact[0] not in "01":
        raise InvalidIdentifier("an enterprise number starts with 0 or 1")
    if not stdnum_vat.is_valid(compact):
        raise InvalidIdentifier("the enterprise number fails its mod-97 check")
    return compact


def format_enterprise_number(number: str) -> str:
    """``0123456749`` → ``0123.456.749`` (the register's own spelling)."""
    compact = normalize_enterprise_number(number)
    return f"{compact[:4]}.{compact[4:7]}.{compact[7:]}"


def has_valid_check_digits(digits: str) -> bool:
    """Whether ten digits end in their mod-97 check (enterprise and establishment numbers)."""
    return 97 - int(digits[:8]) % 97 == int(digits[8:])


def normalize_establishment_number(value: str) -> str:
    compact = _digits(value)
    if not (len(compact) == 10 and compact.isdigit() and compact[0] in "2345678"):
        raise InvalidIdentifier("an establishment number has 10 digits starting with 2 to 8")
    if not has_valid_check_digits(compact):
        raise InvalidIdentifier("the establishment number fails its mod-97 check")
    return compact


@dataclass(frozen=True)
class NationalNumber:
    """A validated national (or BIS) number. ``repr`` hides the value."""

    _value: str
    birth_date: date | None
    sex: str | None
    is_bis: bool

    def __repr__(self) -> str:
        return f"NationalNumber(birth_date={self.birth_date}, sex={self.sex}, bis={self.is_bis})"

    __str__ = __repr__

    @property
    def digits(self) -> str:
        """The 11 digits; only for keyed hashing, never for output."""
        return self._value


def parse_national_number(value: str) -> NationalNumber:
    """Validate a national or BIS number and derive the birth date and sex it encodes."""
    compact = _digits(value)
    if not (len(compact) == 11 and compact.isdigit()):
        raise InvalidIdentifier("a national number has 11 digits")
    if compact[6:9] in ("000", "999"):
        raise InvalidIdentifier("the national number's serial is never issued")
    for module, is_bis in ((stdnum_nn, False), (stdnum_bis, True)):
        try:
            module.validate(compact)
        except StdnumValidationError:
            continue
        return NationalNumber(
            _value=compact,
            birth_date=module.get_birth_date(compact),
            sex=module.get_gender(compact),
            is_bis=is_bis,
        )
    raise InvalidIdentifier("the national number fails its date or check digits")


PEPPOL_SCHEME_ENTERPRISE = "0208"
PEPPOL_SCHEME_VAT = "9925"
_PEPPOL_PREFIX = "iso6523-actorid-upis::"
_PEPPOL_ID = re.compile(r"^(\d{4}):(\S{1,50})$")


@dataclass(frozen=True)
class PeppolId:
    scheme: str
    value: str

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"

    @property
    def enterprise_number(self) -> str | None:
        """The enterprise number this id carries, for the Belgian schemes."""
        if self.scheme == PEPPOL_SCHEME_ENTERPRISE:
            return self.value
        if self.scheme == PEPPOL_SCHEME_VAT and self.value.upper().startswith("BE"):
            return self.value[2:]
        return None


def parse_peppol_id(value: str) -> PeppolId:
    """Parse ``0208:0123456749`` (optionally with the ``iso6523-actorid-upis::`` prefix)."""
    text = value.strip()
    if text.lower().startswith(_PEPPOL_PREFIX):
        text = text[len(_PEPPOL_PREFIX) :]
    match = _PEPPOL_ID.match(text)
    if not match:
        raise InvalidIdentifier("a Peppol participant id looks like 0208:0123456749")
    scheme, ident = match.groups()
    if scheme == PEPPOL_SCHEME_ENTERPRISE:
        ident = normalize_enterprise_number(ident)
    elif scheme == PEPPOL_SCHEME_VAT:
        ident = "BE" + normalize_enterprise_number(ident)
    return PeppolId(scheme=scheme, value=ident)


# The production SML's DNS zone.
SML_PRODUCTION_ZONE = "participant.sml.prod.tech.peppol.org"


def sml_lookup_name(participant: str, zone: str = SML_PRODUCTION_ZONE) -> str:
    """The DNS name under which the SML publishes a participant's SMP."""
    text = participant.strip()
    if text.lower().startswith(_PEPPOL_PREFIX):
        text = text[len(_PEPPOL_PREFIX) :]
    digest = hashlib.sha256(text.lower().encode("utf-8")).digest()
    label = base64.b32encode(digest).decode("ascii").rstrip("=")
    return f"{label}.iso6523-actorid-upis.{zone}"


def split_host_port(text: str, default_port: int = 53) -> tuple[str, int]:
    """``host``, ``host:port``, ``[v6]:port`` or a bare IPv6 address → (host, port)."""
    text = text.strip()
    if text.startswith("["):
        host, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            raise ValueError(f"{text!r} is not [address]:port")
        separator, port = rest[:1], rest[1:]
    elif text.count(":") > 1:  # a bare IPv6 address
        host, separator, port = text, "", ""
    else:
        host, separator, port = text.partition(":")
    if not host or (separator and not (port.isdigit() and 0 < int(port) < 65536)):
        raise ValueError(f"{text!r} is not host or host:port")
    return host, int(port) if separator else default_port


# Standing on its own: a random hexadecimal id (a subject's) may hold eleven digits in a
# row that pass the check by chance, between letters.
_NATIONAL_NUMBER_SHAPE = re.compile(
    r"(?<![0-9A-Za-z])\d{2}\.?\d{2}\.?\d{2}[-.\s]?\d{3}\.?\d{2}(?![0-9A-Za-z])"
)


def holds_national_number(text: str) -> bool:
    """Whether free text holds a valid Belgian national (or BIS) number, however it is
    written: such text must not reach the audit trail, a page or an export."""
    for candidate in _NATIONAL_NUMBER_SHAPE.findall(text):
        try:
            parse_national_number(candidate)
        except InvalidIdentifier:
            continue
        return True
    return False
