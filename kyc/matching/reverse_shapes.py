"""What the index of the customers' names keeps of each reading of a name for the
bound run in reverse (:mod:`kyc.matching.reverse_bound`): its words counted by role, its
skeleton words — the *shape* — and the same of each list alias; as columns, for many
pairs at once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from kyc.matching.scorer import identifying, skeleton_role, skeleton_words
from kyc.matching.skeletons import skeleton_counts
from kyc.matching.weights import Weights, cheapest_unmatched
from kyc.names import AnalysedName, Role

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
ROLES = tuple(Role)
_UNBOUNDED = "*"  # a reading the bound does not cover: any contact keeps it


@dataclass(frozen=True)
class Shape:
    """One reading of a customer's name as the bound sees it: how many words of each
    role it has, identifying or not, and its skeleton words (weights apart: they are
    settings, read at each screening)."""

    identifying: tuple[int, ...]  # per role (ROLES)
    others: tuple[int, ...]
    initials: int
    skeletons: tuple[int, ...]  # per role, the skeleton words that cost when unpaired
    vanishing: int  # skeleton words one reading leaves out: they cost nothing
    repeat: int  # the most words one skeleton stands for (fenne, van: fn)
    bounded: bool

    @classmethod
    def of(cls, name: AnalysedName) -> Shape:
        key = identifying(name.tokens)
        counted = [0] * len(ROLES), [0] * len(ROLES), [0] * len(ROLES)
        for token in name.tokens:
            counted[0 if token in key else 1][ROLES.index(token.role)] += 1
        vanishing = 0
        for pair in skeleton_words(name):
            if pair[0] is None or pair[1] is None:
                vanishing += 1
            else:
                counted[2][ROLES.index(skeleton_role(pair))] += 1
        # Names without a name or a number, written without vowels, or with a word
        # twice (one key stands for both) are rare: any contact keeps them.
        skeletons = Counter(
            text for pair in skeleton_words(name) for text in {w.text for w in pair if w}
        )
        plain = (
            all(t.role in (Role.NAME, Role.NUMBER) for t in key)
            and not name.skeleton
            and len({t.text for t in key}) == len(key)
        )
        return cls(
            tuple(counted[0]),
            tuple(counted[1]),
            sum(t.role is Role.INITIAL for t in name.tokens),
            tuple(counted[2]),
            vanishing,
            max(skeletons.values(), default=1),
            plain and bool(name.tokens),
        )

    def encode(self) -> str:
        if not self.bounded:
            return _UNBOUNDED
        numbers = (
            *self.identifying,
            *self.others,
            self.initials,
            *self.skeletons,
            self.vanishing,
            self.repeat,
        )
        return ".".join(str(n) for n in numbers)

    @classmethod
    def decode(cls, text: str) -> Shape:
        if text == _UNBOUNDED:
            return cls((), (), 0, (), 0, 1, False)
        numbers = [int(n) for n in text.split(".")]
        size = len(ROLES)
        return cls(
            tuple(numbers[:size]),
            tuple(numbers[size : 2 * size]),
            numbers[2 * size],
            tuple(numbers[2 * size + 1 : 3 * size + 1]),
            numbers[3 * size + 1],
            numbers[3 * size + 2],
            True,
        )


def encode_shapes(names: Sequence[AnalysedName]) -> str:
    """The shapes of every reading of a subject's names, as stored."""
    return ";".join(dict.fromkeys(Shape.of(name).encode() for name in names))


@dataclass(frozen=True)
class AliasShape:
    """What the bound needs of one reading of a list alias (KindIndex keeps the same)."""

    identifying: int
    others: int
    initials: int
    cheapest: float  # the least an identifying word of it costs unpaired
    skeleton_words: int
    skeleton_cheapest: float
    abjad: bool  # written without vowels

    @classmethod
    def of(cls, name: AnalysedName, weights: Weights) -> AliasShape:
        key = identifying(name.tokens)
        cheapest = min(
            (cheapest_unmatched(weights, (t.role,), name.kind)[1] for t in key), default=1.0
        )
        words, skeleton_cheapest = skeleton_counts(name, weights)
        return cls(
            len(key),
            len(name.tokens) - len(key),
            sum(t.role is Role.INITIAL for t in name.tokens),
            cheapest,
            words,
            skeleton_cheapest,
            bool(name.skeleton),
        )


