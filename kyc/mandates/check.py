"""May this person bind this company? One verdict, every reason with its evidence.

The register's functions (``kbo_functions``) say who holds which function since when;
the rule table (:mod:`kyc.mandates.rules`) says what each function may do for each legal
form; the matcher says whether the holder is the person declared. Whatever the register
cannot settle (a joint signature, a collegial board, a weak name match, a legal person's
permanent representative it does not name) is ``needs_review`` with what a reviewer must
check, never a pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from kyc.identifiers import InvalidIdentifier, format_enterprise_number, normalize_enterprise_number
from kyc.mandates.model import (
    Declared,
    MandatePolicy,
    MandateResult,
    MandateVerdict,
    Proxy,
    finding_dict,
    verdict_of,
)
from kyc.mandates.powers import (
    NATURAL_PERSON,
    Powers,
    birth_findings,
    date_findings,
    runs_on,
    sole_trader_finding,
)
from kyc.mandates.proxy import (
    better_of,
    grantee_finding,
    grantor_finding,
    scope_finding,
    validity_finding,
)
from kyc.mandates.rules import RuleTable, UnknownRole
from kyc.registry.prefetch import RegisterReader
from kyc.registry.verify import Finding, NameComparer, Severity
from kyc.store.models import KboEnterprise, KboFunction

LEGAL_NAME = "001"


@dataclass(frozen=True)
class _Holding:
    """A function of the enterprise and how well its holder is the declared person."""

    function: KboFunction
    score: float
    detail: str
    holder_name: str
    # Set when a legal person holds the function: who acts for it, and whether the
    # register names them as its permanent representative.
    via: str | None = None
    confirmed: bool = True
    chain: bool = False  # the legal person is itself directed by legal persons only
    unresolved: bool = False  # the register lists no function in the legal person


@dataclass(frozen=True)
class _Claim:
    """The function codes a declared role stands for (None: any), and what was wrong."""

    codes: frozenset[str] | None
    findings: tuple[Finding, ...] = ()


@dataclass
class MandateChecker:
    session: Session
    compare_names: NameComparer
    rules: RuleTable
    policy: MandatePolicy = field(default_factory=MandatePolicy)
    register: RegisterReader = field(init=False)

    def __post_init__(self) -> None:
        self.register = RegisterReader(self.session)
        self._powers = Powers(self.rules, self.policy, self.register.labels)

    def check(
        self,
        enterprise_number: str,
        person: Declared,
        as_of: date,
        proxy: Proxy | None = None,
    ) -> MandateResult:
        extract = self.register.extract()
        number, findings = self._own_mandate(enterprise_number, person, as_of, extract is not None)
        verdict = verdict_of(findings)
        if proxy is not None and number is not None:
            verdict, findings = self._with_proxy(number, person, as_of, proxy, findings)
        return MandateResult(
            number,
            verdict,
            tuple(findings),
            extract.id if extract else None,
            as_of,
            self.rules.version,
        )

    # --- the person's own function ------------------------------------------------------

    def _own_mandate(
        self, text: str, person: Declared, as_of: date, register: bool
    ) -> tuple[str | None, list[Finding]]:
        try:
            number = normalize_enterprise_number(text)
        except InvalidIdentifier as error:
            return None, [Finding("identifier.invalid", Severity.FAIL, str(error), {"given": text})]
        if not register:
            return number, [
                Finding(
                    "register.unavailable",
                    Severity.REVIEW,
                    "no register extract is imported: the mandate could not be checked",
                )
            ]
        enterprise = self.register.enterprise(number)
        if enterprise is None:
            return number, [
                Finding(
                    "register.not_found",
                    Severity.FAIL,
                    f"{format_enterprise_number(number)} is not among the register's active "
                    "entities: no one can bind it",
                    {"enterprise_number": number},
                )
            ]
        findings = self._powers.situation_findings(enterprise)
        if any(f.severity is Severity.FAIL for f in findings):
            return number, findings
        if enterprise.type_of_enterprise == NATURAL_PERSON:
            findings.append(self._sole_trader(enterprise, person))
        else:
            findings.extend(self._function_findings(enterprise, person, as_of))
        return number, findings

    def _sole_trader(self, enterprise: KboEnterprise, person: Declared) -> Finding:
        names = [
            d.denomination
            for d in self.register.denominations(enterprise.enterprise_number)
            if d.type_of_denomination == LEGAL_NAME
        ]
        return sole_trader_finding(
            person, list(names), self.compare_names, self.policy, self.rules.sole_trader_source
        )

    def _function_findings(
        self, enterprise: KboEnterprise, person: Declared, as_of: date
    ) -> list[Finding]:
        functions = self._functions(enterprise.enterprise_number)
        if not functions:
            return [
                Finding(
                    "functions.unavailable",
                    Severity.REVIEW,
                    "the register holds no functions for this enterprise (KBO Open Data has "
                    "none: import the reuse feed or a functions file)",
                    {"enterprise_number": enterprise.enterprise_number},
                )
            ]
        claimed = self._claimed_codes(person)
        holdings = [self._holding(f, person, as_of) for f in functions]
        candidates = [h for h in holdings if h.score >= self.policy.name_review_threshold]
        if not candidates:
            return [self._not_held(person, holdings)]
        strong = self.policy.name_threshold
        best = max(candidates, key=lambda h: _preference(h, claimed.codes, as_of, strong))
        findings = [*claimed.findings, self._held(best, person)]
        findings.extend(self._holder_findings(best))
        if claimed.codes is not None and best.function.function_code not in claimed.codes:
            findings.append(self._role_differs(person, best))
        findings.extend(date_findings(best.function, as_of))
        findings.extend(birth_findings(best.function, person))
        findings.extend(self._powers.findings(enterprise, best.function, functions, as_of))
        return findings

    def _functions(self, number: str) -> list[KboFunction]:
        return self.register.functions(number)

    def _claimed_codes(self, person: Declared) -> _Claim:
        try:
            return _Claim(self.rules.codes_for_role(person.role))
        except UnknownRole as error:
            finding = Finding("role.unknown", Severity.REVIEW, str(error), {"role": person.role})
            return _Claim(None, (finding,))

    def _holding(self, function: KboFunction, person: Declared, as_of: date) -> _Holding:
        if function.holder_enterprise_number is None:
            name = _person_name(function.first_name, function.last_name)
            return _Holding(function, *self.compare_names(person.name, name, "person"), name)
        holder = function.holder_enterprise_number
        if function.representative_last_name:
            name = _person_name(
                function.representative_first_name, function.representative_last_name
            )
            score, detail = self.compare_names(person.name, name, "person")
            return _Holding(function, score, detail, name, via=holder)
        return self._through_holder(function, holder, person, as_of)

    def _through_holder(
        self, function: KboFunction, holder: str, person: Declared, as_of: date
    ) -> _Holding:
        """The person among those who hold a current function in the legal person that
        holds this one: who it may have appointed, one level down and no further."""
        inner = [f for f in self._functions(holder) if runs_on(f, as_of)]
        people = [f for f in inner if f.holder_enterprise_number is None]
        if not people:
            return _Holding(
                function,
                0.0,
                "no person",
                holder,
                via=holder,
                chain=bool(inner),
                unresolved=not inner,
            )
        scored = [
            (*self.compare_names(person.name, name, "person"), name)
            for name in (_person_name(f.first_name, f.last_name) for f in people)
        ]
        score, detail, name = max(scored)
        return _Holding(function, score, detail, name, via=holder, confirmed=False)

    def _not_held(self, person: Declared, holdings: list[_Holding]) -> Finding:
        chains = sorted({h.via for h in holdings if h.chain and h.via})
        unknown = sorted({h.via for h in holdings if h.unresolved and h.via})
        evidence: dict[str, Any] = {
            "functions": [_function_evidence(self.rules, h.function) for h in holdings],
        }
        if unknown:
            evidence["legal_persons_without_functions"] = unknown
            return Finding(
                "holder.unresolved",
                Severity.REVIEW,
                f"{person.name} holds no function here in their own name; a function is held "
                f"by {', '.join(format_enterprise_number(u) for u in unknown)}, whose own "
                "functions the register lacks: a reviewer checks whether the person is its "
                "permanent representative",
                evidence,
            )
        if chains:
            evidence["legal_person_chains"] = chains
            return Finding(
                "holder.chain",
                Severity.FAIL,
                "the person holds no function here; functions held by legal persons that are "
                "themselves directed by legal persons are not followed further (a chain of "
                f"legal persons: {', '.join(format_enterprise_number(c) for c in chains)})",
                evidence,
            )
        closest = max(holdings, key=lambda h: h.score)
        evidence["closest"] = {"name": closest.holder_name, "score": closest.score}
        return Finding(
            "function.not_held",
            Severity.FAIL,
            f"{person.name} holds no function in this enterprise according to the register",
            evidence,
        )

    def _held(self, holding: _Holding, person: Declared) -> Finding:
        function = holding.function
        evidence = {
            **_function_evidence(self.rules, function),
            "declared": person.name,
            "matched_name": holding.holder_name,
            "score": holding.score,
            "detail": holding.detail,
        }
        label = self.rules.label(function.function_code)
        holder = holding.holder_name
        if holding.via is not None:
            holder = f"{format_enterprise_number(holding.via)}, acting through {holder},"
        if holding.score >= self.policy.name_threshold:
            return Finding(
                "function.held",
                Severity.INFO,
                f"the register lists {holder} as {label} since {function.begin}",
                evidence,
            )
        return Finding(
            "function.weak_name_match",
            Severity.REVIEW,
            f"the closest holder, {holding.holder_name} ({label}), only resembles "
            f"{person.name} (score {holding.score:.2f}): a reviewer confirms it is the same "
            "person",
            evidence,
        )

    def _holder_findings(self, holding: _Holding) -> list[Finding]:
        if holding.via is None:
            return []
        evidence = {
            "holder_enterprise_number": holding.via,
            "acting_person": holding.holder_name,
            "rule": self.rules.permanent_representative_source,
        }
        via = format_enterprise_number(holding.via)
        if holding.confirmed:
            return [
                Finding(
                    "holder.permanent_representative",
                    Severity.INFO,
                    f"the function is held by the legal person {via}, whose permanent "
                    f"representative is {holding.holder_name}",
                    evidence,
                )
            ]
        return [
            Finding(
                "holder.representative_unconfirmed",
                Severity.REVIEW,
                f"the function is held by the legal person {via}; {holding.holder_name} holds "
                f"a function in {via}, but the register does not name its permanent "
                "representative: a reviewer checks the appointment (Belgian Official Gazette)",
                evidence,
            )
        ]

    def _role_differs(self, person: Declared, holding: _Holding) -> Finding:
        code = holding.function.function_code
        return Finding(
            "role.differs",
            Severity.REVIEW,
            f"declared as {person.role!r}, the person holds {self.rules.label(code)} in the "
            "register",
            {"declared_role": person.role, "function_code": code},
        )

    # --- a special proxy ----------------------------------------------------------------

    def _with_proxy(
        self,
        number: str,
        person: Declared,
        as_of: date,
        proxy: Proxy,
        own: list[Finding],
    ) -> tuple[MandateVerdict, list[Finding]]:
        return better_of(own, lambda: self._proxy_findings(number, person, as_of, proxy))

    def _proxy_findings(
        self, number: str, person: Declared, as_of: date, proxy: Proxy
    ) -> list[Finding]:
        grantor = self.check(number, proxy.grantor, as_of)
        evidence = {
            "grantor": proxy.grantor.name,
            "grantor_verdict": str(grantor.verdict),
            "grantor_findings": [finding_dict(f) for f in grantor.findings],
        }
        grantee = _person_name(proxy.grantee_first_name, proxy.grantee_last_name)
        score, detail = self.compare_names(person.name, grantee, "person")
        return [
            grantor_finding(grantor.verdict, proxy.grantor.name, evidence),
            grantee_finding(person.name, grantee, score, detail, self.policy),
            scope_finding(proxy.scope, self.policy.proxy_acts),
            validity_finding(proxy, as_of),
        ]


def _preference(
    holding: _Holding, claimed: frozenset[str] | None, as_of: date, strong: float
) -> tuple[Any, ...]:
    """Which function to judge: one the person surely holds before one a namesake may
    hold; then the claimed one, a running one, the best named, the latest."""
    function = holding.function
    return (
        holding.score >= strong,
        claimed is None or function.function_code in claimed,
        runs_on(function, as_of),
        holding.score,
        function.begin,
    )


def _person_name(first: str | None, last: str | None) -> str:
    return " ".join(part for part in (first, last) if part)


def _function_evidence(rules: RuleTable, function: KboFunction) -> dict[str, Any]:
    return {
        "function_id": function.id,
        "function_code": function.function_code,
        "function_label": rules.label(function.function_code),
        "begin": function.begin.isoformat(),
        "end": function.end.isoformat() if function.end else None,
        "holder_enterprise_number": function.holder_enterprise_number,
        "source": function.source,
    }
