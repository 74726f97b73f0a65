"""The compiled search finds exactly what rapidfuzz's ratio finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from kyc.matching.spelling import ByLength

words = st.text(alphabet="abcdeé0", min_size=0, max_size=12)
long_words = st.text(alphabet="ab", min_size=60, max_size=70)


@settings(max_examples=300, deadline=None)
@given(
    indexed=st.lists(st.one_of(words, long_words), max_size=40),
    queries=st.lists(st.one_of(words, long_words), max_size=15),
    floor=st.sampled_from([0.0, 0.5, 0.72, 0.81, 0.9, 1.0]),
    gap=st.one_of(st.none(), st.integers(0, 3)),
)
def test_the_search_finds_what_the_ratio_finds(
    indexed: list[str], queries: list[str], floor: float, gap: int | None
) -> None:
    ids = [100 + i for i in range(len(indexed))]
    positions, found = ByLength(indexed, ids).alike(queries, floor, gap)
    expected = {
        (q, 100 + i)
        for q, query in enumerate(queries)
        for i, text in enumerate(indexed)
        if fuzz.ratio(query, text) >= floor * 100 - 1e-6
        and (gap is None or abs(len(query) - len(text)) <= gap)
    }
    assert set(zip(positions.tolist(), found.tolist(), strict=True)) == expected
