"""The bounds must never undercut the scorer: a bound below the truth loses a hit."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyc.matching.bound import name_bound
from kyc.matching.scorer import DEFAULT_WEIGHTS, name_similarity
from kyc.model import EntryKind
from kyc.names import analyse
from tests.kyc.matching.strategies import any_name


@settings(max_examples=3000, deadline=None)
@given(query=any_name, alias=any_name, kind=st.sampled_from(list(EntryKind)))
def test_the_bound_is_never_below_the_score(query: str, alias: str, kind: EntryKind) -> None:
    left, right = analyse(query, kind), analyse(alias, kind)
    score, detail = name_similarity(left, right, DEFAULT_WEIGHTS, explain=False)
    assert name_bound(left, right, DEFAULT_WEIGHTS) >= score - 1e-9, detail


@pytest.mark.parametrize(
    ("query", "alias"),
    [
        ("bin laden", "binladen"),
        ("abdul rahman", "abdulrahman"),
        ("usama bin laden", "osama binladen"),
    ],
)
def test_words_written_as_one_keep_a_high_bound(query: str, alias: str) -> None:
    left, right = analyse(query, EntryKind.PERSON), analyse(alias, EntryKind.PERSON)
    assert name_bound(left, right, DEFAULT_WEIGHTS) >= 0.9


@pytest.mark.parametrize(
    ("query", "alias"),
    [
        # amin + al reads as "aminal", close to "amina", but no closer than "amin" alone:
        # the scorer does not join them, and the bound need not expect it.
        ("amina azzouzi", "mohammed al amin al arabi kashlaf"),
        ("manon bertrand", "ri man gon"),
    ],
)
def test_a_possible_join_does_not_open_the_bound(query: str, alias: str) -> None:
    left, right = analyse(query, EntryKind.PERSON), analyse(alias, EntryKind.PERSON)
    score = name_similarity(left, right, DEFAULT_WEIGHTS, explain=False)[0]
    assert score - 1e-9 <= name_bound(left, right, DEFAULT_WEIGHTS) < 0.75


def test_unrelated_names_get_a_low_bound() -> None:
    left = analyse("Jan Peeters", EntryKind.PERSON)
    right = analyse("Viktor Sokolov", EntryKind.PERSON)
    assert name_bound(left, right, DEFAULT_WEIGHTS) < 0.5
