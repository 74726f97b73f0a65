"""What a function may do for the company: whether it runs on the day, whether its
holder is the declared person by birth date, and its power for the legal form in the
company's juridical situation (a sole director, daily management, joint or collegial
signature, the articles)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from kyc.mandates.model import Declared, MandatePolicy
from kyc.mandates.rules import Power, RuleTable, Situation
from kyc.registry.verify import Finding, Severity
from kyc.store.models import KboEnterprise, KboFunction

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


@dataclass(frozen=True)
class Powers:
    """The power of a function, by the rule table, for one enterprise."""

    rules: RuleTable
    policy: MandatePolicy
    labels: Callable[[str, str | None], dict[str, str]]

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
