from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kyc.model import EntryKind, NameQuality, PartialDate
from sanctions_sources.base import ListFormatError
from sanctions_sources.registry import get_source
from tests.conftest import SAMPLES, realdata

EU = get_source("eu")
NS = "{http://eu.europa.ec/fpi/fsd/export}"
SYNTHETIC_IN_EXCERPT = "999999"  # marked by a comment in the excerpt, recognised here


@pytest.mark.realdata
def test_real_excerpt_entities_aliases_dates_citizenships_identifiers() -> None:
    path = realdata("eu/eu_fsf_excerpt_2026-08-05.xml")
    parsed = EU.parse(path)
    root = ET.parse(path).getroot()
    real = [e for e in parsed.entries if e.entry_id != SYNTHETIC_IN_EXCERPT]
    assert sorted(e.entry_id for e in real) == ["13", "191", "330", "980"]
    xml_aliases = len(root.findall(f".//{NS}nameAlias"))
    assert sum(len(e.names) for e in real) == xml_aliases == 23
    assert sum(len(e.birth_dates) for e in real) == len(root.findall(f".//{NS}birthdate")) == 3
    assert [c for e in real for c in e.nationalities] == ["IQ"]
    assert [i.number for e in real for i in e.identifiers] == ["488555"]
    cyrillic = [n.full for e in real for n in e.names if n.language == "BG"]
    assert cyrillic == ["Организация за подпомагане на Ulema, Пакистан"]
    assert parsed.published_at == datetime(2026, 8, 5, 14, 47, 4, 449000, tzinfo=UTC)
    saddam = next(e for e in real if e.entry_id == "13")
    assert saddam.kind is EntryKind.PERSON
    assert saddam.birth_dates == (PartialDate(1937, 4, 28),)
    assert saddam.names[0].first == "Saddam"
    assert next(e for e in real if e.entry_id == "330").kind is EntryKind.ORGANIZATION


@pytest.mark.realdata
def test_entity_without_a_name_is_kept_but_flagged() -> None:
    parsed = EU.parse(realdata("eu/eu_fsf_excerpt_2026-08-05.xml"))
    assert [e.entry_id for e in parsed.unnamed_entries] == [SYNTHETIC_IN_EXCERPT]


def test_sample_weak_alias_un_reference_and_partial_date() -> None:
    parsed = EU.parse(SAMPLES / "lists" / "eu_sample.xml")
    entries = {e.entry_id: e for e in parsed.entries}
    assert entries["900002"].names[1].quality is NameQuality.WEAK
    assert entries["900002"].birth_dates == (PartialDate(1975),)
    assert entries["900005"].un_reference == "QDi.901"
    assert entries["900003"].countries == ("RU",)
    assert entries["900001"].programmes == ("RUS",)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("", "malformed XML"),
        ("<export xmlns='http://wrong/ns' generationDate='2026-01-01T00:00:00Z'/>", "root element"),
        ("<export xmlns='http://eu.europa.ec/fpi/fsd/export'/>", "no generationDate"),
        ("<!DOCTYPE export><export/>", "forbidden XML construct"),
    ],
)
def test_bad_files_are_refused_with_a_reason(tmp_path: Path, body: str, reason: str) -> None:
    path = tmp_path / "eu_bad.xml"
    path.write_text(body)
    with pytest.raises(ListFormatError, match=reason):
        EU.parse(path)


@pytest.mark.realdata
def test_own_sample_validates_against_the_official_schema() -> None:
    etree = pytest.importorskip("lxml.etree")
    schema = etree.XMLSchema(etree.parse(str(realdata("eu/eu_fsf_schema_1_1.xsd"))))
    assert schema.validate(etree.parse(str(SAMPLES / "lists" / "eu_sample.xml"))), schema.error_log
