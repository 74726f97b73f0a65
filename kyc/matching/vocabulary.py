"""The words of a list's aliases, and which aliases each word stands in.

A query word is looked up once: the list words spelt alike (:mod:`kyc.matching.spelling`,
over every word of a length that could reach the floor, so no typo is out of reach) are
scored with the scorer's own word similarity on whole arrays, those of its
transliteration variant or meaning however spelt are added, and those close enough are
remembered — query words come back name after name (Jan,
Peeters, Mohamed), so each is paid for once. New words are looked up a batch at a time.

Aliases are columns of sparse incidence matrices (word × alias), so that a whole batch
of queries meets the list in a few matrix products instead of a Python loop.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from kyc.matching.spelling import ByLength
from kyc.matching.weights import Weights
from kyc.matching.words import WordTable, similarities
from kyc.names import Token

_CACHE_SIZE = 500_000

Incidence = sparse.csr_matrix
Found = tuple[NDArray[np.int32], NDArray[np.float64]]
IntArray = NDArray[np.int64]

_NOTHING: Found = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64))


def token_keys(token: Token) -> set[str]:
    """What two words the scorer calls alike however spelt share: the same spelling, or
    transliteration variant or meaning. (Words that sound alike must be spelt nearly
    alike too: the search by spelling finds them.)"""
    return {_spelling_key(token.text), "v" + token.variant}


def _spelling_key(text: str) -> str:
    return "d" + text


class Vocabulary:
    """Distinct words, their lookup keys, and one incidence matrix per kind of link."""

    def __init__(self, weights: Weights, floor: float, name: str = "words") -> None:
        """``name`` says which words these are (in messages and cache keys)."""
        self.name = name
        self._weights = weights
        self._floor = floor
        self._tokens: list[Token] = []
        self._ids: dict[Token, int] = {}
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._links: dict[str, tuple[list[int], list[int]]] = {}
        self._matrices: dict[str, Incidence] = {}
        self._occurrences: dict[str, Incidence] = {}
        self._aliases = 0
        self._found: dict[Token, Found] = {}
        # Every word (key None), and the words of the searched relations, by length.
        self._sorted: dict[str | None, ByLength] = {}
        self._table = WordTable.indexed(())

    def __len__(self) -> int:
        return len(self._tokens)

    def token(self, index: int) -> Token:
        return self._tokens[index]

    def link(self, relation: str, token: Token, alias: int) -> None:
        """Record that ``token`` stands in ``alias`` (in the sense of ``relation``);
        only before :meth:`freeze`."""
        if self._aliases:
            raise RuntimeError("the vocabulary is frozen: no word can be linked any more")
        rows, columns = self._links.setdefault(relation, ([], []))
        rows.append(self._id(token))
        columns.append(alias)

    def _id(self, token: Token) -> int:
        known = self._ids.get(token)
        if known is not None:
            return known
        index = len(self._tokens)
        self._tokens.append(token)
        self._ids[token] = index
        for key in token_keys(token):
            self._postings[key].append(index)
        return index

    def freeze(self, aliases: int, searched: Sequence[str] = ()) -> None:
        """Build the incidence matrices once every alias has been linked, and sort for
        search every word and those of the ``searched`` relations (only those: each
        sorting costs a share of the build)."""
        self._aliases = aliases
        shape = (len(self._tokens), aliases)
        for relation, (rows, columns) in self._links.items():
            ones = np.ones(len(rows), dtype=np.float64)
            matrix = sparse.csr_matrix((ones, (rows, columns)), shape=shape)
            self._occurrences[relation] = matrix.copy()
            matrix.data[:] = 1.0  # a word twice in one alias still stands in it once
            self._matrices[relation] = matrix
        self._links.clear()
        self._ids.clear()  # only linking needs it: a stored matcher reads back faster
        texts = [token.text for token in self._tokens]
        self._table = WordTable.indexed(self._tokens)
        self._sorted = {None: ByLength(texts)}
        for relation in searched:
            linked = np.flatnonzero(self.incidence(relation).getnnz(axis=1)).tolist()
            self._sorted[relation] = ByLength([texts[i] for i in linked], linked)

    def occurrences(self, relation: str) -> Incidence:
        """How many times each word stands in each alias (a word may come twice)."""
        matrix = self._occurrences.get(relation)
        if matrix is None:
            matrix = sparse.csr_matrix((len(self._tokens), self._aliases))
        return matrix

    def incidence(self, relation: str) -> Incidence:
        matrix = self._matrices.get(relation)
        if matrix is None:  # nothing was ever linked so
            matrix = sparse.csr_matrix((len(self._tokens), self._aliases))
        return matrix

    def similar(self, token: Token) -> Found:
        """The words close enough to ``token`` to pair with it, and how close."""
        found = self._found.get(token)
        if found is None:
            self.prepare([token])
            found = self._found[token]
        return found

    def prepare(self, tokens: Sequence[Token]) -> None:
        """Look up every word not yet known, a batch at a time."""
        new = list(dict.fromkeys(t for t in tokens if t not in self._found))
        if len(self._found) + len(new) > _CACHE_SIZE:
            self._found.clear()
        self._found.update(zip(new, self.matches(new, self._floor), strict=True))

    def matches(self, tokens: Sequence[Token], floor: float) -> list[Found]:
        """Uncached: for each word, the vocabulary words at least ``floor`` similar
        (``floor`` no lower than the vocabulary's own)."""
        if not tokens:
            return []
        # Words that sound alike pair from a lower spelling ratio: searched down to it,
        # they need no look-up by sound.
        reach = min(floor, self._weights.phonetic_min_spelling)
        positions, ids, ratios = self._sorted[None].rated([t.text for t in tokens], reach)
        scores = similarities(
            self._table.queries(tokens), positions, self._table, ids.astype(np.int64), ratios,
            self._weights,
        )  # fmt: skip
        close = scores >= floor
        spelt = per_position(positions[close], ids[close], len(tokens))
        spelt_scores = per_position(positions[close], scores[close], len(tokens))
        return [
            self._with_variants(token, spelt[index], spelt_scores[index])
            for index, token in enumerate(tokens)
        ]

    def spelt_alike(
        self,
        texts: Sequence[str],
        floor: float,
        length_gap: int | None = None,
        among: str | None = None,
    ) -> tuple[IntArray, NDArray[np.int32]]:
        """Uncached: the (position in ``texts``, word) pairs whose plain spelling ratio
        reaches ``floor`` (the scorer's similarity of two spellings never exceeds it);
        if a ``length_gap`` is given, at most that many letters longer or shorter; if
        ``among`` names a relation, only words linked in it."""
        words = self._sorted.get(among)
        if words is None:
            raise ValueError(f"words linked as {among!r} were not sorted for search at freeze")
        return words.alike(texts, floor, length_gap)

    def spelt_exactly(self, tokens: Sequence[Token]) -> list[Found]:
        """Uncached: for each word, the vocabulary words spelt the same."""
        found: list[Found] = []
        for token in tokens:
            ids = self._postings.get(_spelling_key(token.text), [])
            found.append((np.asarray(ids, dtype=np.int32), np.ones(len(ids))) if ids else _NOTHING)
        return found

    def _with_variants(
        self, token: Token, spelt: NDArray[np.int32], scores: NDArray[np.float64]
    ) -> Found:
        """The words spelt alike, and those of the same transliteration variant or
        meaning however spelt (Mohamed, Muhammad; company, شركة)."""
        variants = self._postings.get("v" + token.variant, ())
        seen = set(spelt.tolist())
        ids = [index for index in variants if index not in seen]
        if not ids:
            return (spelt, scores) if len(spelt) else _NOTHING
        similarity = 1.0 if ":" in token.variant else self._weights.variant
        return (
            np.concatenate((spelt, np.asarray(ids, dtype=np.int32))),
            np.concatenate((scores, np.full(len(ids), similarity))),
        )


_Value = TypeVar("_Value", bound=np.generic)


def per_position(positions: IntArray, ids: NDArray[_Value], count: int) -> list[NDArray[_Value]]:
    """(position, value) pairs as the values of each position in ``range(count)``."""
    if not count:
        return []
    order = np.argsort(positions, kind="stable")
    ends = np.searchsorted(positions[order], np.arange(count), side="right")
    return np.split(ids[order], ends[:-1])
