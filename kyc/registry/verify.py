"""Company verification against the register: one verdict, every finding with its evidence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session
from stdnum.be import vat as belgian_vat

from kyc.identifiers import (
    PEPPOL_SCHEME_ENTERPRISE,
    PEPPOL_SCHEME_VAT,
    SML_PRODUCTION_ZONE,
    InvalidIdentifier,
    PeppolId,
    format_enterprise_number,
    normalize_enterprise_number,
    parse_peppol_id,
    sml_lookup_name,
)
from kyc.registry.address import GivenAddress, compare_address
from kyc.registry.legal_forms import form_class_of_code, written_forms
from kyc.registry.peppol import PARTICIPANT_SCHEME, SmpClient
from kyc.registry.prefetch import RegisterReader
from kyc.store.models import KboEnterprise, RegisterExtract

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


def labelled_code(labels: dict[str, str], code: str) -> str:
    text = " / ".join(labels[lang] for lang in ("NL", "FR") if lang in labels)
    return f"{code} ({text})" if text else code


@dataclass
class CompanyVerifier:
    """``smp``: ask an SMP whether the Peppol id is registered (off unless configured)."""

    session: Session
    compare_names: NameComparer
    name_threshold: float
    smp: SmpClient | None = None
    sml_zone: str = SML_PRODUCTION_ZONE
    register: RegisterReader = field(init=False)

    def __post_init__(self) -> None:
        self.register = RegisterReader(self.session)

    def verify(
        self,
        enterprise_number: str,
        name: str | None = None,
        address: GivenAddress | None = None,
        peppol_id: str | None = None,
    ) -> CompanyVerification:
        """Every finding about the company, and the verdict they make."""
        findings: list[Finding] = []
        number = self._identifier(enterprise_number, findings)
        extract = self.register.extract()
        if number is not None:
            findings.extend(self._register_findings(number, name, address, extract))
        if peppol_id:
            findings.extend(self._peppol_findings(number, peppol_id))
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
                f"{format_enterprise_number(number)} passes the mod-97 check; its VAT number "
                f"is BE{number}, its Peppol ids {PEPPOL_SCHEME_ENTERPRISE}:{number} and "
                f"{PEPPOL_SCHEME_VAT}:BE{number}",
                {
                    "enterprise_number": number,
                    "vat_number": f"BE{number}",
                    "vat_number_valid": belgian_vat.is_valid(f"BE{number}"),
                    "peppol_ids": [
                        f"{PEPPOL_SCHEME_ENTERPRISE}:{number}",
                        f"{PEPPOL_SCHEME_VAT}:BE{number}",
                    ],
                },
            )
        )
        return number

    def _peppol_findings(self, number: str | None, text: str) -> list[Finding]:
        try:
            participant = parse_peppol_id(text)
        except InvalidIdentifier as error:
            return [Finding("peppol.invalid", Severity.FAIL, str(error), {"given": text})]
        evidence = {
            "participant": f"{PARTICIPANT_SCHEME}::{participant}",
            "sml_name": sml_lookup_name(str(participant), self.sml_zone),
        }
        carried = participant.enterprise_number
        if carried is None:
            return [
                Finding(
                    "peppol.other_scheme",
                    Severity.REVIEW,
                    f"{participant} does not carry a Belgian enterprise number (scheme "
                    f"{participant.scheme}): a Belgian company registers as "
                    f"{PEPPOL_SCHEME_ENTERPRISE}:<enterprise number>",
                    evidence,
                )
            ]
        if number is not None and carried != number:
            return [
                Finding(
                    "peppol.mismatch",
                    Severity.FAIL,
                    f"{participant} names enterprise {format_enterprise_number(carried)}, not "
                    f"{format_enterprise_number(number)}",
                    evidence,
                )
            ]
        findings = [
            Finding(
                "peppol.consistent",
                Severity.INFO,
                f"{participant} is this enterprise's own Peppol id",
                evidence,
            )
        ]
        if self.smp is not None:
            findings.append(_smp_finding(self.smp, participant))
        return findings

    def _register_findings(
        self,
        number: str,
        name: str | None,
        address: GivenAddress | None,
        extract: RegisterExtract | None,
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
        enterprise = self.register.enterprise(number)
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
            findings.extend(self._written_form_findings(name, enterprise))
        if address is not None and address.given():
            findings.append(self._address_finding(number, address, enterprise))
        return findings

    def _address_finding(
        self, number: str, address: GivenAddress, enterprise: KboEnterprise
    ) -> Finding:
        seat = self.register.seat(number)
        given = {key: value for key, value in vars(address).items() if value}
        if seat is None:
            if enterprise.type_of_enterprise == NATURAL_PERSON:
                return Finding(
                    "address.no_seat",
                    Severity.INFO,
                    "the register gives no seat address for a natural person's enterprise",
                    {"given": given},
                )
            return Finding(
                "address.unavailable",
                Severity.REVIEW,
                "the register holds no seat address for this enterprise",
                {"given": given},
            )
        fields = compare_address(address, seat)
        evidence = {"given": given, "fields": [vars(field) for field in fields]}
        differing = [field.field for field in fields if not field.matches]
        if seat.date_striking_off is not None:
            evidence["struck_off"] = str(seat.date_striking_off)
            return Finding(
                "address.struck_off",
                Severity.REVIEW,
                f"the registered seat address was struck off on {seat.date_striking_off}",
                evidence,
            )
        if differing:
            return Finding(
                "address.mismatch",
                Severity.REVIEW,
                "the address differs from the registered seat in: " + ", ".join(differing),
                evidence,
            )
        return Finding(
            "address.matches",
            Severity.INFO,
            "the address is the registered seat's",
            evidence,
        )

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
        labels = self.register.labels("JuridicalSituation", situation)
        situation_evidence = {"juridical_situation": situation, "labels": labels}
        if situation != NORMAL_SITUATION:
            findings.append(
                Finding(
                    "register.situation_not_normal",
                    Severity.REVIEW,
                    f"juridical situation {labelled_code(labels, situation)} is not normal",
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
        form = _legal_form(enterprise)
        labels = self.register.labels("JuridicalForm", form)
        return Finding(
            "register.legal_person",
            Severity.INFO,
            f"legal person, legal form {labelled_code(labels, form or '?')}",
            {"juridical_form": form, "labels": labels},
        )

    def _written_form_findings(self, name: str, enterprise: KboEnterprise) -> list[Finding]:
        """A legal form written in the name that is not the registered one (an NV that
        calls itself a BV) is for review; the old and new name of one form agree."""
        code = _legal_form(enterprise)
        registered = form_class_of_code(code)
        written = written_forms(name)
        if registered is None or not written or registered in written.values():
            return []
        labels = self.register.labels("JuridicalForm", code)
        return [
            Finding(
                "name.legal_form_mismatch",
                Severity.REVIEW,
                f"the name gives the legal form {'/'.join(w.upper() for w in written)}, "
                f"the register {labelled_code(labels, code or '?')}",
                {"given": name, "written": written, "juridical_form": code, "labels": labels},
            )
        ]

    def _name_finding(self, number: str, name: str, enterprise: KboEnterprise) -> Finding:
        denominations = self.register.denominations(number)
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


def _legal_form(enterprise: KboEnterprise) -> str | None:
    """The legal form as KBO reads it now (the CAC form, when the company's articles have
    not yet been brought in line with the WVV/CSA), else the registered one."""
    return enterprise.juridical_form_cac or enterprise.juridical_form


def _smp_finding(smp: SmpClient, participant: PeppolId) -> Finding:
    answer = smp.lookup(participant)
    evidence = {"sml_name": answer.lookup_name, "url": answer.url, "status": answer.status}
    if answer.registered:
        return Finding(
            "peppol.smp_registered",
            Severity.INFO,
            f"{participant} is registered with an SMP already: registering it with "
            "another access point needs the current one to release it",
            evidence,
        )
    if answer.registered is False:
        return Finding(
            "peppol.smp_not_registered",
            Severity.INFO,
            f"{participant} is not registered with an SMP yet"
            + (" (the SML names no SMP for it)" if answer.url is None else ""),
            evidence,
        )
    return Finding(
        "peppol.smp_unanswered",
        Severity.INFO,
        f"the SMP lookup got no answer ({answer.error}): registration unknown",
        evidence,
    )
