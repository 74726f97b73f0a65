"""Read the UN Security Council consolidated list XML into records shaped like the file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from sanctions_sources.base import ListFormatError
from sanctions_sources.xml import iter_records, sniff_root, text, texts

SOURCE = "un"
ROOT = "CONSOLIDATED_LIST"
INDIVIDUAL = "INDIVIDUAL"
ENTITY = "ENTITY"
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


@dataclass(frozen=True, slots=True)
class UnAlias:
    quality: str
    name: str


@dataclass(frozen=True, slots=True)
class UnDateOfBirth:
    type_of_date: str
    date: str
    year: str
    from_year: str
    to_year: str


@dataclass(frozen=True, slots=True)
class UnDocument:
    type_of_document: str
    number: str
    issuing_country: str


@dataclass(frozen=True, slots=True)
class UnRecord:
    """An ``INDIVIDUAL`` or an ``ENTITY``."""

    element: str
    data_id: str
    reference_number: str
    list_type: str
    listed_on: str
    name_parts: tuple[str, ...]
    original_script: str
    gender: str
    aliases: tuple[UnAlias, ...]
    dates_of_birth: tuple[UnDateOfBirth, ...]
    nationalities: tuple[str, ...]
    address_countries: tuple[str, ...]
    documents: tuple[UnDocument, ...]


@dataclass(frozen=True, slots=True)
class UnConsolidatedList:
    date_generated: str
    records: tuple[UnRecord, ...]


def sniff(head: bytes) -> bool:
    return sniff_root(head, (b"CONSOLIDATED_LIST",))


def parse_file(path: Path) -> UnConsolidatedList:
    date_generated = ""
    records: list[UnRecord] = []
    for root, element in iter_records(SOURCE, path, ROOT, frozenset({INDIVIDUAL, ENTITY})):
        date_generated = root.get("dateGenerated", "")
        records.append(_record(element))
    if not date_generated:
        raise ListFormatError(SOURCE, path, "the list has no dateGenerated")
    return UnConsolidatedList(date_generated=date_generated, records=tuple(records))


def _record(element: Element) -> UnRecord:
    prefix = element.tag  # INDIVIDUAL_ALIAS / ENTITY_ALIAS, and so on
    return UnRecord(
        element=element.tag,
        data_id=text(element.find("DATAID")) or "",
        reference_number=text(element.find("REFERENCE_NUMBER")) or "",
        list_type=text(element.find("UN_LIST_TYPE")) or "",
        listed_on=text(element.find("LISTED_ON")) or "",
        name_parts=tuple(text(element.find(part)) or "" for part in _NAME_PARTS),
        original_script=text(element.find("NAME_ORIGINAL_SCRIPT")) or "",
        gender=text(element.find("GENDER")) or "",
        aliases=tuple(
            UnAlias(quality=text(a.find("QUALITY")) or "", name=name)
            for a in element.findall(f"{prefix}_ALIAS")
            if (name := text(a.find("ALIAS_NAME")))
        ),
        dates_of_birth=tuple(
            UnDateOfBirth(
                type_of_date=text(d.find("TYPE_OF_DATE")) or "",
                date=text(d.find("DATE")) or "",
                year=text(d.find("YEAR")) or "",
                from_year=text(d.find("FROM_YEAR")) or "",
                to_year=text(d.find("TO_YEAR")) or "",
            )
            for d in element.findall(f"{prefix}_DATE_OF_BIRTH")
        ),
        nationalities=texts(element, "NATIONALITY/VALUE"),
        address_countries=texts(element, f"{prefix}_ADDRESS/COUNTRY"),
        documents=tuple(
            UnDocument(
                type_of_document=text(d.find("TYPE_OF_DOCUMENT")) or "",
                number=text(d.find("NUMBER")) or "",
                issuing_country=text(d.find("ISSUING_COUNTRY")) or "",
            )
            for d in element.findall(f"{prefix}_DOCUMENT")
        ),
    )
