"""How close a customer's name could come to a list alias, from what the index of the
customers' names keeps: the prefilter's bounds (:mod:`kyc.matching.prefilter`,
:mod:`kyc.matching.readings`) run in reverse.

That a customer's word comes near an alias's (:mod:`kyc.matching.reverse`) says little:
``Ann Peeters`` meets ``Adnan Abou Walid`` through ``ann ~ adnan`` and through nothing
else, and the prefilter would drop the pair. Its bound needs the counts of the
customer's words by role — the *shape* of each reading of its names, kept with its keys —
and what each touching key brings. Whatever the index does not keep is taken at its most
favourable (a key's role; two keys of one word counted as two words where that helps,
as one where that helps), so that the bound here is never below the prefilter's: a pair
dropped here, the prefilter drops too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

from kyc.matching.readings import EPSILON, OtherReadings
from kyc.matching.reverse_shapes import ROLES, AliasTable, ShapeTable, shape_rows
from kyc.matching.weights import Weights, cheapest_unmatched, role_weight, unmatched_shares
from kyc.model import EntryKind
from kyc.names import Role

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
# A word that may be a number (digits, a Roman numeral): unpaired, it costs in full.
_NUMBER_LIKE = re.compile(r"[0-9]+|[ivxlcdm]+")


class Path(IntEnum):
    """How a customer's key meets an alias's (see reverse.TOUCHED_BY)."""

    WORD = 0  # identifying words alike: a pair of the aligned reading
    CROSSED = 1  # an identifying word alike a word that does not identify
    SKELETON = 2  # consonant skeletons alike (one side written without vowels)
    KEPT = 3  # a reading the bounds do not cover (joined words, whole strings…)


class _Gains(OtherReadings):
    """The prefilter's most-a-word-can-add figures (conflicts, initials, cross pairs)."""

    def __init__(self, weights: Weights, kind: EntryKind) -> None:
        self.weights = weights
        self.kind = kind
        self._lightest_other = min(weights.particle, weights.generic, weights.initial)


