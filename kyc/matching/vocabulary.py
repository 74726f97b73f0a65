"""The words of a list's aliases, and which aliases each word stands in.

A query word is looked up once: the list words sharing a key with it (its spelling, its
sound, its transliteration variant, its one-deletion forms) are scored with the
scorer's own word similarity, and those close enough are remembered — query words come
back name after name (Jan, Peeters, Mohamed), so each is paid for once.

Aliases are columns of sparse incidence matrices (word × alias), so that a whole batch
of queries meets the list in a few matrix products instead of a Python loop.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from kyc.names import Token

_MIN_DELETION = 4
_CACHE_SIZE = 500_000

Similarity = Callable[[Token, Token], float]
Incidence = sparse.csr_matrix
Found = tuple[NDArray[np.int32], NDArray[np.float64]]

_NOTHING: Found = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64))


def token_keys(token: Token) -> set[str]:
    """What two similar words are likely to share: spelling, variant, sound, deletions."""
    text = token.text
    keys = {"d" + text, "v" + token.variant}
    if len(text) > 3:
        keys.add("p" + token.phonetic)
    if len(text) >= _MIN_DELETION:
        keys.update("d" + text[:i] + text[i + 1 :] for i in range(len(text)))
    return keys


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

    def __len__(self) -> int:
        return len(self._tokens)

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

    def incidence(self, relation: str) -> Incidence:
        matrix = self._matrices.get(relation)
        if matrix is None:  # nothing was ever linked so
            matrix = sparse.csr_matrix((len(self._tokens), self._aliases))
        return matrix

    def similar(self, token: Token) -> Found:
        """The words close enough to ``token`` to pair with it, and how close."""
        found = self._found.get(token)
        if found is None:
            found = self._lookup(token)
            if len(self._found) >= _CACHE_SIZE:
                self._found.clear()
            self._found[token] = found
        return found

    def _lookup(self, token: Token) -> Found:
        seen: set[int] = set()
        ids: list[int] = []
        sims: list[float] = []
        for key in token_keys(token):
            for index in self._postings.get(key, ()):
                if index in seen:
                    continue
                seen.add(index)
                similarity = self._similarity(token, self._tokens[index])
                if similarity >= self._floor:
                    ids.append(index)
                    sims.append(similarity)
        if not ids:
            return _NOTHING
        return np.array(ids, dtype=np.int32), np.array(sims, dtype=np.float64)
