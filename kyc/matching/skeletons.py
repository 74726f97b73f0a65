"""Queries read as consonant skeletons (see :func:`kyc.matching.scorer.skeleton_words`),
as rows of similarities to a vocabulary of alias skeletons, for the prefilter's bound.

Each word's row — the better of its two readings (a w read as a vowel, or as an f) —
is made once per vocabulary and remembered: the same words come back name after name,
and the skeleton reading is looked at for every name (against the few hundred aliases
written without vowels, for names in Latin letters).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from kyc.matching.rows import plain_word
from kyc.matching.scorer import (
    NEVER_JOINED,
    skeleton_role,
    skeleton_words,
    word_skeleton_pair,
)
from kyc.matching.vocabulary import Vocabulary
from kyc.matching.weights import Weights, cheapest_unmatched, role_weight
from kyc.model import EntryKind
from kyc.names import AnalysedName, Role, Token

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
# Words remembered, at most (a few arrays each), before the memory starts afresh.
_REMEMBERED = 500_000


@dataclass(frozen=True, slots=True)
class _Row:
    """One word's skeleton: the vocabulary words close to it and how close, its weight
    and what it costs without counterpart."""

    ids: NDArray[np.int32]
    similarities: FloatArray
    weight: float
    cost: float


@dataclass(frozen=True)
class SkeletonRows:
    """The skeleton words of a batch of queries, one row per word, with the query it
    belongs to, its weight, its cost unpaired, and its similarities to the vocabulary."""

    owner: IntArray
    weight: FloatArray
    cost: FloatArray
    similar: sparse.csr_matrix

    def count(self, queries: int) -> FloatArray:
        return _sums(self.owner, np.ones(len(self.owner)), queries)

    def unpaired_slack(self, queries: int, reach: float) -> FloatArray:
        """Per query, the slack if none of its words paired: each costs its share."""
        return -reach * _sums(self.owner, self.cost, queries)


class SkeletonWords:
    """The skeleton rows of query words against one vocabulary, each made once."""

    def __init__(self, vocabulary: Vocabulary, weights: Weights, kind: EntryKind) -> None:
        self._vocabulary = vocabulary
        self._weights = {role: role_weight(role, weights) for role in Role}
        self._costs = {role: cheapest_unmatched(weights, (role,), kind)[0] for role in Role}
        self._known: dict[tuple[Token, bool], _Row | None] = {}

    def rows(self, queries: Sequence[AnalysedName | None]) -> SkeletonRows:
        """The rows of the given queries' words (None: a query left out)."""
        words = [
            (index, (word, query.skeleton is None))
            for index, query in enumerate(queries)
            if query is not None
            for word in query.tokens
        ]
        self._learn([key for _index, key in words])
        owner, found = [], []
        for index, key in words:
            row = self._known[key]
            if row is not None:  # a word of no consonants has no skeleton
                owner.append(index)
                found.append(row)
        return SkeletonRows(
            owner=np.asarray(owner, dtype=np.int64),
            weight=np.asarray([row.weight for row in found], dtype=np.float64),
            cost=np.asarray([row.cost for row in found], dtype=np.float64),
            similar=self._matrix(found),
        )

    def _learn(self, keys: Sequence[tuple[Token, bool]]) -> None:
        new = [key for key in dict.fromkeys(keys) if key not in self._known]
        if not new:
            return
        if len(self._known) + len(new) > _REMEMBERED:
            self._known.clear()
        pairs = [word_skeleton_pair(*key) for key in new]
        self._vocabulary.prepare([t for pair in pairs if pair for t in pair if t is not None])
        for key, pair in zip(new, pairs, strict=True):
            self._known[key] = None if pair is None else self._row(pair)

    def _row(self, pair: tuple[Token | None, Token | None]) -> _Row:
        """The better of the word's two readings, vocabulary word by vocabulary word."""
        best: dict[int, float] = {}
        for w_as in (0, 1):
            reading = pair[w_as] or pair[1 - w_as]
            assert reading is not None  # one of the two is there
            ids, similarities = self._vocabulary.similar(reading)
            for index, similarity in zip(ids.tolist(), similarities.tolist(), strict=True):
                best[index] = max(similarity, best.get(index, 0.0))
        role = skeleton_role(pair)
        # A word that one reading leaves out (a w read as a vowel) may cost nothing.
        vanishes = pair[0] is None or pair[1] is None
        return _Row(
            ids=np.array(list(best), dtype=np.int32),
            similarities=np.array(list(best.values()), dtype=np.float64),
            weight=self._weights[role],
            cost=0.0 if vanishes else self._costs[role],
        )

    def _matrix(self, rows: Sequence[_Row]) -> sparse.csr_matrix:
        counts = np.fromiter((len(row.ids) for row in rows), dtype=np.int64, count=len(rows))
        indptr = np.concatenate(([0], np.cumsum(counts)))
        indices = np.concatenate([r.ids for r in rows]) if rows else np.zeros(0, np.int32)
        data = np.concatenate([r.similarities for r in rows]) if rows else np.zeros(0)
        return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), len(self._vocabulary)))


def skeleton_counts(name: AnalysedName, weights: Weights) -> tuple[int, float]:
    """How many words the name's shorter skeleton reading has, and the least any of
    them costs without counterpart in a list entry (see scorer.skeleton_words)."""
    words = skeleton_words(name)
    count = min(sum(1 for pair in words if pair[w_as]) for w_as in (0, 1)) if words else 0
    cheapest = min(
        (cheapest_unmatched(weights, (skeleton_role(pair),), name.kind)[1] for pair in words),
        default=1.0,
    )
    return count, cheapest


def skeleton_joins(name: AnalysedName) -> list[Token]:
    """Neighbouring words of each skeleton reading as one, as the scorer may join them
    (never an initial or a number); each reading's once."""
    latin = name.skeleton is None
    pairs = [p for p in (word_skeleton_pair(word, latin) for word in name.tokens) if p]
    joined: dict[Token, None] = {}
    for w_as in (0, 1):
        reading = [pair[w_as] for pair in pairs if pair[w_as] is not None]
        for left, right in zip(reading, reading[1:], strict=False):
            assert left is not None and right is not None
            if left.role not in NEVER_JOINED and right.role not in NEVER_JOINED:
                joined[plain_word(left.text + right.text)] = None
    return list(joined)


def _sums(groups: IntArray, values: FloatArray, count: int = 0) -> FloatArray:
    """Per-group sums of values, for at least ``count`` groups."""
    return np.asarray(np.bincount(groups, weights=values, minlength=count), dtype=np.float64)
