"""Change sets, checked on the real UN history against a count made straight from the XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kyc.app import lists as list_jobs
from kyc.app.runtime import Runtime
from kyc.lists import diff, load_change_set
from kyc.model import EntryKind, EntryName, ListEntry, PartialDate
from tests.conftest import REALDATA

HISTORY = REALDATA / "un" / "history"


def _text(element: ET.Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _signature(record: ET.Element) -> tuple[object, ...]:
    """What the XML says of one listing, in the terms a change is judged by."""
    tag = record.tag
    names = " ".join(
        t
        for t in (
            _text(record.find(p))
            for p in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
        )
        if t
    )
    aliases = {
        (_text(a.find("ALIAS_NAME")), _text(a.find("QUALITY")).lower() == "low")
        for a in record.findall(f"{tag}_ALIAS")
        if _text(a.find("ALIAS_NAME"))
    }
    script = _text(record.find("NAME_ORIGINAL_SCRIPT"))
    births = set()
    for dob in record.findall(f"{tag}_DATE_OF_BIRTH"):
        approximate = _text(dob.find("TYPE_OF_DATE")).upper() == "APPROXIMATELY"
        date, year = _text(dob.find("DATE"))[:10], _text(dob.find("YEAR"))
        start, end = _text(dob.find("FROM_YEAR")), _text(dob.find("TO_YEAR"))
        if date or year:
            births.add((date or year, approximate))
        elif start:
            births.add((f"{start}..{end}", True))
    return (
        tag,
        frozenset({(names, False)} | ({(script, False)} if script else set()) | aliases),
        frozenset(births),
        frozenset(_text(v) for v in record.findall("NATIONALITY/VALUE") if _text(v)),
        frozenset(
            (
                _text(d.find("TYPE_OF_DOCUMENT")),
                _text(d.find("NUMBER")),
                _text(d.find("ISSUING_COUNTRY")),
            )
            for d in record.findall(f"{tag}_DOCUMENT")
            if _text(d.find("NUMBER"))
        ),
        _text(record.find("UN_LIST_TYPE")),
    )


def _listings(path: Path) -> dict[str, tuple[object, ...]]:
    root = ET.parse(path).getroot()
    return {
        _text(record.find("REFERENCE_NUMBER")): _signature(record)
        for kind in ("INDIVIDUAL", "ENTITY")
        for record in root.iter(kind)
    }


def _independent(old: Path, new: Path) -> tuple[int, int, int]:
    before, after = _listings(old), _listings(new)
    changed = sum(1 for key in before.keys() & after.keys() if before[key] != after[key])
    return len(after.keys() - before.keys()), len(before.keys() - after.keys()), changed


@pytest.mark.realdata
def test_change_sets_of_the_real_un_history_are_exact(runtime: Runtime) -> None:
    if not HISTORY.exists():
        pytest.skip(f"{HISTORY} is absent")
    snapshots = sorted(HISTORY.glob("UN_consolidated_2018-*.xml"))
    assert len(snapshots) == 4
    results = [list_jobs.import_list(runtime, "un", path) for path in snapshots]
    pairs = zip(snapshots, snapshots[1:], strict=False)
    for (old, new), result in zip(pairs, results[1:], strict=True):
        assert result.change_set is not None
        stored = (result.change_set.added, result.change_set.removed, result.change_set.changed)
        assert stored == _independent(old, new), new.name
    with runtime.sessions() as session:
        _, changes = load_change_set(session, results[-1].change_set.id)  # type: ignore[union-attr]
    assert len(changes.removed) == 8 and all(e.startswith("IQe.") for e in changes.removed)
    assert set(changes.changed["LYi.021"]) == {"names", "birth_dates"}


def _entry(entry_id: str, name: str, born: int | None = None, kind=EntryKind.PERSON) -> ListEntry:
    return ListEntry(
        entry_id,
        kind,
        (EntryName(name),),
        birth_dates=(PartialDate(born),) if born else (),
    )


def test_diff_names_the_fields_that_changed() -> None:
    old = [_entry("a", "Ali"), _entry("b", "Bob", 1960), _entry("c", "Cid")]
    new = [_entry("b", "Bob", 1961), _entry("c", "Cid"), _entry("d", "Dan")]
    changes = diff(old, new)
    assert (changes.added, changes.removed, changes.changed) == (
        ["d"],
        ["a"],
        {"b": ["birth_dates"]},
    )
    assert changes.screen_again == {"b", "d"}


def test_reordering_names_is_not_a_change() -> None:
    one = ListEntry("x", EntryKind.PERSON, (EntryName("A"), EntryName("B")))
    two = ListEntry("x", EntryKind.PERSON, (EntryName("B"), EntryName("A")))
    assert diff([one], [two]).changed == {}
