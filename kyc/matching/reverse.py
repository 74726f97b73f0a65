"""The matcher run in reverse: which customers could a list entry reach?

A delta screening compares a few new or changed list entries with every customer. Rather
than read and analyse every customer's names again, each customer's names are kept as
*keys* — the words, forms, skeletons and whole strings the prefilter compares
(:mod:`kyc.matching.prefilter`, :mod:`kyc.matching.readings`) — with the *shape* of each
reading (its words counted by role, :mod:`kyc.matching.reverse_bound`). An entry's own
keys find the customers' keys they touch, and the prefilter's bound, run on what those
keys bring and the customers' shapes, drops the customers the prefilter would drop. The
customers left are screened forward by the real matcher, so the outcome is that of a full
screening: the keys and the bound only have to keep *every* customer the prefilter could.

Every pair the prefilter keeps touches. For the aligned reading, an identifying word of
one side is alike an identifying word of the other, by the scorer's own word similarity
(which needs the words spelt alike down to the phonetic floor, or one transliteration
variant, or one meaning). Its other readings each need their own contact: neighbouring
words written as one, or an organisation's initials; consonant skeletons (compared only
when one side is written without vowels); whole strings of one-word names; names in their
own script.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from kyc.matching.readings import ALTERNATE_FLOOR, EPSILON
from kyc.matching.reverse_bound import Bound, Path, Touches, reached
from kyc.matching.reverse_keys import (
    ALTERNATES,
    SKELETONS,
    TOUCHED_BY,
    WORDS,
    K,
    KeyType,
    key_word,
    keyed,
    name_keys,
    subject_readings,
)
from kyc.matching.reverse_shapes import AliasShape, AliasTable, encode_shapes
from kyc.matching.rows import initials_form
from kyc.matching.scorer import (
    JOIN_GAP,
    JOIN_TARGET_MIN,
    WHOLE_FACTOR,
    joins_into,
    word_skeleton_pair,
)
from kyc.matching.spelling import ByLength
from kyc.matching.weights import Weights
from kyc.matching.words import word_similarity
from kyc.model import EntryKind, ListEntry, ScreeningSubject
from kyc.names import NAME_VARIANTS, AnalysedName, Role, Token, readings
from kyc.names import token as make_token

_TOUCH = ("owner", "reading", "path", "likeness", "gain")


@dataclass(frozen=True)
class Floors:
    """From what likeness the prefilter pairs two keys, at one threshold: words and
    skeletons by the scorer's word similarity, to the pairing floor (searched from the
    lowest plain spelling ratio it can come from, or by variant); neighbouring words
    written as one and initials to the alternate floor; whole strings and names in
    their own script by plain ratio."""

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

    def search(self, stored: KeyType, probe: KeyType) -> float:
        """The plain ratio from which a stored key and a probe are compared."""
        if stored in ALTERNATES or probe in ALTERNATES:
            # The scorer reads two words as one only when spelt nearly alike
            # (scorer.joins_into); initials only when equal.
            return ALTERNATE_FLOOR - EPSILON
        if stored in (K.WHOLE, K.WHOLE_SINGLE):
            return self.whole - EPSILON
        if stored is K.NATIVE_WHOLE:
            return self.native_whole - EPSILON
        if stored is K.NATIVE_WORD:
            return self.min_pair - EPSILON
        return self.spelling - EPSILON

    def likeness(self, stored: KeyType, probe: KeyType) -> float | None:
        """The word similarity a pair must reach besides (None: spelling is enough)."""
        if stored in WORDS and probe in WORDS:
            return self.min_pair - EPSILON
        return None


def _read_alike(stored: KeyType, probe_type: KeyType, text: str, other: str, probe: _Probe) -> bool:
    """Whether a customer's word may be read as an entry's neighbouring words written as
    one (scorer.joins_into) or as its initials (acronym_reading), or the other way."""
    if probe_type in ALTERNATES:
        if probe.initials and text == other:
            return True
        return any(joins_into(left, right, text) for left, right in probe.joins)
    return joinable(stored, probe_type, text, other)


def joinable(stored: KeyType, probe: KeyType, text: str, other: str) -> bool:
    """Whether a word and neighbouring words written as one (or initials) may be read
    as each other (scorer.joins_into, acronym_reading): the word longer than
    JOIN_TARGET_MIN and at most JOIN_GAP letters longer or shorter, or the same."""
    if stored not in ALTERNATES and probe not in ALTERNATES:
        return True
    if text == other:
        return True
    target = other if stored in ALTERNATES else text
    return len(target) > JOIN_TARGET_MIN and abs(len(text) - len(other)) <= JOIN_GAP


@dataclass
class Contacts:
    """Customers' keys an entry's keys touch: for each, the alias reading, the path,
    and how alike (for words and skeletons, the scorer's similarity)."""

    position: NDArray[np.int64]  # in the customers' keys searched
    reading: NDArray[np.int64]  # an alias reading (Probes.aliases)
    path: NDArray[np.int8]
    likeness: NDArray[np.float64]

    @classmethod
    def empty(cls) -> Contacts:
        return cls.of([], [], [], [])

    @classmethod
    def of(
        cls, position: list[int], reading: list[int], path: list[int], likeness: list[float]
    ) -> Contacts:
        return cls(
            np.asarray(position, dtype=np.int64),
            np.asarray(reading, dtype=np.int64),
            np.asarray(path, dtype=np.int8),
            np.asarray(likeness, dtype=np.float64),
        )


@dataclass
class _Probe:
    """One key of the entries: the word it is, and the alias readings holding it."""

    words: list[Token] = field(default_factory=list)  # none for strings not words
    readings: list[int] = field(default_factory=list)
    # For neighbouring words written as one: the words they are; for initials, True.
    joins: list[tuple[Token, Token]] = field(default_factory=list)
    initials: bool = False


@dataclass
class Probes:
    """The keys of some list entries, by kind of subject and type, ready to find the
    customers' keys they touch; and the shape of each alias reading."""

    floors: Floors
    weights: Weights
    threshold: float
    aliases: list[AliasShape] = field(default_factory=list)
    _keys: dict[tuple[EntryKind, KeyType], dict[str, _Probe]] = field(default_factory=dict)
    _searches: dict[tuple[EntryKind, KeyType], tuple[list[str], ByLength]] = field(
        default_factory=dict
    )
    _variants: dict[tuple[EntryKind, KeyType], dict[str, list[str]]] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: Iterable[ListEntry], weights: Weights, threshold: float) -> Probes:
        probes = cls(Floors.of(weights, threshold), weights, threshold)
        for entry in entries:
            for name in entry.names:
                for reading in readings(name.full, entry.kind):
                    probes._add(entry.kind, reading)
        return probes

    def _add(self, kind: EntryKind, reading: AnalysedName) -> None:
        number = len(self.aliases)
        self.aliases.append(AliasShape.of(reading, self.weights))
        for type_, key, word in keyed([reading]):
            text = key_word(key)[0] if word is not None else key
            probe = self._keys.setdefault((kind, type_), {}).setdefault(text, _Probe())
            if word is not None and word not in probe.words:
                probe.words.append(word)
            if not probe.readings or probe.readings[-1] != number:
                probe.readings.append(number)
        self._note_joins(kind, reading)

    def _note_joins(self, kind: EntryKind, reading: AnalysedName) -> None:
        """Which words each of the reading's joined forms joins, and its initials (the
        scorer reads a customer's word as them only so: joins_into, acronym_reading)."""
        form = initials_form(reading)
        if form is not None:
            self._keys[(kind, K.ALTERNATE)][form.text].initials = True
        self._joins(kind, K.ALTERNATE, [reading.tokens])
        abjad = bool(reading.skeleton)
        pairs = [p for p in (word_skeleton_pair(w, not abjad) for w in reading.tokens) if p]
        sequences = [[p[w_as] for p in pairs if p[w_as] is not None] for w_as in (0, 1)]
        joined = K.ABJAD_SKELETON_JOIN if abjad else K.SKELETON_JOIN
        self._joins(kind, joined, sequences)  # type: ignore[arg-type]

    def _joins(self, kind: EntryKind, type_: KeyType, sequences: Iterable[Sequence[Token]]) -> None:
        probes = self._keys.get((kind, type_), {})
        for words in sequences:
            for left, right in zip(words, words[1:], strict=False):
                probe = probes.get(left.text + right.text)
                if probe is not None and (left, right) not in probe.joins:
                    probe.joins.append((left, right))

    def wanted(self) -> list[tuple[EntryKind, KeyType]]:
        """The (kind, type) of the customers' keys some probe may touch."""
        return [
            (kind, stored)
            for kind in EntryKind
            for stored, by in TOUCHED_BY.items()
            if any((kind, probe) in self._keys for probe in by)
        ]

    def lengths(self, kind: EntryKind, stored: KeyType) -> tuple[int, int]:
        """The shortest and longest key of type ``stored`` some probe may be spelt alike
        (a ratio ``2·L / (a + b)`` of at least ``f`` needs ``a ≥ b·f / (2 − f)``), or
        of a word that shares a variant with one."""
        sizes = [len(t) for probe in TOUCHED_BY[stored] for t in self._keys.get((kind, probe), {})]
        if not sizes:
            return 0, -1
        floor = max(min(self.floors.search(stored, probe) for probe in TOUCHED_BY[stored]), EPSILON)
        spread = (2 - floor) / floor
        if stored in WORDS:
            # A word of the same variant or meaning may be spelt any length (and its
            # key holds the meaning): no word key is left out.
            return 0, 1_000
        return int(min(sizes) / spread), int(max(sizes) * spread) + 1

    def bound(self, kind: EntryKind) -> Bound:
        return Bound(self.weights, kind, self.threshold)

    def alias_table(self) -> AliasTable:
        return AliasTable.of(self.aliases)

    def touches(
        self, kind: EntryKind, stored: KeyType, texts: Sequence[str], owners: Sequence[int]
    ) -> Touches:
        """The contacts of keys ``texts`` held by the subjects ``owners`` (one per key)."""
        found = self.contacts(kind, stored, texts)
        gain = np.zeros(len(found.position))
        words = found.path == Path.WORD
        if words.any():
            chosen = [texts[at] for at in found.position[words].tolist()]
            gain[words] = self.bound(kind).word_gain(found.likeness[words], chosen)
        owner = np.asarray(owners, dtype=np.int64)[found.position]
        return Touches(owner, found.reading, found.path, found.likeness, gain)

    def reach(self, subject: ScreeningSubject) -> bool:
        """Whether the prefilter could keep the subject for one of the aliases (what
        the index does for many subjects, for one)."""
        names = subject_readings(subject)
        by_type: dict[KeyType, list[str]] = defaultdict(list)
        for stored, text in name_keys(names):
            by_type[stored].append(text)
        found = [
            self.touches(subject.kind, stored, texts, [0] * len(texts))
            for stored, texts in by_type.items()
        ]
        touches = Touches(*(np.concatenate([getattr(t, f) for t in found]) for f in _TOUCH))
        bound = self.bound(subject.kind)
        return bool(reached(bound, self.alias_table(), touches, [encode_shapes(names)])[0])

    def contacts(self, kind: EntryKind, stored: KeyType, texts: Sequence[str]) -> Contacts:
        """Which of the customers' keys ``texts`` (of ``kind`` and type ``stored``) some
        probe touches, through which alias reading and path, and how alike."""
        found: dict[tuple[int, int, int], float] = {}
        for probe_type, path in TOUCHED_BY[stored].items():
            probes = self._keys.get((kind, probe_type))
            if not probes:
                continue
            floor = self.floors.likeness(stored, probe_type)
            for at, text in self._touching(kind, stored, probe_type, texts):
                probe = probes[text]
                if not _read_alike(stored, probe_type, key_word(texts[at])[0], text, probe):
                    continue
                likeness = 1.0
                if floor is not None:
                    likeness = self._likeness(stored, texts[at], probe)
                    if likeness < floor:
                        continue
                for reading in probe.readings:
                    place = (at, reading, int(path))
                    found[place] = found.get(place, 0.0) + likeness
        if not found:
            return Contacts.empty()
        places = list(found)
        return Contacts.of(
            [p[0] for p in places],
            [p[1] for p in places],
            [p[2] for p in places],
            [min(1.0, found[p]) for p in places],
        )

    def _touching(
        self, kind: EntryKind, stored: KeyType, probe_type: KeyType, texts: Sequence[str]
    ) -> Iterator[tuple[int, str]]:
        """(position in ``texts``, probe text) of the pairs worth a closer look."""
        seen = set()
        ordered, search = self._search(kind, probe_type)
        plain = [key_word(text)[0] for text in texts] if stored in WORDS else list(texts)
        positions, ids = search.alike(plain, self.floors.search(stored, probe_type))
        for at, probe in zip(positions.tolist(), ids.tolist(), strict=True):
            seen.add((at, ordered[probe]))
            yield at, ordered[probe]
        if stored in WORDS:  # the same variant or meaning, however spelt
            by_variant = self._variants_of(kind, probe_type)
            skeletons = stored in SKELETONS
            for at, text in enumerate(texts):
                spelt, meant = key_word(text)
                variant = meant or (spelt if skeletons else NAME_VARIANTS.get(spelt, spelt))
                for other in by_variant.get(variant, ()):
                    if (at, other) not in seen:
                        yield at, other

    def _variants_of(self, kind: EntryKind, probe_type: KeyType) -> dict[str, list[str]]:
        """The probes' words by variant (``mohamed``, ``mohammed`` under ``muhammad``)."""
        place = (kind, probe_type)
        if place not in self._variants:
            found: dict[str, list[str]] = defaultdict(list)
            for text, probe in self._keys.get(place, {}).items():
                for variant in dict.fromkeys(word.variant for word in probe.words):
                    found[variant].append(text)
            self._variants[place] = dict(found)
        return self._variants[place]

    def _search(self, kind: EntryKind, probe_type: KeyType) -> tuple[list[str], ByLength]:
        place = (kind, probe_type)
        if place not in self._searches:
            ordered = sorted(self._keys[place])
            self._searches[place] = (ordered, ByLength(ordered))
        return self._searches[place]

    def _likeness(self, stored: KeyType, key: str, probe: _Probe) -> float:
        skeleton = stored in SKELETONS
        return max(
            (word_likeness(key, word, self.weights, skeleton=skeleton) for word in probe.words),
            default=1.0,
        )


def word_likeness(key: str, probe: Token, weights: Weights, *, skeleton: bool) -> float:
    """The scorer's similarity of a stored word key (its role is not kept) and a probe
    word, at the most its role could make it (a lone letter may be an initial, digits a
    number). A skeleton's sound is its spelling."""
    text, meant = key_word(key)
    roles = [Role.NAME]
    if len(text) == 1:
        roles.append(Role.INITIAL)
    if text.isdigit():
        roles.append(Role.NUMBER)
    words = (
        Token(text, role, text, meant or text) if skeleton else make_token(text, role, meant)
        for role in roles
    )
    return max(word_similarity(word, probe, weights) for word in words)
