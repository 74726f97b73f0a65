"""Why personal data is processed: the purposes, their GDPR basis, and their retention.

One reviewed table (``purposes.toml``, replaced by a provider's own through
``KYC_PURPOSES_FILE``) says, for every purpose an audit event may name, its basis and
the legal instrument it rests on — marked *unconfirmed* where that is open — whether it
may go on while a data subject's processing is restricted, and how long the data it
needs is kept. It sits at the bottom: it imports nothing of the project.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

DEFAULT_TABLE = Path(__file__).with_name("purposes.toml")


class Purpose(StrEnum):
    """Every purpose the code records; the table must describe each."""

    PEPPOL_KYC = "peppol_kyc"
    SANCTIONS_SCREENING = "sanctions_screening"
    REVIEW = "review"
    LIST_MAINTENANCE = "list_maintenance"
    REGISTER_MAINTENANCE = "register_maintenance"
    DATA_SUBJECT_REQUEST = "data_subject_request"
    RETENTION = "retention"
    AUDIT = "audit"
    SECURITY = "security"  # accounts of the review app: logins, failures, changes


class PurposeTableInvalid(ValueError):
    """The table cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True)
class RetentionRule:
    key: str
    description: str
    counts_from: str
    years: int = 0
    days: int = 0
    unconfirmed: bool = False


@dataclass(frozen=True)
class PurposeRule:
    purpose: Purpose
    title: str
    basis: str
    instrument: str
    unconfirmed: bool
    under_restriction: bool
    retention: RetentionRule

    @property
    def legal_basis(self) -> str:
        """The text every audit event of this purpose records."""
        marked = " [unconfirmed]" if self.unconfirmed else ""
        return f"{self.basis} ({self.instrument}){marked}"


@dataclass(frozen=True)
class PurposeTable:
    source: Path
    purposes: Mapping[Purpose, PurposeRule]
    retention: Mapping[str, RetentionRule]
    recipients: tuple[str, ...] = ()

    def __getitem__(self, purpose: Purpose | str) -> PurposeRule:
        return self.purposes[Purpose(purpose)]

    def legal_bases(self) -> dict[str, str]:
        return {str(p): rule.legal_basis for p, rule in self.purposes.items()}

    def allowed_under_restriction(self, purpose: Purpose | str) -> bool:
        return self[purpose].under_restriction


@cache
def load_purposes(path: Path = DEFAULT_TABLE) -> PurposeTable:
    """The table at ``path``; every purpose of :class:`Purpose` must be in it, with a
    basis, an instrument and a retention rule the table defines."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise PurposeTableInvalid(f"{path}: not a readable TOML table ({error})") from error
    retention = {
        key: _retention(path, key, value) for key, value in _section(path, raw, "retention").items()
    }
    described = _section(path, raw, "purposes")
    missing = [str(p) for p in Purpose if str(p) not in described]
    if missing:
        raise PurposeTableInvalid(f"{path}: no entry for the purposes {', '.join(missing)}")
    unknown = sorted(set(described) - {str(p) for p in Purpose})
    if unknown:
        known = ", ".join(unknown)
        raise PurposeTableInvalid(f"{path}: purposes the code does not know: {known}")
    purposes = {
        Purpose(key): _purpose(path, key, value, retention) for key, value in described.items()
    }
    recipients = raw.get("recipients", [])
    if not isinstance(recipients, list) or not all(isinstance(r, str) for r in recipients):
        raise PurposeTableInvalid(f"{path}: recipients is a list of texts")
    return PurposeTable(path, purposes, retention, tuple(recipients))


def _section(path: Path, raw: dict[str, object], name: str) -> dict[str, dict[str, object]]:
    section = raw.get(name)
    if not isinstance(section, dict) or not all(isinstance(v, dict) for v in section.values()):
        raise PurposeTableInvalid(f"{path}: [{name}.*] tables are missing")
    return section


def _text(path: Path, where: str, value: dict[str, object], field: str) -> str:
    found = value.get(field)
    if not isinstance(found, str) or not found.strip():
        raise PurposeTableInvalid(f"{path}: {where} has no {field}")
    return found.strip()


def _retention(path: Path, key: str, value: dict[str, object]) -> RetentionRule:
    where = f"[retention.{key}]"
    years, days = value.get("years", 0), value.get("days", 0)
    if not (isinstance(years, int) and isinstance(days, int)) or years < 0 or days < 0:
        raise PurposeTableInvalid(f"{path}: {where} years and days are whole numbers ≥ 0")
    return RetentionRule(
        key,
        _text(path, where, value, "description"),
        _text(path, where, value, "counts_from"),
        years,
        days,
        bool(value.get("unconfirmed", False)),
    )


def _purpose(
    path: Path, key: str, value: dict[str, object], retention: Mapping[str, RetentionRule]
) -> PurposeRule:
    where = f"[purposes.{key}]"
    rule = _text(path, where, value, "retention")
    if rule not in retention:
        raise PurposeTableInvalid(f"{path}: {where} names retention {rule!r}, which is not defined")
    return PurposeRule(
        Purpose(key),
        _text(path, where, value, "title"),
        _text(path, where, value, "basis"),
        _text(path, where, value, "instrument"),
        bool(value.get("unconfirmed", False)),
        bool(value.get("under_restriction", False)),
        retention[rule],
    )
