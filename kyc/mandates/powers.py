"""What a function may do for the company: what the juridical situation allows (a
liquidator, a curator, no one), whether the function runs on the day, whether its holder
is the declared person by birth date, and its power for the legal form (a sole director,
daily management, joint or collegial signature, the articles); and a sole trader's
enterprise, which only its owner represents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from kyc.mandates.model import Declared, MandatePolicy
from kyc.mandates.rules import Power, RuleTable, Situation
from kyc.registry.verify import Finding, NameComparer, Severity, labelled_code
from kyc.store.models import KboEnterprise, KboFunction

# KBO's type of enterprise of a natural person: a sole trader.
NATURAL_PERSON = "1"
# The functions that sit on a board: a board with one of them is a sole director.
BOARD = frozenset({"10", "11", "13", "14", "20"})


def runs_on(function: KboFunction, day: date) -> bool:
    return function.begin <= day and (function.end is None or day <= function.end)


def date_findings(function: KboFunction, as_of: date) -> list[Finding]:
    """Whether the function runs on ``as_of``: not begun, ended, or current."""
    evidence = {
        "function_id": function.id,
        "begin": function.begin.isoformat(),
        "end": function.end.isoformat() if function.end else None,
        "as_of": as_of.isoformat(),
    }
    if function.begin > as_of:
        return [
            Finding(
                "function.not_started",
                Severity.FAIL,
                f"the function begins on {function.begin}, after {as_of}",
                evidence,
            )
        ]
    if function.end is not None and function.end < as_of:
        reason = f" (end reason {function.end_reason})" if function.end_reason else ""
        return [
            Finding(
                "function.ended",
                Severity.FAIL,
                f"the function ended on {function.end}{reason}",
                evidence,
            )
        ]
    return [Finding("function.current", Severity.INFO, f"the function runs on {as_of}", evidence)]


def birth_findings(function: KboFunction, person: Declared) -> list[Finding]:
    """The declared birth date (year, month, day as far as known) against the holder's."""
    if function.birth_date is None or person.birth_date is None:
        return []
    registered = function.birth_date
    declared = person.birth_date
    agrees = declared.year == registered.year and (
        declared.month is None
        or (
            declared.month == registered.month
            and (declared.day is None or declared.day == registered.day)
        )
    )
    evidence = {"declared": str(declared), "registered": registered.isoformat()}
    if agrees:
        return [
            Finding(
                "birth_date.matches",
                Severity.INFO,
                "the birth date agrees with the function holder's",
                evidence,
            )
        ]
    return [
        Finding(
            "birth_date.mismatch",
            Severity.FAIL,
            "the birth date differs from the function holder's: another person of the same name",
            evidence,
        )
    ]


def sole_trader_finding(
    person: Declared,
    names: list[str],
    compare_names: NameComparer,
    policy: MandatePolicy,
    rule_source: str,
) -> Finding:
    """A sole trader's enterprise is represented by its owner: is the person the owner
    the register names (``names``: its legal names)?"""
    evidence: dict[str, Any] = {
        "type_of_enterprise": NATURAL_PERSON,
        "rule": rule_source,
    }
    if not names:
        return Finding(
            "sole_trader.no_name",
            Severity.REVIEW,
            "a sole trader's enterprise without a registered name: a reviewer compares "
            "the person with the enterprise's founder",
            evidence,
        )
    score, detail, name = max((*compare_names(person.name, name, "person"), name) for name in names)
    evidence.update(registered_name=name, score=score, detail=detail)
    if score >= policy.name_threshold:
        return Finding(
            "sole_trader.matches",
            Severity.INFO,
            f"a sole trader's enterprise is represented by its owner, '{name}': the "
            "person is the owner",
            evidence,
        )
    if score >= policy.name_review_threshold:
        return Finding(
            "sole_trader.weak_match",
            Severity.REVIEW,
            f"the person only resembles the owner '{name}' (score {score:.2f})",
            evidence,
        )
    return Finding(
        "sole_trader.mismatch",
        Severity.FAIL,
        f"a sole trader's enterprise is represented by its owner '{name}' only, not by this person",
        evidence,
    )


