from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kyc.model import EntryKind, NameOrigin, NameQuality, PartialDate
from sanctions_sources.base import ListFormatError
from sanctions_sources.registry import get_source
from sanctions_sources.uk.map import parse_dob
from tests.conftest import SAMPLES, realdata

UK = get_source("uk")


@pytest.mark.realdata
def test_real_excerpt() -> None:
    path = realdata("uk/uk_sanctions_excerpt_2026-08-14.xml")
    parsed = UK.parse(path)
    root = ET.parse(path).getroot()
    kinds = {
        d.findtext("UniqueID"): d.findtext("IndividualEntityShip") for d in root.iter("Designation")
    }
    entries = {e.entry_id: e for e in parsed.entries}
    assert set(entries) == {k for k, v in kinds.items() if k and v in ("Individual", "Entity")}
    assert parsed.left_out == (
        "1 × designation without UniqueID ('No Unique Id')",
        "1 × ship designation",
    )
    mansur = entries["AFG0011"]
    assert mansur.birth_dates == (PartialDate(1968), PartialDate(1967, 11, 12))  # deduplicated
    assert [i.number for i in mansur.identifiers] == ["D0009720", "D0010442"]
    assert mansur.un_reference == "TAi.007"
    assert any(n.origin is NameOrigin.ORIGINAL_SCRIPT for n in mansur.names)
    akram = entries["AQD0128"]
    assert akram.names[0].origin is NameOrigin.PRIMARY  # "Primary name", lower-case n
    assert [n.full for n in akram.names if n.quality is NameQuality.WEAK] == [
        "Abu Akram",
        "Abu Jarrah",
    ]
    assert akram.identifiers[0].number == "0075258"
    assert PartialDate(1958, 9) in akram.birth_dates
    assert entries["AQD0377"].kind is EntryKind.ORGANIZATION
    assert all(d.readable for d in parsed.raw_dates)


def test_sample() -> None:
    parsed = UK.parse(SAMPLES / "lists" / "uk_sample.xml")
    assert [e.entry_id for e in parsed.entries] == ["RUS9001", "RUS9002"]
    assert parsed.left_out == ("1 × ship designation",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/11/1967", PartialDate(1967, 11, 12)),
        ("dd/mm/1968", PartialDate(1968)),
        ("dd/09/1958", PartialDate(1958, 9)),
        ("1985", PartialDate(1985)),
        ("31/02/1960", None),
        ("11-12-1967", None),
    ],
)
def test_dates_with_unknown_parts(text: str, expected: PartialDate | None) -> None:
    assert parse_dob(text) == expected


def test_wrong_root(tmp_path: Path) -> None:
    path = tmp_path / "uk.xml"
    path.write_text("<export/>")
    with pytest.raises(ListFormatError, match="root element is <export>"):
        UK.parse(path)