@dataclass(frozen=True)
class ShapeTable:
    """Shapes as columns, one row per (customer reading, alias reading) pair judged."""

    identifying: IntArray  # rows × roles
    other_roles: IntArray
    initials: IntArray
    skeletons: IntArray  # rows × roles
    vanishing: IntArray
    repeat: IntArray

    @classmethod
    def of(cls, shapes: Sequence[Shape]) -> ShapeTable:
        def column(values: list[Any], width: int | None = None) -> IntArray:
            shape = (len(values), width) if width else (len(values),)
            return np.asarray(values, dtype=np.int64).reshape(shape)

        size = len(ROLES)
        return cls(
            column([s.identifying for s in shapes], size),
            column([s.others for s in shapes], size),
            column([s.initials for s in shapes]),
            column([s.skeletons for s in shapes], size),
            column([s.vanishing for s in shapes]),
            column([s.repeat for s in shapes]),
        )

    def take(self, rows: IntArray) -> ShapeTable:
        return ShapeTable(
            self.identifying[rows],
            self.other_roles[rows],
            self.initials[rows],
            self.skeletons[rows],
            self.vanishing[rows],
            self.repeat[rows],
        )

    @property
    def names(self) -> IntArray:
        return np.asarray(self.identifying.sum(axis=1), dtype=np.int64)

    @property
    def others(self) -> IntArray:
        return np.asarray(self.other_roles.sum(axis=1), dtype=np.int64)

    @property
    def skeleton_rows(self) -> IntArray:
        return np.asarray(self.skeletons.sum(axis=1) + self.vanishing, dtype=np.int64)

    def unpaired(self, weight: FloatArray, share: FloatArray) -> FloatArray:
        return np.asarray((self.identifying * (weight * share)[None, :]).sum(axis=1), dtype=float)

    def heaviest_other(self, weight: FloatArray) -> FloatArray:
        heaviest = np.where(self.other_roles > 0, weight[None, :], 0.0).max(axis=1)
        return np.asarray(heaviest, dtype=np.float64)

    def skeleton_cost(self, cost: FloatArray) -> FloatArray:
        return np.asarray((self.skeletons * cost[None, :]).sum(axis=1), dtype=np.float64)


@dataclass(frozen=True)
class AliasTable:
    """Alias shapes as columns."""

    identifying: IntArray
    others: IntArray
    initials: IntArray
    cheapest: FloatArray
    skeleton_words: IntArray
    skeleton_cheapest: FloatArray
    abjad: NDArray[np.bool_]

    @classmethod
    def of(cls, aliases: Sequence[AliasShape]) -> AliasTable:
        return cls(
            np.asarray([a.identifying for a in aliases], dtype=np.int64),
            np.asarray([a.others for a in aliases], dtype=np.int64),
            np.asarray([a.initials for a in aliases], dtype=np.int64),
            np.asarray([a.cheapest for a in aliases], dtype=np.float64),
            np.asarray([a.skeleton_words for a in aliases], dtype=np.int64),
            np.asarray([a.skeleton_cheapest for a in aliases], dtype=np.float64),
            np.asarray([a.abjad for a in aliases], dtype=bool),
        )

    def take(self, rows: IntArray) -> AliasTable:
        return AliasTable(
            self.identifying[rows],
            self.others[rows],
            self.initials[rows],
            self.cheapest[rows],
            self.skeleton_words[rows],
            self.skeleton_cheapest[rows],
            self.abjad[rows],
        )


def shape_rows(shapes: Sequence[str]) -> tuple[ShapeTable, IntArray, IntArray, NDArray[np.bool_]]:
    """The distinct bounded readings as a table, and per subject where its readings
    start in it, how many, and whether one is not bounded."""
    decoded: dict[str, Shape] = {}
    rows: list[Shape] = []
    first = np.zeros(len(shapes), dtype=np.int64)
    count = np.zeros(len(shapes), dtype=np.int64)
    unbounded = np.zeros(len(shapes), dtype=bool)
    known: dict[str, tuple[int, int, bool]] = {}
    for index, text in enumerate(shapes):
        place = known.get(text)
        if place is None:
            readings = [decoded.setdefault(t, Shape.decode(t)) for t in text.split(";")]
            bounded = [r for r in readings if r.bounded]
            place = known[text] = (len(rows), len(bounded), len(bounded) < len(readings))
            rows += bounded
        first[index], count[index], unbounded[index] = place
    return ShapeTable.of(rows), first, count, unbounded
