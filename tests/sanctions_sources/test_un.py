from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kyc.model import EntryKind, NameOrigin, NameQuality, PartialDate
from sanctions_sources.base import ListFormatError
from sanctions_sources.registry import get_source
from tests.conftest import SAMPLES, realdata

UN = get_source("un")


def _independent_counts(path: Path) -> Counter[str]:
    """Count straight from the XML, without the parser under test."""
    root = ET.parse(path).getroot()
    counts: Counter[str] = Counter()
    for kind in ("INDIVIDUAL", "ENTITY"):
        records = root.findall(f".//{kind}")
        counts[kind] = len(records)
        counts[f"{kind}_ALIAS"] = sum(
            1
            for record in records
            for alias in record.findall(f"{kind}_ALIAS")
            if (alias.findtext("ALIAS_NAME") or "").strip()
        )
    counts["ORIGINAL_SCRIPT"] = sum(
        1 for e in root.iter("NAME_ORIGINAL_SCRIPT") if (e.text or "").strip()
    )
    counts["NATIONALITY"] = sum(
        len({(v.text or "").strip() for v in record.findall("NATIONALITY/VALUE")} - {""})
        for kind in ("INDIVIDUAL", "ENTITY")
        for record in root.iter(kind)
    )
    counts["DATE_OF_BIRTH"] = sum(
        len(
            {
                tuple(
                    (dob.findtext(tag) or "").strip()[:10] for tag in ("DATE", "YEAR", "FROM_YEAR")
                )
                for dob in record.findall("INDIVIDUAL_DATE_OF_BIRTH")
            }
            - {("", "", "")}
        )
        for record in root.iter("INDIVIDUAL")
    )
    counts["REFERENCE_NUMBER"] = len({e.text for e in root.iter("REFERENCE_NUMBER")})
    return counts


@pytest.mark.realdata
def test_real_un_list_reaches_the_model_whole() -> None:
    path = realdata("un/UN_consolidated_2026-02-27.xml")
    parsed = UN.parse(path)
    expected = _independent_counts(path)
    kinds = Counter(entry.kind for entry in parsed.entries)
    assert kinds[EntryKind.PERSON] == expected["INDIVIDUAL"] == 730
    assert kinds[EntryKind.ORGANIZATION] == expected["ENTITY"] == 273
    aliases = Counter(
        entry.kind for entry in parsed.entries for n in entry.names if n.origin is NameOrigin.ALIAS
    )
    assert aliases[EntryKind.PERSON] == expected["INDIVIDUAL_ALIAS"] == 2139
    assert aliases[EntryKind.ORGANIZATION] == expected["ENTITY_ALIAS"] == 613
    scripts = sum(
        1 for e in parsed.entries for n in e.names if n.origin is NameOrigin.ORIGINAL_SCRIPT
    )
    assert scripts == expected["ORIGINAL_SCRIPT"]
    assert sum(len(e.nationalities) for e in parsed.entries) == expected["NATIONALITY"]
    assert sum(len(e.birth_dates) for e in parsed.entries) == expected["DATE_OF_BIRTH"]
    assert len({e.entry_id for e in parsed.entries}) == expected["REFERENCE_NUMBER"] == 1003
    assert parsed.published_at == datetime(2026, 2, 27, 0, 0, 9, 554000, tzinfo=UTC)


@pytest.mark.realdata
def test_real_un_birth_dates_keep_their_precision() -> None:
    parsed = UN.parse(realdata("un/UN_consolidated_2026-02-27.xml"))
    badege = next(e for e in parsed.entries if e.entry_id == "CDi.001")
    assert badege.birth_dates == (PartialDate(1971),)
    assert badege.source_uid == "6907993"
    assert badege.listed_on == date(2012, 12, 31)
    assert any(d.year_to for e in parsed.entries for d in e.birth_dates)


def test_sample_maps_every_field() -> None:
    parsed = UN.parse(SAMPLES / "lists" / "un_sample.xml")
    entries = {e.entry_id: e for e in parsed.entries}
    masri = entries["QDi.901"]
    assert masri.names[0].full == "ABDUL RAHMAN YUSUF AL-MASRI"
    assert [n.quality for n in masri.names if n.origin is NameOrigin.ALIAS] == [
        NameQuality.STRONG,
        NameQuality.WEAK,
    ]
    assert masri.birth_dates == (PartialDate(1969, circa=True),)
    # A date with a time-zone suffix, as real UN files write them.
    assert entries["KPi.901"].birth_dates == (PartialDate(1968, 7, 1),)
    assert entries["KPi.901"].identifiers[0].number == "990123456"
    assert entries["CDi.901"].birth_dates == (PartialDate(1970, year_to=1974, circa=True),)
    assert entries["QDe.901"].kind is EntryKind.ORGANIZATION
    assert len(entries["QDe.901"].names) == 3


def test_truncated_file_is_refused_with_its_position(tmp_path: Path) -> None:
    body = (SAMPLES / "lists" / "un_sample.xml").read_bytes()
    truncated = tmp_path / "un_truncated.xml"
    truncated.write_bytes(body[: len(body) // 2])
    with pytest.raises(ListFormatError, match=r"un list .*un_truncated.xml: malformed XML"):
        UN.parse(truncated)


def test_wrong_root_is_refused(tmp_path: Path) -> None:
    wrong = tmp_path / "un.xml"
    wrong.write_text("<html><body>Service unavailable</body></html>")
    with pytest.raises(ListFormatError, match="root element is <html>"):
        UN.parse(wrong)


def test_entity_expansion_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "un_bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><CONSOLIDATED_LIST dateGenerated="2026-01-01">'
        "&lol2;</CONSOLIDATED_LIST>"
    )
    with pytest.raises(ListFormatError, match="forbidden XML construct"):
        UN.parse(bomb)


def test_external_entity_is_refused(tmp_path: Path) -> None:
    xxe = tmp_path / "un_xxe.xml"
    xxe.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        '<CONSOLIDATED_LIST dateGenerated="2026-01-01">&e;</CONSOLIDATED_LIST>'
    )
    with pytest.raises(ListFormatError, match="forbidden XML construct"):
        UN.parse(xxe)


@pytest.mark.realdata
def test_own_sample_validates_against_the_official_schema() -> None:
    etree = pytest.importorskip("lxml.etree")
    schema = etree.XMLSchema(etree.parse(str(realdata("un/sc-sanctions.xsd"))))
    assert schema.validate(etree.parse(str(SAMPLES / "lists" / "un_sample.xml"))), schema.error_log
