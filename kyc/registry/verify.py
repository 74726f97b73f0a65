"""Company verification against the register: one verdict, every finding with its evidence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.identifiers import InvalidIdentifier, format_enterprise_number, normalize_enterprise_number
from kyc.registry.importer import latest_extract
from kyc.store.models import KboCode, KboDenomination, KboEnterprise, RegisterExtract

NORMAL_SITUATION = "000"
ACTIVE = "AC"
NATURAL_PERSON = "1"
DENOMINATION_TYPES = {
    "001": "name",
    "002": "abbreviation",
    "003": "commercial name",
    "004": "branch name",
}

NameComparer = Callable[[str, str, str], tuple[float, str]]


class Verdict(StrEnum):
    VERIFIED = "verified"
    NEEDS_REVIEW = "needs_review"
    FAILED = "failed"


class Severity(StrEnum):
    INFO = "info"
    REVIEW = "review"
    FAIL = "fail"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CompanyVerification:
    enterprise_number: str | None
    verdict: Verdict
    findings: tuple[Finding, ...]
    register_extract_id: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "enterprise_number": self.enterprise_number,
            "verdict": str(self.verdict),
            "register_extract_id": self.register_extract_id,
            "findings": [{**asdict(f), "severity": str(f.severity)} for f in self.findings],
        }


def verdict_of(findings: tuple[Finding, ...]) -> Verdict:
    severities = {finding.severity for finding in findings}
    if Severity.FAIL in severities:
        return Verdict.FAILED
    if Severity.REVIEW in severities:
        return Verdict.NEEDS_REVIEW
    return Verdict.VERIFIED


def code_labels(session: Session, category: str, code: str | None) -> dict[str, str]:
    """The code's description in each language the register gives it (NL, FR, DE, EN)."""
    if not code:
        return {}
    rows = session.execute(
        select(KboCode.language, KboCode.description).where(
            KboCode.category == category, KboCode.code == code
        )
    )
    return {language: description for language, description in rows}


def _label(labels: dict[str, str], code: str) -> str:
    text = " / ".join(labels[lang] for lang in ("NL", "FR") if lang in labels)
    return f"{code} ({text})" if text else code


@dataclass
class CompanyVerifier:
    session: Session
    compare_names: NameComparer
    name_threshold: float

    def verify(self, enterprise_number: str, name: str | None = None) -> CompanyVerification:
        findings: list[Finding] = []
        number = self._identifier(enterprise_number, findings)
        extract = latest_extract(self.session)
        if number is not None:
            findings.extend(self._register_findings(number, name, extract))
        result = tuple(findings)
        return CompanyVerification(
            number, verdict_of(result), result, extract.id if extract else None
        )

    def _identifier(self, text: str, findings: list[Finding]) -> str | None:
        try:
            number = normalize_enterprise_number(text)
        except InvalidIdentifier as error:
            findings.append(
                Finding("identifier.invalid", Severity.FAIL, str(error), {"given": text})
            )
            return None
        findings.append(
            Finding(
                "identifier.valid",
                Severity.INFO,
                f"{format_enterprise_number(number)} passes the mod-97 check",
                {"enterprise_number": number},
            )
        )
        return number

    def _register_findings(
        self, number: str, name: str | None, extract: RegisterExtract | None
    ) -> list[Finding]:
        if extract is None:
            return [
                Finding(
                    "register.unavailable",
                    Severity.REVIEW,
                    "no register extract is imported: the company could not be checked",
                )
            ]
        snapshot = {
            "register_extract_id": extract.id,
            "snapshot": extract.snapshot_date.isoformat(),
        }
        enterprise = self.session.get(KboEnterprise, number)
        if enterprise is None:
            return [
                Finding(
                    "register.not_found",
                    Severity.FAIL,
                    f"{format_enterprise_number(number)} is not among the register's active "
                    "entities (stopped, or a wrong number)",
                    snapshot,
                )
            ]
        findings = [*self._state_findings(enterprise, snapshot)]
        if name is not None:
            findings.append(self._name_finding(number, name, enterprise))
        return findings

    def _state_findings(self, enterprise: KboEnterprise, snapshot: dict[str, Any]) -> list[Finding]:
        findings = []
        evidence = {
            **snapshot,
            "status": enterprise.status,
            "start_date": str(enterprise.start_date),
        }
        if enterprise.status != ACTIVE:
            findings.append(
                Finding(
                    "register.inactive",
                    Severity.FAIL,
                    f"status {enterprise.status} is not active",
                    evidence,
                )
            )
        else:
            findings.append(
                Finding(
                    "register.active",
                    Severity.INFO,
                    f"active in the register since {enterprise.start_date}",
                    evidence,
                )
            )
        situation = enterprise.juridical_situation
        labels = code_labels(self.session, "JuridicalSituation", situation)
        situation_evidence = {"juridical_situation": situation, "labels": labels}
        if situation != NORMAL_SITUATION:
            findings.append(
                Finding(
                    "register.situation_not_normal",
                    Severity.REVIEW,
                    f"juridical situation {_label(labels, situation)} is not normal",
                    situation_evidence,
                )
            )
        else:
            findings.append(
                Finding(
                    "register.situation_normal",
                    Severity.INFO,
                    "normal juridical situation",
                    situation_evidence,
                )
            )
        findings.append(self._form_finding(enterprise))
        return findings

    def _form_finding(self, enterprise: KboEnterprise) -> Finding:
        if enterprise.type_of_enterprise == NATURAL_PERSON:
            return Finding(
                "register.natural_person",
                Severity.INFO,
                "a natural person's enterprise (sole trader)",
                {"type_of_enterprise": enterprise.type_of_enterprise},
            )
        form = enterprise.juridical_form_cac or enterprise.juridical_form
        labels = code_labels(self.session, "JuridicalForm", form)
        return Finding(
            "register.legal_person",
            Severity.INFO,
            f"legal person, legal form {_label(labels, form or '?')}",
            {"juridical_form": form, "labels": labels},
        )

    def _name_finding(self, number: str, name: str, enterprise: KboEnterprise) -> Finding:
        denominations = list(
            self.session.scalars(
                select(KboDenomination).where(KboDenomination.entity_number == number)
            )
        )
        if not denominations:
            return Finding(
                "name.unavailable",
                Severity.REVIEW,
                "the register holds no denomination for this enterprise",
                {"given": name},
            )
        kind = "person" if enterprise.type_of_enterprise == NATURAL_PERSON else "organization"
        scored = [(*self.compare_names(name, d.denomination, kind), d) for d in denominations]
        score, detail, best = max(scored, key=lambda item: item[0])
        evidence = {
            "given": name,
            "denomination": best.denomination,
            "type": DENOMINATION_TYPES.get(best.type_of_denomination, best.type_of_denomination),
            "language": best.language,
            "score": score,
            "detail": detail,
        }
        if score >= self.name_threshold:
            return Finding(
                "name.matches",
                Severity.INFO,
                f"the name matches the registered {evidence['type']} '{best.denomination}'",
                evidence,
            )
        return Finding(
            "name.mismatch",
            Severity.REVIEW,
            f"the name does not match a registered denomination (closest: "
            f"'{best.denomination}', score {score:.2f})",
            evidence,
        )
