"""A batch of query names as rows of words, for the prefilter (:mod:`kyc.matching.prefilter`):
each identifying word a row with the query it belongs to, its weight and its cost
unpaired; per-query counts of the other words; and the forms an alias is also indexed
by (neighbouring words joined, an organisation's initials)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from kyc.matching.scorer import ACRONYM_LETTERS, NEVER_JOINED
from kyc.matching.vocabulary import Found, Vocabulary
from kyc.matching.weights import Weights, role_weight, unmatched_shares
from kyc.model import EntryKind
from kyc.names import AnalysedName, Role, Token

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def alternate_forms(name: AnalysedName) -> list[Token]:
    """Neighbouring words joined, and the initials of an organisation's words."""
    initials = initials_form(name)
    return [*joined_neighbours(name), *([initials] if initials else [])]


def joined_neighbours(name: AnalysedName) -> list[Token]:
    """Neighbouring words as one, as the scorer may join them (never an initial or a
    number: see scorer._merged)."""
    return [
        plain_word(left.text + right.text)
        for left, right in zip(name.tokens, name.tokens[1:], strict=False)
        if left.role not in NEVER_JOINED and right.role not in NEVER_JOINED
    ]


def initials_form(name: AnalysedName) -> Token | None:
    words = [t.text for t in name.tokens if t.role is not Role.NUMBER]
    if name.kind is EntryKind.ORGANIZATION and len(words) >= ACRONYM_LETTERS:
        return plain_word("".join(w[0] for w in words))
    return None


def initials_of(tokens: Sequence[Token]) -> list[Token]:
    return [token for token in tokens if token.role is Role.INITIAL]


def first_letters(tokens: Sequence[Token]) -> int:
    """The first letters of the words as a bit set (a to z; anything else shares one)."""
    letters = 0
    for token in tokens:
        letters |= _letter_bit(token)
    return letters


def _letter_bit(token: Token) -> int:
    offset = ord(token.text[0]) - ord("a")
    return 1 << (offset if 0 <= offset < 26 else 26)


def letter_sets(names: Iterable[Sequence[Token]]) -> IntArray:
    return np.fromiter((first_letters(tokens) for tokens in names), dtype=np.int64)


@lru_cache(maxsize=500_000)
def plain_word(text: str) -> Token:
    """A word compared as spelt (joined words, skeletons): the same few come back."""
    return Token(text, Role.NAME, text, text)


@dataclass
class Rows:
    """Query words as rows of a sparse matrix over the vocabulary."""

    query: list[int] = field(default_factory=list)
    weight: list[float] = field(default_factory=list)
    unpaired: list[float] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)

    @classmethod
    def of(
        cls,
        tokens: Sequence[Token],
        owner: IntArray,
        chosen: NDArray[np.bool_],
        weight: FloatArray | None = None,
        unpaired: FloatArray | None = None,
    ) -> Rows:
        """The chosen words of a batch, each with the query it belongs to."""
        picked = np.flatnonzero(chosen)
        ones = np.ones(len(picked))
        return cls(
            query=owner[picked].tolist(),
            weight=(ones if weight is None else weight[picked]).tolist(),
            unpaired=(np.zeros(len(picked)) if unpaired is None else unpaired[picked]).tolist(),
            tokens=[tokens[index] for index in picked.tolist()],
        )

    def add(self, query: int, token: Token, weight: float = 1.0, unpaired: float = 0.0) -> None:
        self.query.append(query)
        self.tokens.append(token)
        self.weight.append(weight)
        self.unpaired.append(unpaired)

    def matrix(self, vocabulary: Vocabulary) -> sparse.csr_matrix:
        """Rows of similarities to the vocabulary's words."""
        vocabulary.prepare(self.tokens)
        found = [vocabulary.similar(token) for token in self.tokens]
        return self.as_matrix(found, len(vocabulary))

    def as_matrix(self, found: Sequence[Found], columns: int) -> sparse.csr_matrix:
        data = np.concatenate([sims for _, sims in found]) if found else np.zeros(0)
        return self.ones_matrix([ids for ids, _ in found], columns, data)

    def ones_matrix(
        self, found: Sequence[NDArray[np.int32]], columns: int, data: FloatArray | None = None
    ) -> sparse.csr_matrix:
        """Rows of the given columns, each with a 1 (or with ``data``)."""
        counts = np.fromiter((len(ids) for ids in found), dtype=np.int64, count=len(found))
        indptr = np.concatenate(([0], np.cumsum(counts)))
        indices = np.concatenate(found) if found else np.zeros(0, np.int32)
        values = np.ones(len(indices)) if data is None else data
        return sparse.csr_matrix((values, indices, indptr), shape=(len(self.tokens), columns))


