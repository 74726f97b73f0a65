"""The parts of an analysed name: words with a role, and what was set aside."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from rigour.text import metaphone

from kyc.names.words import NAME_VARIANTS


class Role(StrEnum):
    NAME = "name"
    PARTICLE = "particle"  # al, bin, van, de… (persons)
    GENERIC = "generic"  # trading, group, holding… (organisations)
    FORM = "form"  # a word of a legal form written out (joint, stock, company)
    NUMBER = "number"
    INITIAL = "initial"  # a single letter in a person's name


class Token(NamedTuple):
    """One word (a tuple: hashed fast, for the caches of the scorer)."""

    text: str
    role: Role
    phonetic: str
    variant: str  # the representative spelling (NAME_VARIANTS), else the text


class Reason(StrEnum):
    """Why something was set aside, as the explanation of a score says it."""

    TITLE = "a title"
    LEGAL_FORM = "a legal form, compared apart"
    LEGAL_FORM_WRITTEN_OUT = "a legal form written out, compared apart; its words weigh little"
    CONJUNCTION = "a conjunction"
    ARTICLE = "an article"
    ABBREVIATION = "an abbreviation in brackets, read apart from the name"
    ABBREVIATION_ALONE = "an abbreviation the name is written with, read on its own"
    QUALIFIER = "a qualifier in brackets, read with the name and without"
    QUALIFIER_KEPT = "a qualifier in brackets, read here with the name"
    OTHER_NAME = "another name of the same body, read on its own"
    SEPARATED = "names separated by '/', read one by one"


class Aside(NamedTuple):
    """Something a name carries besides the words it is compared by, and why."""

    text: str
    reason: Reason

    def describe(self) -> str:
        return f"'{self.text}' ({self.reason})"


@lru_cache(maxsize=200_000)
def phonetic(word: str) -> str:
    if not (word.isalpha() and len(word) > 2):
        return word
    code = metaphone(word)
    # Transliterations disagree most on an initial vowel: Osama / Usama.
    return "A" + code[1:] if code[:1] in "AEIOU" else code


@lru_cache(maxsize=500_000)
def token(word: str, role: Role, meaning: str | None = None) -> Token:
    """A word with its role; its variant is what it means where that is known (an
    organisation's word and its translations: ``company`` = ``компания`` = SYMBOL:CO),
    else its usual spelling (``mohammed`` = ``muhammad``)."""
    # The same words come back name after name: one Token each, built once.
    return Token(word, role, phonetic(word), meaning or NAME_VARIANTS.get(word, word))
