from __future__ import annotations

import csv
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from kyc.model import EntryKind, NameQuality, PartialDate
from sanctions_sources.base import ListFormatError
from sanctions_sources.ofac.map import parse_dob
from sanctions_sources.registry import get_source
from tests.conftest import SAMPLES, realdata

OFAC = get_source("ofac")


def _parse(path: Path, tmp_path: Path):
    bundle = tmp_path / "ofac.zip"
    bundle.write_bytes(OFAC.read_bytes(path))
    return OFAC.parse(bundle)


@pytest.mark.realdata
def test_real_sdn_set_reaches_the_model(tmp_path: Path) -> None:
    folder = realdata("ofac")
    parsed = _parse(folder, tmp_path)
    with (folder / "sdn.csv").open(newline="", encoding="cp1252") as handle:
        types = Counter(row[2].strip() for row in csv.reader(handle) if len(row) == 12)
    with (folder / "alt.csv").open(newline="", encoding="cp1252") as handle:
        alt_rows = sum(1 for row in csv.reader(handle) if len(row) == 5)
    kinds = Counter(e.kind for e in parsed.entries)
    assert kinds[EntryKind.PERSON] == types["individual"] == 4620
    assert kinds[EntryKind.ORGANIZATION] == types["-0-"] == 3673
    assert parsed.left_out == ("277 aircraft records", "406 vessel records")
    persons_and_entities = {e.entry_id for e in parsed.entries}
    with (folder / "alt.csv").open(newline="", encoding="cp1252") as handle:
        kept_alts = sum(
            1 for row in csv.reader(handle) if len(row) == 5 and row[0] in persons_and_entities
        )
    strong_aliases = sum(
        1 for e in parsed.entries for n in e.names[1:] if n.quality is NameQuality.STRONG
    )
    assert strong_aliases == kept_alts <= alt_rows
    assert all(d.readable for d in parsed.raw_dates)
    assert parsed.published_at is None  # the legacy CSV set carries no date


@pytest.mark.realdata
def test_real_records_keep_remarks_data(tmp_path: Path) -> None:
    entries = {e.entry_id: e for e in _parse(realdata("ofac"), tmp_path).entries}
    herrera = entries["4106"]
    assert herrera.names[0].full == "Helmer HERRERA BUITRAGO"
    assert [n.full for n in herrera.names if n.quality is NameQuality.WEAK] == ["PACHO", "H7"]
    assert herrera.birth_dates == (PartialDate(1951, 8, 24), PartialDate(1951, 7, 5))
    assert ("passport", "J287011", "Colombia") in {
        (i.kind, i.number, i.country) for i in herrera.identifiers
    }
    assert entries["2686"].programmes == ("SDGT", "SYRIA")


def test_sample_set_with_extended_remarks(tmp_path: Path) -> None:
    parsed = _parse(SAMPLES / "lists" / "ofac", tmp_path)
    entries = {e.entry_id: e for e in parsed.entries}
    assert set(entries) == {"9000001", "9000002", "9000003", "9000004"}
    assert parsed.left_out == ("1 vessel records",)
    masri = entries["9000003"]
    assert masri.birth_dates == (
        PartialDate(1969, circa=True),
        PartialDate(1968, year_to=1970, circa=True),
    )
    assert masri.nationalities == ("Egypt",)
    assert [n.full for n in entries["9000001"].names] == [
        "Viktor Ivanovich SOKOLOV",
        "Viktor SOKOLOV",
        "VIKTOR THE SAILOR",
    ]


def test_the_bundle_is_canonical(tmp_path: Path) -> None:
    folder = SAMPLES / "lists" / "ofac"
    zipped = tmp_path / "ofac_2026.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for path in sorted(folder.glob("*.csv"), reverse=True):
            archive.write(path, f"nested/{path.name}")
    assert OFAC.read_bytes(zipped) == OFAC.read_bytes(folder)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 Dec 1948", PartialDate(1948, 12, 10)),
        ("Dec 1948", PartialDate(1948, 12)),
        ("1948", PartialDate(1948)),
        ("circa 1948", PartialDate(1948, circa=True)),
        ("1961 to 1963", PartialDate(1961, year_to=1963, circa=True)),
        ("01 Jan 1961 to 31 Dec 1963", PartialDate(1961, year_to=1963, circa=True)),
        ("circa 1979-1982", PartialDate(1979, year_to=1982, circa=True)),
        ("31 Feb 1960", None),
        ("sometime", None),
    ],
)
def test_remark_dates(text: str, expected: PartialDate | None) -> None:
    assert parse_dob(text) == expected


def test_broken_sets_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "ofac"
    folder.mkdir()
    (folder / "sdn.csv").write_text('1,"X",-0-,"P"\n')
    with pytest.raises(ListFormatError, match="missing files: alt.csv, add.csv"):
        _parse(folder, tmp_path)
    for name in ("alt.csv", "add.csv"):
        (folder / name).write_text("")
    with pytest.raises(ListFormatError, match="sdn.csv line 1: 4 columns instead of 12"):
        _parse(folder, tmp_path)
