"""The matcher run in reverse: which customers could a list entry reach?

A delta screening compares a few new or changed list entries with every customer. Rather
than read and analyse every customer's names again, each customer's names are kept as
*keys* — the words, forms, skeletons and whole strings the prefilter compares
(:mod:`kyc.matching.prefilter`, :mod:`kyc.matching.readings`) — and an entry's own keys
find the customers it could meet. The customers found are then screened forward by the
real matcher, so the outcome is that of a full screening; the keys only have to find
*every* customer the prefilter could keep.

They do, because every pair the prefilter keeps touches: some word of one side is close
to a word of the other (an identifying word of one to any word of the other: two
particles or generic words alone never make a pair), and two words are close only when
their plain spelling ratio reaches the lowest floor any search of the prefilter starts
from, or when they share a transliteration variant or a meaning
(:func:`kyc.matching.vocabulary.token_keys`). The same holds of the readings besides the
words: consonant skeletons (compared only when one side is written without vowels),
whole strings of one-word names (against the other written without spaces), names in
their own script.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from kyc.matching.readings import EPSILON
from kyc.matching.rows import alternate_forms
from kyc.matching.scorer import WHOLE_FACTOR, identifying, skeleton_words
from kyc.matching.skeletons import skeleton_joins
from kyc.matching.spelling import ByLength
from kyc.matching.weights import Weights
from kyc.matching.words import word_similarity
from kyc.model import EntryKind, ListEntry, ScreeningSubject
from kyc.names import AnalysedName, Role, Token, readings
from kyc.names import token as make_token


class KeyType(StrEnum):
    """What a key is of a name (stored with it; short: there are millions)."""

    NAME = "n"  # an identifying word, neighbouring words joined, an organisation's initials
    OTHER = "o"  # a particle, a generic word, an initial, a legal form
    NAME_VARIANT = "nv"  # the transliteration variant or meaning of a NAME word
    OTHER_VARIANT = "ov"
    SKELETON = "s"  # a consonant skeleton of a word of a name written with vowels
    ABJAD_SKELETON = "sa"  # … of a name written without them
    MEANING = "m"  # the meaning of a word, as its skeleton keeps it
    ABJAD_MEANING = "ma"
    WHOLE_SINGLE = "j1"  # a one-word name
    WHOLE = "j"  # a name of several words, written without spaces
    NATIVE_WORD = "w"  # a word of a name in its own script
    NATIVE_WHOLE = "W"


# A word's variant is kept only where it is not the word itself (``mohamed`` has
# ``muhammad``; ``muhammad`` has none): words and variants meet both ways.
_NAME_WORD = (KeyType.NAME, KeyType.NAME_VARIANT)
_ANY_WORD = (*_NAME_WORD, KeyType.OTHER, KeyType.OTHER_VARIANT)
# For each type of a customer's key, the types of an entry's keys that can touch it (the
# relation is symmetric: an entry's key of type T touches customers' keys of the types
# whose row names T).
TOUCHED_BY: dict[KeyType, tuple[KeyType, ...]] = {
    KeyType.NAME: _ANY_WORD,
    KeyType.OTHER: _NAME_WORD,
    KeyType.NAME_VARIANT: _ANY_WORD,
    KeyType.OTHER_VARIANT: _NAME_WORD,
    KeyType.SKELETON: (KeyType.ABJAD_SKELETON,),
    KeyType.ABJAD_SKELETON: (KeyType.SKELETON, KeyType.ABJAD_SKELETON),
    KeyType.MEANING: (KeyType.ABJAD_MEANING,),
    KeyType.ABJAD_MEANING: (KeyType.MEANING, KeyType.ABJAD_MEANING),
    KeyType.WHOLE_SINGLE: (KeyType.WHOLE_SINGLE, KeyType.WHOLE),
    KeyType.WHOLE: (KeyType.WHOLE_SINGLE,),
    KeyType.NATIVE_WORD: (KeyType.NATIVE_WORD,),
    KeyType.NATIVE_WHOLE: (KeyType.NATIVE_WHOLE,),
}
# Keys that touch only when equal; the others when spelt alike (see contact_floor).
EXACT = frozenset(
    {KeyType.NAME_VARIANT, KeyType.OTHER_VARIANT, KeyType.MEANING, KeyType.ABJAD_MEANING}
)

Key = tuple[KeyType, str]
# Keys compared as words, with the scorer's own word similarity (see Probes.touched).
WORDS = frozenset({KeyType.NAME, KeyType.OTHER, KeyType.SKELETON, KeyType.ABJAD_SKELETON})


def name_keys(names: Iterable[AnalysedName]) -> set[Key]:
    """The keys of some analysed names (every reading of every name of a subject or an
    entry), as the prefilter indexes an alias (see KindIndex.add)."""
    return {(kind, text) for kind, text, _token in _keyed(names)}


def _keyed(names: Iterable[AnalysedName]) -> Iterator[tuple[KeyType, str, Token | None]]:
    """Each key, with the word it is where it is one."""
    for name in names:
        yield from _word_keys(name)
        yield from _skeleton_keys(name)
        whole = KeyType.WHOLE_SINGLE if len(name.tokens) == 1 else KeyType.WHOLE
        if name.tokens:
            yield whole, name.text.replace(" ", ""), None
        if name.native and name.script:
            yield from ((KeyType.NATIVE_WORD, word, None) for word in name.native)
            yield KeyType.NATIVE_WHOLE, "".join(name.native), None


def _word_keys(name: AnalysedName) -> Iterator[tuple[KeyType, str, Token | None]]:
    key = identifying(name.tokens)
    for token in (*key, *alternate_forms(name)):
        yield KeyType.NAME, token.text, token
        yield from _meaning(KeyType.NAME_VARIANT, token)
    for token in name.tokens:
        if token not in key:
            yield KeyType.OTHER, token.text, token
            yield from _meaning(KeyType.OTHER_VARIANT, token)


def _meaning(kind: KeyType, token: Token) -> Iterator[tuple[KeyType, str, Token | None]]:
    if token.variant != token.text:
        yield kind, token.variant, None


def _skeleton_keys(name: AnalysedName) -> Iterator[tuple[KeyType, str, Token | None]]:
    abjad = bool(name.skeleton)
    spelt = KeyType.ABJAD_SKELETON if abjad else KeyType.SKELETON
    meant = KeyType.ABJAD_MEANING if abjad else KeyType.MEANING
    for pair in skeleton_words(name):
        for word in pair:
            if word is not None:
                yield spelt, word.text, word
                if ":" in word.variant:
                    yield meant, word.variant, None
    for joined in skeleton_joins(name):
        yield spelt, joined.text, joined


def subject_keys(subject: ScreeningSubject) -> set[Key]:
    """The keys of every reading of every name of a subject, as the matcher reads it."""
    texts = (subject.name, *subject.extra_names)
    return name_keys(reading for text in texts for reading in readings(text, subject.kind))


def _entry_readings(entry: ListEntry) -> Iterator[AnalysedName]:
    return (reading for name in entry.names for reading in readings(name.full, entry.kind))


@dataclass(frozen=True)
class Floors:
    """From what likeness the prefilter pairs two keys of each type, at one threshold:
    words and skeletons by the scorer's word similarity (searched from the lowest plain
    spelling ratio it can come from), whole strings and names in their own script by
    plain ratio."""

    min_pair: float
    spelling: float  # the plain ratio a word search starts from
    whole: float
    native_whole: float

    @classmethod
    def of(cls, weights: Weights, threshold: float) -> Floors:
        needed = threshold - (weights.birth_exact + weights.country_match)
        return cls(
            min_pair=weights.min_pair,
            spelling=min(weights.min_pair, weights.phonetic_min_spelling),
            whole=max(0.0, needed / WHOLE_FACTOR - 0.01),
            native_whole=needed,
        )

    def search(self, stored: KeyType) -> float:
        """The plain ratio from which two keys of type ``stored`` are compared."""
        if stored in (KeyType.WHOLE, KeyType.WHOLE_SINGLE):
            return self.whole - EPSILON
        if stored is KeyType.NATIVE_WHOLE:
            return self.native_whole - EPSILON
        if stored is KeyType.NATIVE_WORD:
            return self.min_pair - EPSILON
        return self.spelling - EPSILON


@dataclass
class Probes:
    """The keys of some list entries, by kind of subject and type, ready to find the
    customers' keys they touch."""

    floors: Floors
    weights: Weights
    _keys: dict[tuple[EntryKind, KeyType], dict[str, Token | None]] = field(default_factory=dict)
    _searches: dict[tuple[EntryKind, KeyType], _Search | None] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: Iterable[ListEntry], weights: Weights, threshold: float) -> Probes:
        probes = cls(Floors.of(weights, threshold), weights)
        for entry in entries:
            for kind, text, token in _keyed(_entry_readings(entry)):
                probes._keys.setdefault((entry.kind, kind), {})[text] = token
        return probes

    def wanted(self) -> list[tuple[EntryKind, KeyType]]:
        """The (kind, type) of the customers' keys some probe may touch."""
        return [
            (kind, stored)
            for kind in EntryKind
            for stored, by in TOUCHED_BY.items()
            if any((kind, probe) in self._keys for probe in by)
        ]

    def exact(self, kind: EntryKind, stored: KeyType) -> list[str]:
        """For a type compared only when equal, the texts a stored key must be."""
        return sorted(self._touching(kind, stored))

    def _touching(self, kind: EntryKind, stored: KeyType) -> dict[str, Token | None]:
        found: dict[str, Token | None] = {}
        for probe in TOUCHED_BY[stored]:
            found.update(self._keys.get((kind, probe), {}))
        return found

    def touched(self, kind: EntryKind, stored: KeyType, texts: Sequence[str]) -> NDArray[np.bool_]:
        """Which of the customers' keys ``texts`` (of ``kind`` and type ``stored``) some
        probe comes close enough to: spelt alike to the type's floor and, for words and
        skeletons, alike by the scorer's word similarity to the pairing floor."""
        search = self._search(kind, stored)
        hit = np.zeros(len(texts), dtype=bool)
        if search is None or not texts:
            return hit
        positions, ids = search.texts.alike(texts, self.floors.search(stored))
        if stored in WORDS:
            plain = stored in (KeyType.SKELETON, KeyType.ABJAD_SKELETON)
            close = [
                _word_likeness(texts[at], search.tokens[probe], self.weights, plain=plain)
                >= self.floors.min_pair - EPSILON
                for at, probe in zip(positions.tolist(), ids.tolist(), strict=True)
            ]
            positions = positions[np.asarray(close, dtype=bool)] if close else positions
        hit[positions] = True
        return hit

    def _search(self, kind: EntryKind, stored: KeyType) -> _Search | None:
        place = (kind, stored)
        if place not in self._searches:
            touching = self._touching(kind, stored)
            texts = sorted(touching)
            self._searches[place] = (
                _Search(ByLength(texts), [touching[t] for t in texts]) if texts else None
            )
        return self._searches[place]

    def lengths(self, kind: EntryKind, stored: KeyType) -> tuple[int, int]:
        """The shortest and longest key of type ``stored`` some probe may be spelt alike
        (a ratio ``2·L / (a + b)`` of at least ``f`` needs ``a ≥ b·f / (2 − f)``)."""
        sizes = [len(text) for text in self._touching(kind, stored)]
        if not sizes:
            return 0, -1
        floor = max(self.floors.search(stored), EPSILON)
        spread = (2 - floor) / floor
        return int(min(sizes) / spread), int(max(sizes) * spread) + 1

    def reach(self, kind: EntryKind, keys: Iterable[Key]) -> bool:
        """Whether some probe touches one of a subject's ``keys`` (a subject of ``kind``)."""
        by_type: dict[KeyType, list[str]] = {}
        for stored, text in keys:
            by_type.setdefault(stored, []).append(text)
        for stored, texts in by_type.items():
            if stored in EXACT:
                if set(texts) & set(self.exact(kind, stored)):
                    return True
            elif self.touched(kind, stored, texts).any():
                return True
        return False


@dataclass(frozen=True)
class _Search:
    texts: ByLength
    tokens: list[Token | None]  # the probe words, in the order of ``texts``


def _word_likeness(text: str, probe: Token | None, weights: Weights, *, plain: bool) -> float:
    """The scorer's similarity of a stored key (a word's text: its role is not kept) and
    a probe word, at the most its role could make it (a lone letter may be an initial,
    digits a number). A skeleton is ``plain``: its sound is its spelling."""
    if probe is None:
        return 1.0
    roles = [Role.NAME]
    if len(text) == 1:
        roles.append(Role.INITIAL)
    if text.isdigit():
        roles.append(Role.NUMBER)
    words = (Token(text, role, text, text) if plain else make_token(text, role) for role in roles)
    return max(word_similarity(word, probe, weights) for word in words)