@dataclass
class QueryWords:
    """A batch of queries' words: the identifying ones as rows with their weight and
    cost when left unpaired, the others apart, and counts per query."""

    names: Rows
    others: Rows
    identifying_count: FloatArray
    initials: FloatArray
    unpaired_total: FloatArray
    others_count: FloatArray
    heaviest_other: FloatArray
    first_letters: IntArray
    initial_letters: IntArray

    @classmethod
    def of(cls, queries: Sequence[AnalysedName], weights: Weights, kind: EntryKind) -> QueryWords:
        # Word by word in flat arrays, then summed per query: a batch has tens of
        # thousands of words, and a Python loop per query would cost more than the rest.
        count = len(queries)
        tokens = [token for query in queries for token in query.tokens]
        owner = np.repeat(np.arange(count), [len(query.tokens) for query in queries])
        role = np.fromiter((_ROLE_CODES[t.role] for t in tokens), dtype=np.int8, count=len(tokens))
        names_or_numbers = (role == _ROLE_CODES[Role.NAME]) | (role == _ROLE_CODES[Role.NUMBER])
        without = np.bincount(owner, weights=names_or_numbers, minlength=count) == 0
        key = names_or_numbers | without[owner]  # see identifying()
        weight = np.asarray([role_weight(r, weights) for r in Role])[role]
        shares = np.asarray([unmatched_shares(weights, r, kind)[0] for r in Role])
        cost = weight * shares[role]
        rest = ~key
        heaviest_other = np.zeros(count)
        np.maximum.at(heaviest_other, owner[rest], weight[rest])
        letter = np.fromiter((_letter_bit(t) for t in tokens), dtype=np.int64, count=len(tokens))
        initial = role == _ROLE_CODES[Role.INITIAL]
        return cls(
            names=Rows.of(tokens, owner, key, weight, cost),
            others=Rows.of(tokens, owner, rest),
            identifying_count=_per_query(owner, key, count),
            initials=_per_query(owner, initial, count),
            unpaired_total=_per_query(owner, cost * key, count),
            others_count=_per_query(owner, rest, count),
            heaviest_other=heaviest_other,
            first_letters=_or_per_query(owner, letter, count),
            initial_letters=_or_per_query(owner, np.where(initial, letter, 0), count),
        )


_ROLE_CODES = {role: code for code, role in enumerate(Role)}


def _per_query(owner: IntArray, values: NDArray[Any], count: int) -> FloatArray:
    return np.bincount(owner, weights=values, minlength=count).astype(np.float64)


def _or_per_query(owner: IntArray, bits: IntArray, count: int) -> IntArray:
    result = np.zeros(count, dtype=np.int64)
    np.bitwise_or.at(result, owner, bits)
    return result


@dataclass(frozen=True)
class Contacts:
    """Every (query, alias) pair that shares at least one word, with row sums."""

    query: IntArray
    alias: IntArray
    matched: FloatArray  # Σ weight × similarity (similarity capped at 1 per row)
    paired_weight: FloatArray
    paired_unpaired_cost: FloatArray
    paired: FloatArray  # how many rows found a partner

    @classmethod
    def of(cls, rows: Rows, found: sparse.csr_matrix, aliases: int) -> Contacts:
        products = found.tocoo()
        similarity = np.minimum(products.data, 1.0)
        queries = np.asarray(rows.query, dtype=np.int64)[products.row]
        weight = np.asarray(rows.weight)[products.row]
        unpaired = np.asarray(rows.unpaired)[products.row]
        keys = queries * aliases + products.col.astype(np.int64)
        unique, inverse = np.unique(keys, return_inverse=True)
        return cls(
            query=unique // aliases,
            alias=unique % aliases,
            matched=sums(inverse, weight * similarity),
            paired_weight=sums(inverse, weight),
            paired_unpaired_cost=sums(inverse, unpaired),
            paired=np.bincount(inverse).astype(np.float64),
        )


def sums(groups: IntArray, values: FloatArray, count: int = 0) -> FloatArray:
    """Per-group sums of values, for at least ``count`` groups (numpy's stubs type a
    weighted bincount as int)."""
    return np.asarray(np.bincount(groups, weights=values, minlength=count), dtype=np.float64)


def query_alias_pairs(rows: Rows, found: sparse.csr_matrix) -> tuple[IntArray, IntArray]:
    products = found.tocoo()
    return np.asarray(rows.query, dtype=np.int64)[products.row], products.col.astype(np.int64)


def concatenated(parts: list[tuple[IntArray, IntArray]]) -> tuple[IntArray, IntArray]:
    if not parts:
        return nothing()
    return np.concatenate([q for q, _ in parts]), np.concatenate([a for _, a in parts])


def nothing() -> tuple[IntArray, IntArray]:
    return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
