from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyc.matching.base import IndexedList
from kyc.matching.engine import AlignMatcher, compare_names
from kyc.model import (
    EntryKind,
    EntryName,
    ListEntry,
    NameOrigin,
    NameQuality,
    PartialDate,
    ScreeningSubject,
)
from sanctions_sources.registry import get_source
from tests.conftest import SAMPLES, realdata

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


def person(name: str, birth: str | None = None, nationality: str | None = None) -> ScreeningSubject:
    return ScreeningSubject(
        "s1",
        EntryKind.PERSON,
        name,
        birth_date=PartialDate.parse(birth) if birth else None,
        nationality=nationality,
    )


def organisation(name: str) -> ScreeningSubject:
    return ScreeningSubject("s1", EntryKind.ORGANIZATION, name)


@pytest.mark.parametrize(
    ("subject", "entry"),
    [
        (person("Viktor Sokolov"), "900001"),  # dropped middle name
        (person("SOKOLOV Viktor Ivanovich"), "900001"),  # reordered
        (person("Viktor Sokolow"), "900001"),  # typo
        (person("Victor Sokolov"), "900001"),  # transliteration variant
        (person("Виктор Соколов"), "900001"),  # Cyrillic
        (person("Abdul Rahman Yusuf Al Masri"), "QDi.901"),  # punctuation
        (person("Abdulrahman Yusuf al-Masri"), "QDi.901"),  # joined words
        (person("عبد الرحمن يوسف المصري"), "QDi.901"),  # Arabic script
        (organisation("Baltic Star Shipping BV"), "900003"),  # a legal form added
        (organisation("Baltic Star Shipping B.V.B.A."), "900003"),
        (organisation("Nour Relief Organization"), "QDe.901"),  # spelling variant
        (organisation("Al Nour Charitable Foundation VZW"), "QDe.901"),
    ],
)
def test_listed_names_are_found_despite_variation(
    matcher: AlignMatcher, subject: ScreeningSubject, entry: str
) -> None:
    found = {m.entry_id: m for m in matcher.screen(subject, THRESHOLD)}
    assert entry in found, matcher.brute_force(subject, 0.5)[:3]
    assert found[entry].features[0].name == "name"


@pytest.mark.parametrize(
    "subject",
    [
        person("Jan Peeters"),
        person("Viktor"),
        person("Viktor Peeters"),
        person("Amira Janssens"),
        organisation("Baltic Bakery BV"),
        organisation("Star Shipping Services"),
        organisation("Northern Lights Trading LLC 2"),
    ],
)
def test_unrelated_names_raise_no_hit(matcher: AlignMatcher, subject: ScreeningSubject) -> None:
    assert [m.entry_id for m in matcher.screen(subject, THRESHOLD)] == []


def test_persons_and_organisations_are_not_compared(matcher: AlignMatcher) -> None:
    assert matcher.screen(organisation("Viktor Ivanovich Sokolov"), THRESHOLD) == []


def test_secondary_attributes_adjust_and_explain(matcher: AlignMatcher) -> None:
    same = matcher.screen(person("Viktor Sokolov", "1961-03-14", "RU"), 0.5)[0]
    swapped = matcher.screen(person("Viktor Sokolov", "1961-14-03".replace("14-03", "03-14")), 0.5)[
        0
    ]
    other = matcher.screen(person("Viktor Ivanovich Sokolov", "1990-01-01", "BE"), 0.5)[0]
    features = {f.name: f.contribution for f in same.features}
    assert features["birth_date"] > 0 and features["country"] > 0
    assert {f.name: f.contribution for f in other.features}["birth_date"] < 0
    assert {f.name: f.contribution for f in other.features}["country"] < 0
    assert other.score < same.score
    assert swapped.score > 0


def test_day_and_month_swapped_birth_dates_count() -> None:
    from kyc.matching.features import birth_date_feature
    from kyc.matching.weights import DEFAULT_WEIGHTS

    feature = birth_date_feature(
        PartialDate(1961, 3, 4), [PartialDate(1961, 4, 3)], DEFAULT_WEIGHTS
    )
    assert feature is not None and feature.contribution > 0 and "swapped" in feature.detail


def test_weak_alias_scores_lower(matcher: AlignMatcher) -> None:
    match = matcher.screen(person("Umm Yusuf"), 0.5)[0]
    assert match.matched_name == "Umm Yusuf"
    assert any(f.name == "weak_alias" and f.contribution < 0 for f in match.features)


