"""The keys of names the matcher run in reverse compares (:mod:`kyc.matching.reverse`):
the words, forms, skeletons and whole strings the prefilter compares
(:mod:`kyc.matching.prefilter`, :mod:`kyc.matching.readings`), each of a type, and which
types of an entry's keys can touch which of a customer's."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import StrEnum

from kyc.matching.reverse_bound import Path
from kyc.matching.rows import alternate_forms
from kyc.matching.scorer import identifying, skeleton_words
from kyc.matching.skeletons import skeleton_joins
from kyc.model import ScreeningSubject
from kyc.names import AnalysedName, Token, readings


class KeyType(StrEnum):
    """What a key is of a name (stored with it; short: there are millions)."""

    NAME = "n"  # an identifying word (see word_key)
    OTHER = "o"  # a particle, a generic word, an initial, a legal form
    ALTERNATE = "a"  # neighbouring words written as one, an organisation's initials
    SKELETON = "s"  # a consonant skeleton of a word of a name written with vowels
    ABJAD_SKELETON = "sa"  # … of a name written without them
    SKELETON_JOIN = "sj"  # neighbouring skeletons as one
    ABJAD_SKELETON_JOIN = "saj"
    WHOLE_SINGLE = "j1"  # a one-word name
    WHOLE = "j"  # a name of several words, written without spaces
    NATIVE_WORD = "w"  # a word of a name in its own script
    NATIVE_WHOLE = "W"


K = KeyType
# For each type of a customer's key: the types of an entry's keys that touch it, and
# how (the relation mirrors the prefilter's searches, see the module).
TOUCHED_BY: dict[KeyType, dict[KeyType, Path]] = {
    K.NAME: {K.NAME: Path.WORD, K.OTHER: Path.CROSSED, K.ALTERNATE: Path.KEPT},
    K.OTHER: {K.NAME: Path.CROSSED},
    K.ALTERNATE: {K.NAME: Path.KEPT},
    K.SKELETON: {K.ABJAD_SKELETON: Path.SKELETON, K.ABJAD_SKELETON_JOIN: Path.KEPT},
    K.SKELETON_JOIN: {K.ABJAD_SKELETON: Path.KEPT},
    K.ABJAD_SKELETON: {
        K.SKELETON: Path.SKELETON,
        K.ABJAD_SKELETON: Path.SKELETON,
        K.SKELETON_JOIN: Path.KEPT,
        K.ABJAD_SKELETON_JOIN: Path.KEPT,
    },
    K.ABJAD_SKELETON_JOIN: {K.SKELETON: Path.KEPT, K.ABJAD_SKELETON: Path.KEPT},
    K.WHOLE_SINGLE: {K.WHOLE_SINGLE: Path.KEPT, K.WHOLE: Path.KEPT},
    K.WHOLE: {K.WHOLE_SINGLE: Path.KEPT},
    K.NATIVE_WORD: {K.NATIVE_WORD: Path.KEPT},
    K.NATIVE_WHOLE: {K.NATIVE_WHOLE: Path.KEPT},
}
# Keys compared by the scorer's word similarity (the others by plain spelling ratio).
WORDS = frozenset({K.NAME, K.OTHER, K.SKELETON, K.ABJAD_SKELETON})
SKELETONS = frozenset({K.SKELETON, K.ABJAD_SKELETON, K.SKELETON_JOIN, K.ABJAD_SKELETON_JOIN})
# Neighbouring words as one and initials: searched apart, only when (nearly) equal.
ALTERNATES = frozenset({K.ALTERNATE, K.SKELETON_JOIN, K.ABJAD_SKELETON_JOIN})

Key = tuple[KeyType, str]
Keyed = tuple[KeyType, str, Token | None]


def name_keys(names: Iterable[AnalysedName]) -> set[Key]:
    """The keys of some analysed names (every reading of every name of a subject or an
    entry), as the prefilter indexes an alias (see KindIndex.add)."""
    return {(kind, text) for kind, text, _token in keyed(names)}


def keyed(names: Iterable[AnalysedName]) -> Iterator[Keyed]:
    """Each key, with the word it is where it is one."""
    for name in names:
        yield from _word_keys(name)
        yield from _skeleton_keys(name)
        whole = K.WHOLE_SINGLE if len(name.tokens) == 1 else K.WHOLE
        if name.tokens:
            yield whole, name.text.replace(" ", ""), None
        if name.native and name.script:
            yield from ((K.NATIVE_WORD, word, None) for word in name.native)
            yield K.NATIVE_WHOLE, "".join(name.native), None


def _word_keys(name: AnalysedName) -> Iterator[Keyed]:
    key = identifying(name.tokens)
    for word in name.tokens:
        yield (K.NAME if word in key else K.OTHER), word_key(word), word
    for form in alternate_forms(name):
        yield K.ALTERNATE, form.text, form


def _skeleton_keys(name: AnalysedName) -> Iterator[Keyed]:
    abjad = bool(name.skeleton)
    for pair in skeleton_words(name):
        for word in pair:
            if word is not None:
                yield (K.ABJAD_SKELETON if abjad else K.SKELETON), word_key(word), word
    for joined in skeleton_joins(name):
        yield (K.ABJAD_SKELETON_JOIN if abjad else K.SKELETON_JOIN), joined.text, joined


_MEANT = "|"  # between a word's meaning and its spelling, in its key


def word_key(word: Token) -> str:
    """A word's key: its spelling, after what it means where it means something
    (``DOMAIN:ENERGY|energy``: an organisation's word and its translations share a
    meaning, company = شركة), so that one key says all the scorer compares."""
    return f"{word.variant}{_MEANT}{word.text}" if ":" in word.variant else word.text


def key_word(key: str) -> tuple[str, str | None]:
    """The spelling and the meaning (if any) a word key holds."""
    meaning, _, text = key.rpartition(_MEANT)
    return text, meaning or None


def subject_readings(subject: ScreeningSubject) -> list[AnalysedName]:
    """Every reading of every name of a subject, as the matcher reads it."""
    texts = (subject.name, *subject.extra_names)
    return [reading for text in texts for reading in readings(text, subject.kind)]
