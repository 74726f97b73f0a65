"""The scorer's reading of neighbouring words written as one."""

from __future__ import annotations

import pytest

from kyc.matching.scorer import could_join, name_similarity
from kyc.model import EntryKind
from kyc.names import Token, analyse


def _tokens(name: str) -> tuple[Token, ...]:
    return analyse(name, EntryKind.PERSON).tokens


@pytest.mark.parametrize(
    ("query", "alias"),
    [
        ("bin laden", "binladen"),
        ("abdulrahman", "abdul rahman"),
        ("usama bin laden", "osama binladen"),
    ],
)
def test_words_written_as_one_may_be_joined(query: str, alias: str) -> None:
    assert could_join(_tokens(query), _tokens(alias))


@pytest.mark.parametrize(
    ("query", "alias"),
    [
        # amin + al reads as "aminal", close to "amina", but no closer than "amin" alone.
        ("amina azzouzi", "mohammed al amin al arabi kashlaf"),
        ("jan peeters", "jan peeters"),
    ],
)
def test_a_join_must_fit_clearly_better_than_its_parts(query: str, alias: str) -> None:
    assert not could_join(_tokens(query), _tokens(alias))


def test_particles_and_initials_identify_nobody() -> None:
    """``al T. A.`` shares every word with ``Muhammad al T A`` and still names nobody."""
    query = analyse("al t/a", EntryKind.PERSON)
    listed = analyse("Muhammad al T A", EntryKind.PERSON)
    assert name_similarity(query, listed)[0] < 0.5
