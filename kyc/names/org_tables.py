"""The tables organisation names are read with: ``organisations.toml`` (Belgian legal
forms old and new, forms of other countries and scripts, generic words, conjunctions,
what words mean) and rigour's organisation symbols, each read once."""

from __future__ import annotations

import tomllib
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from rigour.names import NameTypeTag, Symbol, analyze_names

# Abbreviations in organisation names, written out.
ORG_ABBREVIATIONS: dict[str, str] = {
    "intl": "international",
    "int": "international",
    "natl": "national",
    "dept": "department",
    "assn": "association",
    "assoc": "association",
    "mfg": "manufacturing",
    "ind": "industries",
    "inds": "industries",
    "svcs": "services",
    "tech": "technology",
    "us": "united states",
    "usa": "united states of america",
    "uk": "united kingdom",
    "st": "saint",
    "corp": "corporation",
    "1st": "first",
    "2nd": "second",
    "3rd": "third",
    "4th": "fourth",
    "5th": "fifth",
}


@cache
def tables() -> dict[str, Any]:
    """``organisations.toml``, read once."""
    text = resources.files("kyc.names").joinpath("organisations.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def belgian_forms() -> dict[str, tuple[str, str]]:
    """Each Belgian form as written: its Belgian class and its generic class."""
    forms = tables()["belgian_forms"]["forms"]
    return {form: (classes[0], classes[1]) for form, classes in forms.items()}


@cache
def form_classes() -> dict[str, str]:
    """Every written form of our tables, with its generic class."""
    classes = {form: generic for form, (_belgian, generic) in belgian_forms().items()}
    classes.update(tables()["other_forms"]["forms"])
    return classes


@cache
def native_forms() -> dict[str, str]:
    return dict(tables()["other_forms"]["native"])


@cache
def generic_words() -> frozenset[str]:
    return frozenset(tables()["generic_words"]["words"].split())


@cache
def conjunctions() -> frozenset[str]:
    return frozenset(tables()["conjunctions"]["words"].split())


@cache
def native_conjunctions() -> frozenset[str]:
    return frozenset(tables()["conjunctions"]["native"])


# What a word means, if anything: (its symbol — the same in every language — and whether
# it is generic). ``company``, ``компания`` and ``شركة`` are all SYMBOL:CO, generic;
# ``bank`` and ``банк`` DOMAIN:BANK, a word of the name.
Meaning = tuple[str | None, bool]
NO_MEANING: Meaning = (None, False)
_CATEGORY_NAMES = {Symbol.Category.SYMBOL: "SYMBOL", Symbol.Category.DOMAIN: "DOMAIN"}


@lru_cache(maxsize=500_000)
def meaning(word: str) -> Meaning:
    """The word's symbol (rigour's org symbol tagger, or our table for the words it
    lacks) and whether it is generic (a SYMBOL of rigour's, or in our generic words)."""
    ours = _our_symbols().get(word)
    if ours is not None:
        return ours, ours.startswith("SYMBOL:")
    tagged = analyze_names(
        NameTypeTag.ORG, [word], phonetics=False, numerics=False, consolidate=False, rewrite=False
    )
    symbols = sorted(
        (_CATEGORY_NAMES[span.symbol.category], str(span.symbol.id))
        for name in tagged
        for span in name.spans
        if span.symbol.category in _CATEGORY_NAMES
    )
    generic = word in generic_words() or any(category == "SYMBOL" for category, _ in symbols)
    symbol = f"{symbols[0][0]}:{symbols[0][1]}" if symbols else None
    return symbol, generic


@cache
def _our_symbols() -> dict[str, str]:
    return dict(tables()["symbols"]["words"])


def native_form(word: str) -> tuple[str, str, str] | None:
    """A designation written in its own script, alone or ending or beginning a word
    written without spaces (``华为技术有限公司``): (the rest of the word, the form, its
    class)."""
    forms = native_forms()
    for form in sorted(forms, key=len, reverse=True):
        if word.endswith(form):
            return word[: -len(form)], form, forms[form]
        if word.startswith(form):
            return word[len(form) :], form, forms[form]
    return None


def belgian_form_class(form: str) -> str | None:
    """The Belgian class of a legal form as written (``bvba`` → ``bv``), if Belgian."""
    found = belgian_forms().get(form)
    return found[0] if found else None