def test_one_match_per_entry_and_few_candidates(matcher: AlignMatcher) -> None:
    matches = matcher.screen(person("Abdul Rahman Yusuf al-Masri"), 0.5)
    keys = [(m.source, m.entry_id) for m in matches]
    assert len(keys) == len(set(keys))
    query = __import__("kyc.names", fromlist=["analyse"]).analyse("Jan Peeters", EntryKind.PERSON)
    assert matcher.candidates(EntryKind.PERSON, query, THRESHOLD) == []


@pytest.mark.parametrize(
    ("left", "right", "kind", "at_least", "at_most"),
    [
        ("Acme Logistics BVBA", "ACME Logistics BV", "organization", 0.99, 1.0),
        ("Acme Logistics SPRL", "Acme Logistics SRL", "organization", 0.99, 1.0),
        ("Deutsche Bank AG", "Deutsche Bank GmbH", "organization", 0.9, 0.97),
        ("Apollo Fund VIII", "Apollo Fund IX", "organization", 0.0, 0.8),
        ("NATOS", "North Atlantic Treaty Organization Staff", "organization", 0.86, 1.0),
        # three or four letters: a reading to show, but many companies share such
        # initials by chance (Aden: Armata de Eliberare Națională)
        ("NATO", "North Atlantic Treaty Organization", "organization", 0.7, 0.8),
        ("PLA", "People's Liberation Army", "organization", 0.7, 0.8),
        ("NATO", "North Atlantic Treaty Organization (NATO)", "organization", 0.86, 1.0),
        ("Maes Martens Logistics", "MML", "organization", 0.7, 0.8),
        ("AL", "Aurora Logistics", "organization", 0.0, 0.5),  # two letters: no acronym
        ("L", "Laden", "person", 0.0, 0.5),  # an initial alone identifies nobody
        ("Al Qaeda", "Al-Qa'ida/Islamic Army", "organization", 0.86, 1.0),
        ("V. Putin", "Vladimir Putin", "person", 0.86, 1.0),
        ("Osama bin Laden", "Usama ibn Laden", "person", 0.86, 1.0),
        (
            "AYMAN SABAWI IBRAHIM HASAN AL-DULAIMI",
            "AYMAN SABAWI IBRAHIM HASAN AL-TIKRITI",
            "person",
            0.0,
            0.85,
        ),
        ("김종은", "김정은", "person", 0.0, 0.8),
    ],
)
def test_name_comparisons(
    left: str, right: str, kind: str, at_least: float, at_most: float
) -> None:
    score, detail = compare_names(left, right, kind)
    assert at_least <= score <= at_most, detail


def test_screening_many_at_once_equals_one_by_one(matcher: AlignMatcher) -> None:
    subjects = [
        person("Viktor Sokolow", "1970-01-01"),
        person("Jan Peeters"),
        organisation("Baltic Star Shipping BV"),
        person("Abdulrahman Yusuf al-Masri"),
        person("Abdulrahman Yusuf al-Masri"),  # the same name twice in one batch
    ]
    assert matcher.screen_many(subjects, THRESHOLD) == [
        matcher.screen(subject, THRESHOLD) for subject in subjects
    ]


def _entry(name: str) -> ListEntry:
    return ListEntry(
        "e1", EntryKind.PERSON, (EntryName(name, NameQuality.STRONG, NameOrigin.PRIMARY),)
    )


@settings(max_examples=150, deadline=None)
@given(
    query=st.text(max_size=40),
    listed=st.text(min_size=1, max_size=40),
    kind=st.sampled_from(list(EntryKind)),
)
def test_scores_stay_in_unit_interval_for_any_unicode(
    query: str, listed: str, kind: EntryKind
) -> None:
    matcher = AlignMatcher([IndexedList("eu", 1, [_entry(listed)])])
    for match in matcher.screen(ScreeningSubject("s", EntryKind.PERSON, query or "x"), 0.0):
        assert 0.0 <= match.score <= 1.0
    score, _ = compare_names(query, listed, str(kind))
    assert 0.0 <= score <= 1.0


@pytest.mark.slow
@pytest.mark.realdata
def test_index_finds_what_brute_force_finds_on_the_real_un_list() -> None:
    entries = get_source("un").parse(realdata("un/UN_consolidated_2026-02-27.xml")).entries
    matcher = AlignMatcher([IndexedList("un", 1, entries)])
    missed = 0
    queries = [e.display_name for e in entries[::25]]
    for name in queries:
        subject = person(name)
        brute = {m.entry_id for m in matcher.brute_force(subject, THRESHOLD)}
        indexed = {m.entry_id for m in matcher.screen(subject, THRESHOLD)}
        missed += len(brute - indexed)
    assert missed == 0
