from __future__ import annotations

import pickle
from datetime import date

import pytest

from kyc.model import (
    EntryKind,
    EntryName,
    Identifier,
    ListEntry,
    NameOrigin,
    NameQuality,
    PartialDate,
    ScreeningSubject,
)


@pytest.mark.parametrize("text", ["1971", "1971-04", "1971-04-28"])
def test_partial_dates_round_trip(text: str) -> None:
    assert str(PartialDate.parse(text)) == text


@pytest.mark.parametrize("text", ["71", "1971-13", "1971-02-30", "1971/04/28", ""])
def test_impossible_partial_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_year_ranges_and_circa() -> None:
    span = PartialDate(1970, year_to=1974, circa=True)
    assert str(span) == "~1970..1974"
    assert list(span.years()) == [1970, 1971, 1972, 1973, 1974]


def test_list_entry_survives_its_json_form() -> None:
    entry = ListEntry(
        entry_id="QDi.001",
        kind=EntryKind.PERSON,
        names=(
            EntryName("Ali Salem", NameQuality.WEAK, NameOrigin.ALIAS, language="EN"),
            EntryName("Ali Salem Primary", first="Ali", last="Salem"),
        ),
        source_uid="123",
        birth_dates=(PartialDate(1965, 4, 14), PartialDate(1964, year_to=1966)),
        nationalities=("PK",),
        identifiers=(Identifier("passport", "488555", "PK"),),
        programmes=("TERR",),
        listed_on=date(2001, 10, 6),
        un_reference="QDi.001",
    )
    assert ListEntry.from_dict(entry.to_dict()) == entry
    assert entry.display_name == "Ali Salem Primary"


def test_unnamed_entry_has_a_readable_display_name() -> None:
    entry = ListEntry(entry_id="999999", kind=EntryKind.PERSON, names=())
    assert "999999" in entry.display_name


def test_subjects_survive_pickling_for_worker_processes() -> None:
    subject = ScreeningSubject(
        "c1",
        EntryKind.PERSON,
        "Jan Peeters",
        birth_date=PartialDate(1970, 4, None, 1972, circa=True),
        extra_names=("J. Peeters",),
        gender="male",
    )
    copy = pickle.loads(pickle.dumps(subject))
    assert copy == subject
    assert type(copy.birth_date) is PartialDate
