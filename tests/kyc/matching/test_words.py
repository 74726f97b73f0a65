"""Word similarity, one pair at a time and on whole arrays: the same numbers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from kyc.matching.weights import DEFAULT_WEIGHTS
from kyc.matching.words import WordTable, similarities, word_similarity
from kyc.model import EntryKind
from kyc.names import Token, analyse

# Words that exercise every rule: variants (mohamed/muhammad), sound (meyer/maier),
# swaps (mikron/mikorn), short words, initials, numbers, meanings (company/شركة).
KNOWN = [
    "mohamed", "muhammad", "meyer", "maier", "mikron", "mikorn", "al", "ali", "j", "jan",
    "viii", "v", "12", "21", "company", "شركة", "kaur", "korea", "peeters", "pieters",
]  # fmt: skip


def tokens(texts: list[str], kind: EntryKind) -> list[Token]:
    return [token for text in texts for token in analyse(text, kind).tokens]


def vectorised(queries: list[Token], words: list[Token]) -> np.ndarray:
    table = WordTable.indexed(words)
    query = np.repeat(np.arange(len(queries)), len(words))
    word = np.tile(np.arange(len(words)), len(queries))
    ratios = np.array(
        [fuzz.ratio(queries[q].text, words[w].text) / 100 for q, w in zip(query, word, strict=True)]
    )
    return similarities(table.queries(queries), query, table, word, ratios, DEFAULT_WEIGHTS)


@pytest.mark.parametrize("kind", list(EntryKind))
def test_every_rule_gives_the_same_score(kind: EntryKind) -> None:
    words = tokens(KNOWN, kind)
    expected = [word_similarity(q, w, DEFAULT_WEIGHTS) for q in words for w in words]
    assert vectorised(words, words).tolist() == pytest.approx(expected)


@settings(max_examples=200, deadline=None)
@given(
    queries=st.lists(st.text(alphabet="abeikmoruy", min_size=1, max_size=8), max_size=6),
    indexed=st.lists(st.text(alphabet="abeikmoruy", min_size=1, max_size=8), max_size=6),
)
def test_any_words_give_the_same_score(queries: list[str], indexed: list[str]) -> None:
    left, right = tokens(queries, EntryKind.PERSON), tokens(indexed, EntryKind.PERSON)
    expected = [word_similarity(q, w, DEFAULT_WEIGHTS) for q in left for w in right]
    assert vectorised(left, right).tolist() == pytest.approx(expected)
