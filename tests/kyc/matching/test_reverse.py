"""The reverse index finds every customer the prefilter could keep for an entry."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyc.matching.base import IndexedList
from kyc.matching.engine import AlignMatcher
from kyc.matching.reverse import Probes
from kyc.matching.weights import DEFAULT_WEIGHTS
from kyc.model import EntryKind, EntryName, ListEntry, ScreeningSubject
from kyc.names import readings
from tests.conftest import realdata
from tests.kyc.matching.strategies import any_name, listed_names

THRESHOLDS = (0.85, 0.7)  # the default review threshold, and a far lower one


def _entries(names: list[str], kind: EntryKind) -> list[ListEntry]:
    return [
        ListEntry(entry_id=str(number), kind=kind, names=(EntryName(name),))
        for number, name in enumerate(names)
    ]


def _unreached(
    entries: list[ListEntry], queries: list[str], kind: EntryKind, threshold: float
) -> list[tuple[str, str]]:
    """(query, entry name) pairs the prefilter keeps but the entry's keys do not reach."""
    matcher = AlignMatcher([IndexedList("test", 1, entries)])
    probes = {e.entry_id: Probes.of([e], DEFAULT_WEIGHTS, threshold) for e in entries}
    missed = []
    for number, query in enumerate(queries):
        subject = ScreeningSubject(str(number), kind, query)
        for analysed in readings(query, kind):
            for alias in matcher.candidates(kind, analysed, threshold):
                entry = entries[matcher._aliases[alias][0]]
                if not probes[entry.entry_id].reach(subject):
                    missed.append((query, entry.display_name))
    return missed


LISTED = listed_names(200)
ENTRIES = {kind: _entries(LISTED, kind) for kind in EntryKind}


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(
    queries=st.lists(any_name, min_size=1, max_size=4),
    kind=st.sampled_from(list(EntryKind)),
    threshold=st.sampled_from(THRESHOLDS),
)
def test_every_alias_the_prefilter_keeps_reaches_the_query(
    queries: list[str], kind: EntryKind, threshold: float
) -> None:
    assert _unreached(ENTRIES[kind], queries, kind, threshold) == []


@pytest.mark.realdata
@pytest.mark.parametrize("threshold", THRESHOLDS)
def test_the_labelled_name_pairs_are_reached_whenever_the_prefilter_keeps_them(
    threshold: float,
) -> None:
    path = realdata("matching/name_bench_cases.csv")
    with path.open(newline="") as handle:
        pairs = list(csv.DictReader(handle))
    for kind, schema in ((EntryKind.PERSON, "Person"), (EntryKind.ORGANIZATION, "Company")):
        chosen = [p for p in pairs if p["schema"] == schema]
        entries = _entries([p["name2"] for p in chosen], kind)
        assert _unreached(entries, [p["name1"] for p in chosen], kind, threshold) == []


def test_a_name_in_another_script_is_reached_in_it() -> None:
    entry = ListEntry("1", EntryKind.PERSON, (EntryName("Виктор Соколов"),))
    probes = Probes.of([entry], DEFAULT_WEIGHTS, 0.86)
    for name, reached in (("Виктор Соколовь", True), ("Jan Peeters", False)):
        assert probes.reach(ScreeningSubject("s", EntryKind.PERSON, name)) is reached, name


def test_a_word_alike_is_not_enough_when_the_rest_differs() -> None:
    entry = ListEntry("1", EntryKind.PERSON, (EntryName("Adnan Abou Walid al-Sahraoui"),))
    probes = Probes.of([entry], DEFAULT_WEIGHTS, 0.86)
    for name, reached in (("Adnan Walid Sahraoui", True), ("Adnan Peeters", False)):
        assert probes.reach(ScreeningSubject("s", EntryKind.PERSON, name)) is reached, name
