"""The representation rule table (``representation.toml``) and the role words people use.

The table is data: which function codes may represent a company of which legal form, and
how (:class:`Power`); which functions never represent; which juridical situations hand
representation to a liquidator or a curator; and the one place where a declared role
("bestuurder", "gérant", "director", "30") becomes function codes.
"""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any


class Power(StrEnum):
    ALONE = "alone"
    JOINTLY = "jointly"
    COLLEGIALLY = "collegially"
    DAILY_MANAGEMENT = "daily_management"
    ARTICLES = "articles"
    NEVER = "never"


class Situation(StrEnum):
    NORMAL = "normal"
    LIQUIDATION = "liquidation"
    BANKRUPTCY = "bankruptcy"
    CLOSED = "closed"
    OTHER = "other"


NORMAL_SITUATION = "000"


class UnknownRole(ValueError):
    """A declared role that is neither a function code nor a word the table knows."""


@dataclass(frozen=True)
class Rule:
    """What a function may do for a legal form, and where that comes from."""

    power: Power
    family: str | None
    source: str


@dataclass(frozen=True)
class FormFamily:
    name: str
    legal_forms: frozenset[str]
    source: str
    powers: dict[str, Power]
    sole_member_alone: bool


@dataclass(frozen=True)
class RuleTable:
    version: str
    labels: dict[str, dict[str, str]]
    role_words: dict[str, tuple[str, ...]]
    never: frozenset[str]
    never_source: str
    liquidator: str
    liquidator_source: str
    curator: str
    curator_source: str
    permanent_representative_source: str
    sole_trader_source: str
    situations: dict[str, Situation]
    families: tuple[FormFamily, ...]

    def rule(self, legal_form: str | None, code: str) -> Rule:
        """The power of function ``code`` in a company of ``legal_form``."""
        if code in self.never:
            return Rule(Power.NEVER, None, self.never_source)
        if code == self.liquidator:
            return Rule(Power.ALONE, None, self.liquidator_source)
        if code == self.curator:
            return Rule(Power.ALONE, None, self.curator_source)
        family = self.family(legal_form)
        if family is None:
            return Rule(Power.ARTICLES, None, "no rule for this legal form in the table")
        power = family.powers.get(code)
        if power is None:
            return Rule(Power.ARTICLES, family.name, "no rule for this function in the table")
        return Rule(power, family.name, family.source)

    def family(self, legal_form: str | None) -> FormFamily | None:
        return next((f for f in self.families if legal_form in f.legal_forms), None)

    def situation(self, code: str | None) -> Situation:
        if code is None or code == NORMAL_SITUATION:
            return Situation.NORMAL
        return self.situations.get(code, Situation.OTHER)

    def label(self, code: str) -> str:
        labels = self.labels.get(code)
        if not labels:
            return f"function {code}"
        return f"{labels['nl']} / {labels['fr']} ({code})"

    def codes_for_role(self, role: str | None) -> frozenset[str] | None:
        """The function codes a declared role stands for (None: no role declared)."""
        if role is None or not role.strip():
            return None
        text = role.strip()
        if text.isdigit():
            return frozenset({text.zfill(2)})
        codes = self.role_words.get(_words(text))
        if codes is None:
            raise UnknownRole(
                f"role {role!r} is neither a function code nor a known role word "
                "(kyc/mandates/representation.toml)"
            )
        return frozenset(codes)


def _words(text: str) -> str:
    """A role word as compared: no accents, no case, single spaces, hyphens as spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("-", " ").replace("'", " ").split())


@cache
def rule_table() -> RuleTable:
    """The table shipped with the package."""
    text = resources.files("kyc.mandates").joinpath("representation.toml").read_text("utf-8")
    return parse_rule_table(tomllib.loads(text))


def parse_rule_table(data: dict[str, Any]) -> RuleTable:
    functions: dict[str, dict[str, Any]] = data["functions"]
    everywhere = data["everywhere"]
    return RuleTable(
        version=str(data["version"]),
        labels={
            code: {lang: entry[lang] for lang in ("nl", "fr", "de", "en")}
            for code, entry in functions.items()
        },
        role_words=_role_words(functions, data.get("roles", {})),
        never=frozenset(everywhere["never"]),
        never_source=everywhere["never_source"],
        liquidator=everywhere["liquidator"],
        liquidator_source=everywhere["liquidator_source"],
        curator=everywhere["curator"],
        curator_source=everywhere["curator_source"],
        permanent_representative_source=everywhere["permanent_representative_source"],
        sole_trader_source=everywhere["sole_trader_source"],
        situations={
            code: Situation(name) for name, codes in data["situations"].items() for code in codes
        },
        families=tuple(
            FormFamily(
                name=form["name"],
                legal_forms=frozenset(form["legal_forms"]),
                source=form["source"],
                powers={code: Power(power) for code, power in form["powers"].items()},
                sole_member_alone=bool(form.get("sole_member_alone", False)),
            )
            for form in data["forms"]
        ),
    )


def _role_words(
    functions: dict[str, dict[str, Any]], roles: dict[str, list[str]]
) -> dict[str, tuple[str, ...]]:
    words: dict[str, tuple[str, ...]] = {}
    for code, entry in functions.items():
        for text in (entry["nl"], entry["fr"], entry["de"], entry["en"], *entry["also"]):
            words[_words(text)] = (code,)
    # A word for several functions wins over a function's own label ("bestuurder").
    words.update({_words(word): tuple(codes) for word, codes in roles.items()})
    return words
