from __future__ import annotations

import pytest

from kyc.matching.base import IndexedList
from kyc.matching.engine import AlignMatcher
from kyc.matching.parallel import screen_all
from kyc.model import EntryKind, ScreeningSubject
from sanctions_sources.registry import get_source
from tests.conftest import SAMPLES

THRESHOLD = 0.86


@pytest.fixture(scope="module")
def matcher() -> AlignMatcher:
    lists = [
        IndexedList(
            key, version, get_source(key).parse(SAMPLES / "lists" / f"{key}_sample.xml").entries
        )
        for version, key in enumerate(("eu", "un"), start=1)
    ]
    return AlignMatcher(lists)


def subjects(count: int) -> list[ScreeningSubject]:
    names = ["Viktor Sokolow", "Jan Peeters", "Abdulrahman Yusuf al-Masri", "Marie Dubois"]
    return [
        ScreeningSubject(f"s{i}", EntryKind.PERSON, names[i % len(names)]) for i in range(count)
    ]


@pytest.mark.parametrize("workers", [1, 2])
def test_parallel_screening_keeps_the_order_and_the_results(
    matcher: AlignMatcher, workers: int
) -> None:
    given = subjects(700)  # several chunks, more than the window of two workers holds

    screened = list(screen_all(matcher, iter(given), THRESHOLD, workers))

    assert [subject.subject_id for subject, _ in screened] == [s.subject_id for s in given]
    assert [matches for _, matches in screened] == [
        matcher.screen(subject, THRESHOLD) for subject in given
    ]
    assert any(matches for _, matches in screened)


def test_nothing_to_screen_gives_nothing(matcher: AlignMatcher) -> None:
    assert list(screen_all(matcher, [], THRESHOLD, 2)) == []