@dataclass(frozen=True)
class Powers:
    """The power of a function, by the rule table, for one enterprise."""

    rules: RuleTable
    policy: MandatePolicy
    labels: Callable[[str, str | None], dict[str, str]]

    def situation_findings(self, enterprise: KboEnterprise) -> list[Finding]:
        """What the juridical situation says of who may act: nothing when it is normal."""
        code = enterprise.juridical_situation
        situation = self.rules.situation(code)
        labels = self.labels("JuridicalSituation", code)
        evidence = {"juridical_situation": code, "labels": labels}
        described = labelled_code(labels, code)
        if situation is Situation.NORMAL:
            return []
        if situation is Situation.CLOSED:
            return [
                Finding(
                    "situation.closed",
                    Severity.FAIL,
                    f"juridical situation {described}: the enterprise is closed, no one binds it",
                    evidence,
                )
            ]
        if situation is Situation.LIQUIDATION:
            message = f"{described}: in liquidation, only its liquidator represents the company"
            return [Finding("situation.liquidation", Severity.INFO, message, evidence)]
        if situation is Situation.BANKRUPTCY:
            message = f"{described}: bankrupt, only its curator represents the company"
            return [Finding("situation.bankruptcy", Severity.INFO, message, evidence)]
        return [
            Finding(
                "situation.not_normal",
                Severity.REVIEW,
                f"juridical situation {described} is not normal: a reviewer checks whether "
                "it changes who may act",
                evidence,
            )
        ]

    def findings(
        self,
        enterprise: KboEnterprise,
        function: KboFunction,
        functions: list[KboFunction],
        as_of: date,
    ) -> list[Finding]:
        code = function.function_code
        form = enterprise.juridical_form_cac or enterprise.juridical_form
        situation = self.rules.situation(enterprise.juridical_situation)
        gate = self._situation_gate(situation, code)
        if gate is not None:
            return [gate]
        rule = self.rules.rule(form, code)
        evidence = {
            "legal_form": form,
            "legal_form_labels": self.labels("JuridicalForm", form),
            "function_code": code,
            "power": str(rule.power),
            "rule_family": rule.family,
            "source": rule.source,
            "rules_version": self.rules.version,
        }
        label = self.rules.label(code)
        if rule.power is Power.COLLEGIALLY and self._sole_board_member(
            form, function, functions, as_of
        ):
            return [
                Finding(
                    "power.sole_director",
                    Severity.INFO,
                    f"{label} is the board's only member in the register: a sole director "
                    "represents the company alone",
                    evidence,
                )
            ]
        return [self._power_finding(rule.power, label, evidence)]

    def _situation_gate(self, situation: Situation, code: str) -> Finding | None:
        liquidator, curator = self.rules.liquidator, self.rules.curator
        expected = {Situation.LIQUIDATION: liquidator, Situation.BANKRUPTCY: curator}.get(situation)
        if expected is not None and code != expected:
            return Finding(
                f"power.{situation}_only",
                Severity.FAIL,
                f"in {situation} only the {self.rules.label(expected)} represents the company, "
                f"not the {self.rules.label(code)}",
                {"function_code": code, "situation": str(situation)},
            )
        if situation is Situation.NORMAL and code in (liquidator, curator):
            return Finding(
                "power.situation_normal",
                Severity.FAIL,
                f"the {self.rules.label(code)} represents only a company in liquidation or "
                "bankruptcy; this one's situation is normal",
                {"function_code": code, "situation": str(situation)},
            )
        return None

    def _sole_board_member(
        self, form: str | None, function: KboFunction, functions: list[KboFunction], as_of: date
    ) -> bool:
        family = self.rules.family(form)
        if family is None or not family.sole_member_alone:
            return False
        board = [f for f in functions if f.function_code in BOARD and runs_on(f, as_of)]
        return [f.id for f in board] == [function.id]

    def _power_finding(self, power: Power, label: str, evidence: dict[str, Any]) -> Finding:
        if power is Power.ALONE:
            return Finding("power.alone", Severity.INFO, f"the {label} represents alone", evidence)
        if power is Power.NEVER:
            return Finding(
                "power.never",
                Severity.FAIL,
                f"the {label} never represents the company",
                evidence,
            )
        if power is Power.DAILY_MANAGEMENT:
            suffices = self.policy.daily_management_suffices
            return Finding(
                "power.daily_management",
                Severity.INFO if suffices else Severity.REVIEW,
                f"the {label} binds the company for daily management only; by policy a "
                f"Peppol registration {'is' if suffices else 'is not settled as'} such an act"
                + ("" if suffices else ": a reviewer decides"),
                {**evidence, "daily_management_suffices": suffices},
            )
        what = {
            Power.JOINTLY: "acts only jointly: a reviewer checks the second signatory",
            Power.COLLEGIALLY: "acts only with the board as a college: a reviewer checks a "
            "board decision or the articles' signing clause",
            Power.ARTICLES: "may or may not represent: the register cannot tell; a reviewer "
            "checks the articles of association",
        }[power]
        return Finding(f"power.{power}", Severity.REVIEW, f"the {label} {what}", evidence)
