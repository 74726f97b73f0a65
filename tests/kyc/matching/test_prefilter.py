"""The prefilter may keep too much, never too little."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyc.matching.prefilter import KindIndex
from kyc.matching.rows import alternate_forms
from kyc.matching.scorer import name_similarity
from kyc.matching.weights import DEFAULT_WEIGHTS
from kyc.model import EntryKind
from kyc.names import AnalysedName, analyse
from tests.kyc.matching.strategies import any_name, listed_names

LISTED = listed_names(300)
NEEDED = 0.81  # the default threshold less what birth date and country can add


def _index(kind: EntryKind) -> tuple[KindIndex, list[AnalysedName]]:
    aliases = [analyse(name, kind) for name in LISTED]
    index = KindIndex(kind, DEFAULT_WEIGHTS, aliases.__getitem__)
    for number, alias in enumerate(aliases):
        index.add(number, alias)
    index.freeze()
    return index, aliases


INDEXES = {kind: _index(kind) for kind in EntryKind}


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    queries=st.lists(any_name, min_size=1, max_size=4),
    kind=st.sampled_from(list(EntryKind)),
)
def test_every_alias_that_can_reach_the_threshold_survives(
    queries: list[str], kind: EntryKind
) -> None:
    index, aliases = INDEXES[kind]
    analysed = [analyse(query, kind) for query in queries]
    for query, survivors in zip(analysed, index.survivors(analysed, NEEDED), strict=True):
        reaching = {
            number
            for number, alias in enumerate(aliases)
            if name_similarity(query, alias, DEFAULT_WEIGHTS, explain=False)[0] >= NEEDED
        }
        assert reaching <= survivors, (query.text, [aliases[i].text for i in reaching - survivors])


def test_an_unlisted_name_meets_few_aliases() -> None:
    index, _ = INDEXES[EntryKind.PERSON]
    [survivors] = index.survivors([analyse("Jan Vermeulen", EntryKind.PERSON)], NEEDED)
    assert len(survivors) < 5


def test_two_initials_are_not_an_acronym_but_three_are() -> None:
    def initials(name: str) -> list[str]:
        return [t.text for t in alternate_forms(analyse(name, EntryKind.ORGANIZATION))]

    assert "al" not in initials("Aurora Logistics")
    assert "bss" in initials("Baltic Star Shipping")


def test_a_misspelt_generic_word_still_pairs_with_it() -> None:
    listed = analyse("Sabalan Company", EntryKind.ORGANIZATION)
    index = KindIndex(EntryKind.ORGANIZATION, DEFAULT_WEIGHTS, lambda _alias: listed)
    index.add(0, listed)
    index.freeze()
    query = analyse("Sabalan Comopany", EntryKind.ORGANIZATION)
    assert index.survivors([query], NEEDED) == [{0}]


def _one_alias(listed: str, kind: EntryKind) -> KindIndex:
    alias = analyse(listed, kind)
    index = KindIndex(kind, DEFAULT_WEIGHTS, lambda _alias: alias)
    index.add(0, alias)
    index.freeze()
    return index


@pytest.mark.parametrize(
    ("query", "listed", "kind"),
    [
        # Two words of the alias's skeleton read as one of the query's (bl rhmn ~ bdlrhmn).
        ("شركة abdulrahman", "Bal Rahman Kompaniya", EntryKind.ORGANIZATION),
        # Two names in one script, compared as whole strings in it.
        ("ركة", "شركة", EntryKind.PERSON),
    ],
)
def test_readings_the_bound_does_not_cover_reach_the_scorer(
    query: str, listed: str, kind: EntryKind
) -> None:
    analysed = analyse(query, kind)
    assert name_similarity(analysed, analyse(listed, kind), DEFAULT_WEIGHTS)[0] >= NEEDED
    assert _one_alias(listed, kind).survivors([analysed], NEEDED) == [{0}]
