"""A name as the matcher sees it: its words, each with a role, and what was set aside.

Each word of a name gets a role — *name*, *particle* (al, bin, van, de…), *initial*,
*number*, or, in organisation names, *generic* (trading, group, holding…) — a phonetic
key (rigour's metaphone) and a transliteration variant. What a name carries besides
its words is set aside with the reason: a person's title, an organisation's legal form,
an abbreviation or a qualifier in brackets, a conjunction. One written name may hold
several readings (``A/B``, ``X formerly Y``, ``X (XYZ)``): :func:`readings`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache

from rigour.text.scripts import can_latinize, text_scripts

from kyc.model import EntryKind
from kyc.names.organisations import native_parts, organisation_words
from kyc.names.parts import Aside, Reason, Role, Token, token
from kyc.names.text import (
    CONSONANT_SCRIPTS,
    NATIVE_SCRIPTS,
    consonant_skeleton,
    join_abbreviations,
    native_words,
    normalize,
)
from kyc.names.words import HONORIFICS, PARTICLES, SUFFIXES, spell_numbers
from kyc.names.written import Reading, written_readings

__all__ = ["AnalysedName", "analyse", "readings"]


@dataclass(frozen=True, slots=True)
class AnalysedName:
    """A name as the matcher sees it."""

    original: str
    kind: EntryKind
    tokens: tuple[Token, ...]
    legal_forms: tuple[str, ...] = ()  # their generic classes (llc, jsc, ngo…)
    set_aside: tuple[Aside, ...] = ()  # what is not compared word by word, and why
    skeleton: str | None = None  # when written in a consonant script
    # The words as written, when the whole name is in one script other than Latin:
    # two such names compare better in their own script than transliterated.
    script: str | None = None
    native: tuple[str, ...] = ()
    native_generic: frozenset[str] = frozenset()  # those of them that are generic
    # An abbreviation the name is also written with (``BAL`` of ``Butembo Airlines
    # (BAL)``): it identifies little on its own.
    abbreviation: bool = False

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)


def _person_tokens(words: list[str]) -> tuple[list[Token], list[Aside]]:
    """Titles are set aside where titles stand: before the name (M. Dupont), and jr / sr
    after it; a lone letter elsewhere is an initial."""
    start, end = 0, len(words)
    while start < end - 1 and words[start] in HONORIFICS:
        start += 1
    while end > start + 1 and words[end - 1] in SUFFIXES:
        end -= 1
    tokens = []
    for word in words[start:end]:
        if word.isdigit():
            tokens.append(token(word, Role.NUMBER))
        elif len(word) == 1:
            tokens.append(token(word, Role.INITIAL))
        elif word in PARTICLES:
            tokens.append(token(word, Role.PARTICLE))
        else:
            tokens.append(token(word, Role.NAME))
    aside = [Aside(word, Reason.TITLE) for word in words[:start] + words[end:]]
    return tokens, aside


@lru_cache(maxsize=200_000)
def analyse(name: str, kind: EntryKind) -> AnalysedName:
    """Analyse one reading of a name of a person or an organisation; any Unicode string
    is accepted."""
    if kind is EntryKind.PERSON:
        tokens, aside = _person_tokens(spell_numbers(normalize(name).split()))
        forms: list[str] = []
    else:
        tokens, aside, forms = organisation_words(name)
    scripts = text_scripts(name) - {"Latin", "Common", "Inherited"}
    skeleton = None
    if scripts & CONSONANT_SCRIPTS:
        skeleton = consonant_skeleton(" ".join(t.text for t in tokens))
    only = next(iter(scripts)) if len(scripts) == 1 and "Latin" not in text_scripts(name) else None
    if only is not None and only not in NATIVE_SCRIPTS and can_latinize(name):
        only = None  # Cyrillic, Greek…: transliterated, with their legal forms understood
    native = native_words(join_abbreviations(name)) if only else ()
    native_generic = frozenset[str]()
    if native and kind is EntryKind.ORGANIZATION:
        native, native_generic = native_parts(native)
    return AnalysedName(
        original=name,
        kind=kind,
        tokens=tuple(tokens),
        legal_forms=tuple(forms),
        set_aside=tuple(aside),
        skeleton=skeleton,
        script=only,
        native=native,
        native_generic=native_generic,
    )


@lru_cache(maxsize=200_000)
def readings(name: str, kind: EntryKind) -> tuple[AnalysedName, ...]:
    """Every reading of a written name, analysed: the parts of ``A/B`` or ``A; B``, and
    for organisations the names around ``formerly``, ``trading as``, ``t/a``…, the name
    without what it writes in brackets, and a bracketed abbreviation on its own."""
    found: dict[tuple[str, bool], AnalysedName] = {}
    for reading in written_readings(name, kind is EntryKind.ORGANIZATION):
        analysed = _analysed_reading(reading, kind)
        if analysed.tokens or analysed.native:
            found.setdefault((analysed.text or analysed.original, analysed.abbreviation), analysed)
    return tuple(found.values())


def _analysed_reading(reading: Reading, kind: EntryKind) -> AnalysedName:
    analysed = analyse(reading.text, kind)
    if not reading.notes and not reading.abbreviation:
        return analysed
    return dataclasses.replace(
        analysed,
        set_aside=(*reading.notes, *analysed.set_aside),
        abbreviation=reading.abbreviation,
    )
