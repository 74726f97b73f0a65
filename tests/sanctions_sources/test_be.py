"""The Belgian national list: no real file exists here; the format is as documented."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kyc.model import EntryKind, PartialDate
from sanctions_sources.base import ListFormatError
from sanctions_sources.be.map import parse_day
from sanctions_sources.registry import get_source
from tests.conftest import SAMPLES

BE = get_source("be")


def test_sample_with_line_separated_values() -> None:
    parsed = BE.parse(SAMPLES / "lists" / "be_sample.csv")
    entries = {e.entry_id: e for e in parsed.entries}
    marc = entries["BE-2024-001"]
    assert [n.full for n in marc.names] == ["Marc DE GROOTE", "Marco De Groot"]
    assert marc.birth_dates == (PartialDate(1971, 7, 3), PartialDate(1971, 3, 7))
    assert entries["BE-2025-001"].kind is EntryKind.ORGANIZATION
    assert parsed.published_at is not None and parsed.published_at.date() == date(2025, 6, 2)


def test_comma_separated_and_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "be.csv"
    text = "type,Wholename,Number,Publication date\nPersonne,Andr\u00e9 Dupr\u00e9,X1,01-02-2026\n"
    path.write_bytes(text.encode("cp1252"))
    entry = BE.parse(path).entries[0]
    assert (entry.kind, entry.names[0].full) == (EntryKind.PERSON, "Andr\u00e9 Dupr\u00e9")


def test_missing_columns_are_named(tmp_path: Path) -> None:
    path = tmp_path / "be.csv"
    path.write_text("type;Wholename\nPerson;X\n")
    with pytest.raises(ListFormatError, match="missing columns: Number, Publication date"):
        BE.parse(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03-07-71", date(1971, 7, 3)),
        ("03-07-05", date(2005, 7, 3)),
        ("03-07-1905", date(1905, 7, 3)),
        ("31-02-71", None),
        ("1971-07-03", None),
    ],
)
def test_two_digit_years_are_never_in_the_future(text: str, expected: date | None) -> None:
    assert parse_day(text, date(2026, 11, 25)) == expected
