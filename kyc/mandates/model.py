"""What a mandate check takes and gives: the person declared, a special proxy, the policy,
the verdict and its findings (the same shape as the company check's)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from kyc.model import PartialDate
from kyc.registry.verify import Finding, Severity


class MandateVerdict(StrEnum):
    VALID = "valid"
    NEEDS_REVIEW = "needs_review"
    INVALID = "invalid"


@dataclass(frozen=True)
class Declared:
    """A person as declared at onboarding, with the role they claim (code or word)."""

    first_name: str
    last_name: str
    birth_date: PartialDate | None = None
    nationality: str | None = None
    role: str | None = None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class Proxy:
    """A special proxy (volmacht / procuration): ``grantor`` authorises the grantee."""

    grantor: Declared
    grantee_first_name: str
    grantee_last_name: str
    scope: tuple[str, ...]
    valid_from: date
    valid_until: date | None = None


@dataclass(frozen=True)
class MandatePolicy:
    """The settings that are legal judgments rather than facts."""

    name_threshold: float = 0.97
    name_review_threshold: float = 0.75
    daily_management_suffices: bool = False
    proxy_acts: tuple[str, ...] = ("peppol",)
    # Whether a representative whose processing is restricted (GDPR Art. 18) is still
    # checked: the purpose table says whether the Peppol KYC check goes on under it.
    check_restricted: bool = False


@dataclass(frozen=True)
class MandateResult:
    enterprise_number: str | None
    verdict: MandateVerdict
    findings: tuple[Finding, ...]
    register_extract_id: int | None
    as_of: date
    rules_version: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "enterprise_number": self.enterprise_number,
            "verdict": str(self.verdict),
            "as_of": self.as_of.isoformat(),
            "register_extract_id": self.register_extract_id,
            "rules_version": self.rules_version,
            "findings": [finding_dict(f) for f in self.findings],
        }


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {**asdict(finding), "severity": str(finding.severity)}


def verdict_of(findings: Sequence[Finding]) -> MandateVerdict:
    severities = {finding.severity for finding in findings}
    if Severity.FAIL in severities:
        return MandateVerdict.INVALID
    if Severity.REVIEW in severities:
        return MandateVerdict.NEEDS_REVIEW
    return MandateVerdict.VALID


RANK = {MandateVerdict.VALID: 2, MandateVerdict.NEEDS_REVIEW: 1, MandateVerdict.INVALID: 0}