class Bound:
    """The prefilter's bound for one kind of subject at one threshold, from shapes and
    the sums of what touching keys bring."""

    def __init__(self, weights: Weights, kind: EntryKind, threshold: float) -> None:
        self.weights = weights
        self.kind = kind
        self.needed = threshold - (weights.birth_exact + weights.country_match)
        self.reach = self.needed / weights.skeleton_factor
        gains = _Gains(weights, kind)
        self.conflict = gains._conflict_gain(self.needed)
        self.skeleton_conflict = gains._conflict_gain(self.reach)
        self.query_initial, self.alias_initial = gains._initial_gains(self.needed)
        self.cross = gains._cross_gain(self.needed)
        others = (Role.PARTICLE, Role.GENERIC, Role.INITIAL, Role.FORM)
        self.cheapest_other = cheapest_unmatched(weights, others, kind)
        self._weight = np.asarray([role_weight(r, weights) for r in ROLES])
        self._share = np.asarray([unmatched_shares(weights, r, kind)[0] for r in ROLES])
        self._skeleton_cost = np.asarray(
            [cheapest_unmatched(weights, (r,), kind)[0] for r in ROLES]
        )
        self._name_share = unmatched_shares(weights, Role.NAME, kind)[0]

    # --- what one touching key brings ---------------------------------------------------

    def word_gain(self, likeness: FloatArray, texts: Sequence[str]) -> FloatArray:
        """Per key: what pairing it adds to the slack, over leaving it unpaired (an
        identifying word weighs 1; one that may be a number costs in full unpaired)."""
        number = np.fromiter((bool(_NUMBER_LIKE.fullmatch(t)) for t in texts), bool, len(texts))
        cost = np.where(number, 1.0, self._name_share)
        return np.maximum(2 * likeness - 2 * self.needed + self.needed * cost, 0.0)

    # --- the bounds, for many (reading of a customer, alias reading) pairs at once ---------

    def word_slack(
        self,
        shapes: ShapeTable,
        aliases: AliasTable,
        gain: FloatArray,
        paired: tuple[IntArray, IntArray],
        crossed: NDArray[np.bool_],
    ) -> FloatArray:
        """The most ``matched − needed × total`` can be (KindIndex._word_bounds), for
        readings touching an alias through some of their identifying words, which
        bring ``gain``: at most and at least ``paired`` words (one key each: a bounded
        reading has no word twice)."""
        needed = self.needed
        names, own_others = shapes.names, shapes.others
        most, least = np.minimum(paired[0], names), np.minimum(paired[1], names)
        other_pairs = np.minimum(own_others, aliases.others)
        # Alias words left unpaired cost: as few as the most paired words leave.
        unreached = aliases.identifying - np.minimum(most, aliases.identifying)
        left_identifying = aliases.identifying - np.minimum(least, aliases.identifying)
        slack = (
            -needed * shapes.unpaired(self._weight, self._share)
            + gain
            + 2 * shapes.heaviest_other(self._weight) * other_pairs * (1 - needed)
            - needed * self.cheapest_other[0] * (own_others - other_pairs)
            - needed * unreached * aliases.cheapest
            - needed * self.cheapest_other[1] * (aliases.others - other_pairs)
        )
        # Words left over may face each other, or be initials: as many as the fewest
        # paired words leave.
        left_query = names - least + own_others - other_pairs
        left_alias = left_identifying + aliases.others - other_pairs
        facing = np.maximum(0, np.minimum(left_query, left_alias))
        slack += facing * (self.conflict + crossed * self.cross)
        slack += np.minimum(shapes.initials, left_identifying) * self.query_initial
        slack += np.minimum(aliases.initials, names - least) * self.alias_initial
        return slack

    def skeleton_slack(
        self, shapes: ShapeTable, aliases: AliasTable, likeness: FloatArray, keys: IntArray
    ) -> FloatArray:
        """The most the skeleton reading's slack can be (KindIndex._skeleton_bounds), for
        readings touching an alias's skeletons through ``keys`` keys whose likenesses
        add up to ``likeness`` (each word's own likeness is at most 1)."""
        reach = self.reach
        if reach > 1.0 + EPSILON:
            return np.full(len(keys), -1.0)
        rows = shapes.skeleton_rows
        words = aliases.skeleton_words
        # A key may stand for as many words as one skeleton does in the reading; one
        # word has at most two keys (its two skeletons).
        likeness = likeness * shapes.repeat
        most = np.minimum(keys * shapes.repeat, rows)
        least = np.minimum((keys + 1) // 2, rows)
        reached = np.minimum(words, most)
        slack = (
            -reach * shapes.skeleton_cost(self._skeleton_cost)
            + self._skeleton_gains(likeness, rows, shapes)
            + reached * (1 - reach)
            - (words - reached) * reach * aliases.skeleton_cheapest
        )
        left = np.maximum(0, np.minimum(rows - least, words - np.minimum(words, least)))
        # A reading written with vowels meets skeletons only of aliases written without.
        return np.where(aliases.abjad, slack + left * self.skeleton_conflict, -1.0)

    def _skeleton_gains(
        self, likeness: FloatArray, rows: IntArray, shapes: ShapeTable
    ) -> FloatArray:
        """The most rows can gain whose likenesses add up to at most ``likeness``, each at
        most 1: a row's gain is convex in its likeness, so the most is reached with
        every row but one at 1."""
        whole = np.minimum(np.floor(likeness).astype(np.int64), rows)
        rest = np.minimum(1.0, likeness - whole)
        full = self._skeleton_row_gain(np.ones(len(likeness)), shapes)
        return np.asarray(
            whole * full + (whole < rows) * self._skeleton_row_gain(rest, shapes), dtype=float
        )

    def _skeleton_row_gain(self, likeness: FloatArray, shapes: ShapeTable) -> FloatArray:
        """The most one skeleton row can gain, whatever its word's role among those the
        reading's skeleton words have (a word one reading leaves out costs nothing)."""
        v = likeness[:, None]
        each = self._weight[None, :] * (v - self.reach) + self.reach * self._skeleton_cost
        each = np.where(shapes.skeletons > 0, each, -np.inf)
        vanishing = np.where(
            shapes.vanishing > 0, (self._weight[None, :] * (v - self.reach)).max(axis=1), -np.inf
        )
        best = np.maximum(each.max(axis=1), vanishing)
        return np.asarray(np.maximum(best, 0.0), dtype=np.float64)


def keeps(slack: FloatArray) -> NDArray[np.bool_]:
    return slack >= -EPSILON


@dataclass(frozen=True)
class Touches:
    """Customers' keys touched by alias readings, one row per (customer, key, alias
    reading, path): the customer (an index into the subjects judged), the reading, the
    path, how alike, and for words what pairing the key adds (Bound.word_gain)."""

    owner: IntArray
    reading: IntArray
    path: NDArray[np.int8]
    likeness: FloatArray
    gain: FloatArray


def reached(
    bound: Bound, aliases: AliasTable, touches: Touches, shapes: Sequence[str]
) -> NDArray[np.bool_]:
    """Which of the subjects (their stored shapes, ``shapes``) the prefilter could keep
    for some alias reading they touch."""
    kept = np.zeros(len(shapes), dtype=bool)
    table, first, count, unbounded = shape_rows(shapes)
    kept[touches.owner[touches.path == Path.KEPT]] = True
    kept[touches.owner[unbounded[touches.owner]]] = True  # any contact keeps them
    readings = max(len(aliases.identifying), 1)
    crossed = np.unique(_pairs(touches, Path.CROSSED, readings))
    word = _judged(touches, readings, (Path.WORD,), first, count)
    if word is not None:
        gains = _sums(word.inverse, touches.gain[word.chosen], word.pairs)
        keys = np.bincount(word.inverse, minlength=word.pairs).astype(np.int64)[word.pair]
        slack = bound.word_slack(
            table.take(word.shape),
            aliases.take(word.reading),
            gains[word.pair],
            (keys, keys),
            np.isin(word.key, crossed),
        )
        kept[word.owner[keeps(slack)]] = True
    skeleton = _judged(touches, readings, (Path.SKELETON,), first, count)
    if skeleton is not None:
        likeness = _sums(skeleton.inverse, touches.likeness[skeleton.chosen], skeleton.pairs)
        keys = np.bincount(skeleton.inverse, minlength=skeleton.pairs).astype(np.int64)
        slack = bound.skeleton_slack(
            table.take(skeleton.shape),
            aliases.take(skeleton.reading),
            likeness[skeleton.pair],
            keys[skeleton.pair],
        )
        kept[skeleton.owner[keeps(slack)]] = True
    return kept


@dataclass(frozen=True)
class _Judged:
    """The (customer, alias reading) pairs touching by some paths: ``chosen`` rows of
    the touches, each row's pair (``inverse``), how many pairs; then one judged row per
    pair and reading of the customer's names: its owner, alias reading, pair key, pair
    and shape row."""

    chosen: NDArray[np.bool_]
    inverse: IntArray
    pairs: int
    owner: IntArray
    reading: IntArray
    key: IntArray
    pair: IntArray
    shape: IntArray


def _judged(
    touches: Touches,
    readings: int,
    paths: tuple[Path, ...],
    first: IntArray,
    count: IntArray,
) -> _Judged | None:
    chosen = np.isin(touches.path, [int(p) for p in paths])
    if not chosen.any():
        return None
    keys = touches.owner[chosen] * readings + touches.reading[chosen]
    pairs, inverse = np.unique(keys, return_inverse=True)
    owner = pairs // readings
    pair = np.repeat(np.arange(len(pairs)), count[owner])
    return _Judged(
        chosen,
        np.asarray(inverse, dtype=np.int64),
        len(pairs),
        owner[pair],
        (pairs % readings)[pair],
        pairs[pair],
        pair,
        _expand(first[owner], count[owner]),
    )


def _sums(inverse: IntArray, values: FloatArray, count: int) -> FloatArray:
    return np.asarray(np.bincount(inverse, weights=values, minlength=count), dtype=np.float64)


def _pairs(touches: Touches, path: Path, readings: int) -> IntArray:
    chosen = touches.path == path
    return np.asarray(touches.owner[chosen] * readings + touches.reading[chosen], dtype=np.int64)


def _expand(first: IntArray, count: IntArray) -> IntArray:
    """first[i], first[i] + 1, … count[i] of them, for every i, one after the other."""
    total = int(count.sum())
    starts = np.repeat(first - np.concatenate(([0], np.cumsum(count)[:-1])), count)
    return np.asarray(starts + np.arange(total), dtype=np.int64)
