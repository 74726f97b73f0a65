"""The words of a list's aliases, and which aliases each word stands in.

A query word is looked up once: the list words sharing a key with it (its spelling, its
sound, its transliteration variant) or spelt alike (rapidfuzz's vectorised ``cdist``
over every word of a length that could reach the floor, so no typo is out of reach)
are scored with the scorer's own word similarity, and those close enough are
remembered — query words come back name after name (Jan, Peeters, Mohamed), so each is
paid for once. New words are looked up a batch at a time.

Aliases are columns of sparse incidence matrices (word × alias), so that a whole batch
of queries meets the list in a few matrix products instead of a Python loop.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process
from scipy import sparse

from kyc.names import Token

_CACHE_SIZE = 500_000
# Keeps float rounding from excluding a word exactly at the floor.
_ROUNDING = 1e-6
# Query words compared with the vocabulary at once: bounds the score matrix.
_LOOKUP_BATCH = 512

Similarity = Callable[[Token, Token], float]
Incidence = sparse.csr_matrix
Found = tuple[NDArray[np.int32], NDArray[np.float64]]

_NOTHING: Found = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64))


def token_keys(token: Token) -> set[str]:
    """What two words the scorer calls alike without being spelt alike share: the same
    spelling, transliteration variant or (beyond three letters) sound."""
    keys = {_spelling_key(token.text), "v" + token.variant}
    if len(token.text) > 3:
        keys.add("p" + token.phonetic)
    return keys


def _spelling_key(text: str) -> str:
    return "d" + text


class Vocabulary:
    """Distinct words, their lookup keys, and one incidence matrix per kind of link."""

    def __init__(self, similarity: Similarity, floor: float) -> None:
        self._similarity = similarity
        self._floor = floor
        self._tokens: list[Token] = []
        self._ids: dict[Token, int] = {}
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._links: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        self._matrices: dict[str, Incidence] = {}
        self._aliases = 0
        self._found: dict[Token, Found] = {}
        # The words sorted by length, to compare a word only with those of a length
        # that can reach the floor.
        self._length_order = np.zeros(0, dtype=np.int32)
        self._by_length: list[str] = []
        self._lengths = np.zeros(0, dtype=np.int64)
        self._longest = 0

    def __len__(self) -> int:
        return len(self._tokens)

    def token(self, index: int) -> Token:
        return self._tokens[index]

    def link(self, relation: str, token: Token, alias: int) -> None:
        """Record that ``token`` stands in ``alias`` (in the sense of ``relation``)."""
        rows, columns = self._links[relation]
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

    def freeze(self, aliases: int) -> None:
        """Build the incidence matrices once every alias has been linked."""
        self._aliases = aliases
        shape = (len(self._tokens), aliases)
        for relation, (rows, columns) in self._links.items():
            ones = np.ones(len(rows), dtype=np.float64)
            matrix = sparse.csr_matrix((ones, (rows, columns)), shape=shape)
            matrix.data[:] = 1.0  # a word twice in one alias still stands in it once
            self._matrices[relation] = matrix
        self._links.clear()
        order = sorted(range(len(self._tokens)), key=lambda i: len(self._tokens[i].text))
        self._length_order = np.asarray(order, dtype=np.int32)
        self._by_length = [self._tokens[i].text for i in order]
        self._lengths = np.asarray([len(text) for text in self._by_length])
        self._longest = int(self._lengths[-1]) if order else 0

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

    def matches(
        self, tokens: Sequence[Token], floor: float, length_gap: int | None = None
    ) -> list[Found]:
        """Uncached: for each word, the vocabulary words at least ``floor`` similar
        (``floor`` no lower than the vocabulary's own), and if a ``length_gap`` is
        given, at most that many letters longer or shorter."""
        spelt = self._spelt_alike(tokens, floor, length_gap)
        return [self._lookup(token, spelt[index], floor) for index, token in enumerate(tokens)]

    def spelt_exactly(self, tokens: Sequence[Token]) -> list[Found]:
        """Uncached: for each word, the vocabulary words spelt the same."""
        found: list[Found] = []
        for token in tokens:
            ids = self._postings.get(_spelling_key(token.text), [])
            found.append((np.asarray(ids, dtype=np.int32), np.ones(len(ids))) if ids else _NOTHING)
        return found

    def _spelt_alike(
        self, tokens: Sequence[Token], floor: float, length_gap: int | None
    ) -> list[list[int]]:
        """Per word, the vocabulary words whose plain spelling ratio reaches ``floor``
        (the scorer's similarity of two spellings never exceeds that ratio). Only words
        of a length that can reach it are compared."""
        found: list[list[int]] = [[] for _ in tokens]
        by_length: dict[int, list[int]] = defaultdict(list)
        for index, token in enumerate(tokens):
            by_length[len(token.text)].append(index)
        for length, indices in by_length.items():
            low, high = self._length_window(length, floor, length_gap)
            for start in range(0, len(indices), _LOOKUP_BATCH):
                batch = indices[start : start + _LOOKUP_BATCH]
                scores = process.cdist(
                    [tokens[index].text for index in batch],
                    self._by_length[low:high],
                    scorer=fuzz.ratio,
                    score_cutoff=floor * 100 - _ROUNDING,
                    dtype=np.uint8,
                    workers=1,
                )
                for index, row in zip(batch, scores, strict=True):
                    found[index] = (self._length_order[low + np.flatnonzero(row)]).tolist()
        return found

    def _length_window(self, length: int, floor: float, length_gap: int | None) -> tuple[int, int]:
        """Positions in ``_by_length`` of the words whose length allows the ratio
        ``2·common / (length + other) ≥ floor``: other ∈ [length·f/(2−f), length·(2−f)/f]."""
        shortest = math.ceil(length * floor / (2 - floor) - _ROUNDING)
        longest = (
            math.floor(length * (2 - floor) / floor + _ROUNDING) if floor > 0 else self._longest
        )
        if length_gap is not None:
            shortest, longest = (
                max(shortest, length - length_gap),
                min(longest, length + length_gap),
            )
        lengths = self._lengths
        return (
            int(np.searchsorted(lengths, shortest, side="left")),
            int(np.searchsorted(lengths, longest, side="right")),
        )

    def _lookup(self, token: Token, spelt_alike: list[int], floor: float) -> Found:
        candidates = dict.fromkeys(spelt_alike)
        for key in token_keys(token):
            candidates.update(dict.fromkeys(self._postings.get(key, ())))
        ids: list[int] = []
        sims: list[float] = []
        for index in candidates:
            similarity = self._similarity(token, self._tokens[index])
            if similarity >= floor:
                ids.append(index)
                sims.append(similarity)
        if not ids:
            return _NOTHING
        return np.array(ids, dtype=np.int32), np.array(sims, dtype=np.float64)
