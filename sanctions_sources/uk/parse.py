"""Read the UK Sanctions List XML (``Designations``) into records shaped like the file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from sanctions_sources.base import ListFormatError
from sanctions_sources.xml import iter_records, sniff_root, text, texts

SOURCE = "uk"
ROOT = "Designations"
RECORD = "Designation"
_NAME_PARTS = tuple(f"Name{i}" for i in range(1, 7))


@dataclass(frozen=True, slots=True)
class UkName:
    parts: tuple[str, ...]  # Name1 … Name6 (Name6: family name, or an entity's whole name)
    name_type: str
    alias_strength: str


@dataclass(frozen=True, slots=True)
class UkDesignation:
    unique_id: str
    ofsi_group_id: str
    un_reference: str
    date_designated: str
    kind: str
    regime: str
    names: tuple[UkName, ...]
    non_latin_names: tuple[str, ...]
    dobs: tuple[str, ...]
    nationalities: tuple[str, ...]
    address_countries: tuple[str, ...]
    passports: tuple[str, ...]
    national_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UkList:
    date_generated: str
    designations: tuple[UkDesignation, ...]


def sniff(head: bytes) -> bool:
    return sniff_root(head, (b"Designations",))


def parse_file(path: Path) -> UkList:
    generated = ""
    designations: list[UkDesignation] = []
    for root, element in iter_records(SOURCE, path, ROOT, frozenset({RECORD})):
        generated = root.get("dateGenerated", "") or text(root.find("DateGenerated")) or ""
        designations.append(_designation(element))
    if not generated:
        raise ListFormatError(SOURCE, path, "the list has no dateGenerated")
    return UkList(generated, tuple(designations))


def _designation(element: Element) -> UkDesignation:
    return UkDesignation(
        unique_id=text(element.find("UniqueID")) or "",
        ofsi_group_id=text(element.find("OFSIGroupID")) or "",
        un_reference=text(element.find("UNReferenceNumber")) or "",
        date_designated=text(element.find("DateDesignated")) or "",
        kind=(text(element.find("IndividualEntityShip")) or "").lower(),
        regime=text(element.find("RegimeName")) or "",
        names=tuple(
            UkName(
                parts=tuple(text(name.find(part)) or "" for part in _NAME_PARTS),
                name_type=(text(name.find("NameType")) or "").lower(),
                alias_strength=(text(name.find("AliasStrength")) or "").lower(),
            )
            for name in element.findall("Names/Name")
        ),
        non_latin_names=texts(element, "NonLatinNames/NonLatinName/NameNonLatinScript"),
        dobs=texts(element, "IndividualDetails/Individual/DOBs/DOB"),
        nationalities=texts(element, "IndividualDetails/Individual/Nationalities/Nationality"),
        address_countries=texts(element, "Addresses/Address/AddressCountry"),
        passports=texts(
            element, "IndividualDetails/Individual/PassportDetails/Passport/PassportNumber"
        ),
        national_ids=texts(
            element,
            "IndividualDetails/Individual/NationalIdentifierDetails/NationalIdentifier/"
            "NationalIdentifierNumber",
        ),
    )
