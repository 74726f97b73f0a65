"""How alike two words are: spelling, sound, transliteration variant and meaning."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz

from kyc.matching.weights import DEFAULT_WEIGHTS, Weights
from kyc.names import Role, Token


@lru_cache(maxsize=1_000_000)
def swapped_neighbours(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with two neighbouring letters swapped (Mikron, Mikorn)."""
    if len(a) != len(b) or a == b:
        return False
    differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and a[differ[0]] == b[differ[1]]
        and a[differ[1]] == b[differ[0]]
    )


def word_similarity(a: Token, b: Token, weights: Weights = DEFAULT_WEIGHTS) -> float:
    if a.text == b.text:
        return 1.0
    if a.variant == b.variant:
        # One meaning in two languages (company = شركة: rigour's symbols) is the word.
        return 1.0 if ":" in a.variant else weights.variant
    if a.role is Role.NUMBER or b.role is Role.NUMBER:
        return 0.0  # numbers are significant: Fund VIII is not Fund V
    if a.role is Role.INITIAL or b.role is Role.INITIAL:
        initial, word = (a, b) if a.role is Role.INITIAL else (b, a)
        return weights.initial_similarity if word.text.startswith(initial.text) else 0.0
    spelling = fuzz.ratio(a.text, b.text) / 100
    if min(len(a.text), len(b.text)) <= 3:
        spelling = spelling**1.5  # three letters leave little room for a typo
    elif swapped_neighbours(a.text, b.text):
        # The commonest typo keeps every letter: it costs part of a substitution.
        spelling = max(spelling, 1 - weights.transposition / len(a.text))
    # Words that sound alike, as far as their spelling is not too far apart (Kaur is not
    # Korea, Mari not Mehr).
    if (
        a.phonetic == b.phonetic
        and len(a.text) > 3
        and len(b.text) > 3
        and spelling >= weights.phonetic_min_spelling
    ):
        return max(spelling, weights.phonetic_floor)
    return spelling


# --- many pairs at once -----------------------------------------------------------------

_ROLES = {role: code for code, role in enumerate(Role)}
_NUMBER, _INITIAL = _ROLES[Role.NUMBER], _ROLES[Role.INITIAL]


@dataclass(frozen=True)
class WordTable:
    """Words as columns (length, role, variant, sound), for :func:`similarities`.
    Variants and sounds are numbered by the table of the indexed words; a query word's
    that the table does not know is -1 (equal to none of them)."""

    tokens: Sequence[Token]
    lengths: NDArray[np.int64]
    roles: NDArray[np.int8]
    variants: NDArray[np.int64]
    sounds: NDArray[np.int64]
    meaning: NDArray[np.bool_]
    variant_codes: dict[str, int]
    sound_codes: dict[str, int]

    @classmethod
    def indexed(cls, tokens: Sequence[Token]) -> WordTable:
        """The indexed words, numbering their variants and sounds."""
        variants: dict[str, int] = {}
        sounds: dict[str, int] = {}
        for token in tokens:
            variants.setdefault(token.variant, len(variants))
            sounds.setdefault(token.phonetic, len(sounds))
        return cls.of(tokens, variants, sounds)

    def queries(self, tokens: Sequence[Token]) -> WordTable:
        """Query words, numbered as this table numbers its own."""
        return self.of(tokens, self.variant_codes, self.sound_codes)

    @classmethod
    def of(
        cls, tokens: Sequence[Token], variants: dict[str, int], sounds: dict[str, int]
    ) -> WordTable:
        count = len(tokens)
        return cls(
            tokens=tokens,
            lengths=np.fromiter((len(t.text) for t in tokens), np.int64, count),
            roles=np.fromiter((_ROLES[t.role] for t in tokens), np.int8, count),
            variants=np.fromiter((variants.get(t.variant, -1) for t in tokens), np.int64, count),
            sounds=np.fromiter((sounds.get(t.phonetic, -1) for t in tokens), np.int64, count),
            meaning=np.fromiter((":" in t.variant for t in tokens), np.bool_, count),
            variant_codes=variants,
            sound_codes=sounds,
        )


def similarities(
    queries: WordTable,
    query: NDArray[np.int64],
    words: WordTable,
    word: NDArray[np.int64],
    ratios: NDArray[np.float64],
    weights: Weights = DEFAULT_WEIGHTS,
) -> NDArray[np.float64]:
    """:func:`word_similarity` of many pairs (``queries`` word ``query[i]``, ``words``
    word ``word[i]``) whose spelling ratios (``fuzz.ratio / 100``) are known: the same
    rules, in the same order, on whole arrays."""
    q_length, w_length = queries.lengths[query], words.lengths[word]
    spelling = np.array(ratios, dtype=np.float64)
    short = np.minimum(q_length, w_length) <= 3
    spelling[short] **= 1.5
    # A swap keeps every letter but one in the common subsequence: only those are checked.
    maybe_swapped = ~short & (q_length == w_length) & np.isclose(ratios * q_length, q_length - 1)
    for pair in np.flatnonzero(maybe_swapped).tolist():
        a, b = queries.tokens[query[pair]].text, words.tokens[word[pair]].text
        if swapped_neighbours(a, b):
            spelling[pair] = max(spelling[pair], 1 - weights.transposition / len(a))
    sound_alike = (
        (queries.sounds[query] == words.sounds[word])
        & (q_length > 3)
        & (w_length > 3)
        & (spelling >= weights.phonetic_min_spelling)
    )
    spelling[sound_alike] = np.maximum(spelling[sound_alike], weights.phonetic_floor)
    q_role, w_role = queries.roles[query], words.roles[word]
    spelling[(q_role == _NUMBER) | (w_role == _NUMBER)] = 0.0
    for pair in np.flatnonzero((q_role == _INITIAL) | (w_role == _INITIAL)).tolist():
        a, b = queries.tokens[query[pair]], words.tokens[word[pair]]
        spelling[pair] = word_similarity(a, b, weights)
    same_variant = queries.variants[query] == words.variants[word]
    spelling[same_variant] = np.where(queries.meaning[query[same_variant]], 1.0, weights.variant)
    spelling[ratios >= 1.0] = 1.0
    return spelling
