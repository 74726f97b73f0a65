"""Read the EU Financial Sanctions Files, XML 1.1, into records shaped like the file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from sanctions_sources.base import ListFormatError
from sanctions_sources.xml import iter_records, sniff_root

SOURCE = "eu"
NS = "{http://eu.europa.ec/fpi/fsd/export}"
ROOT = f"{NS}export"
ENTITY = f"{NS}sanctionEntity"


@dataclass(frozen=True, slots=True)
class EuNameAlias:
    whole_name: str
    first_name: str
    middle_name: str
    last_name: str
    gender: str
    strong: bool
    language: str


@dataclass(frozen=True, slots=True)
class EuBirthdate:
    birthdate: str
    year: str
    month: str
    day: str
    circa: bool


@dataclass(frozen=True, slots=True)
class EuIdentification:
    type_code: str
    number: str
    country: str


@dataclass(frozen=True, slots=True)
class EuSanctionEntity:
    logical_id: str
    eu_reference: str
    un_reference: str
    designation_date: str
    subject_type: str
    programmes: tuple[str, ...]
    regulation_dates: tuple[str, ...]
    aliases: tuple[EuNameAlias, ...]
    birthdates: tuple[EuBirthdate, ...]
    citizenships: tuple[str, ...]
    address_countries: tuple[str, ...]
    identifications: tuple[EuIdentification, ...]


@dataclass(frozen=True, slots=True)
class EuExport:
    generation_date: str
    entities: tuple[EuSanctionEntity, ...]


def sniff(head: bytes) -> bool:
    return sniff_root(head, (b"export",))


def parse_file(path: Path) -> EuExport:
    generation_date = ""
    entities: list[EuSanctionEntity] = []
    for root, element in iter_records(SOURCE, path, ROOT, frozenset({ENTITY})):
        generation_date = root.get("generationDate", "")
        entities.append(_entity(element))
    if not generation_date:
        raise ListFormatError(SOURCE, path, "the export has no generationDate")
    return EuExport(generation_date=generation_date, entities=tuple(entities))


def _children(element: Element, tag: str) -> Iterator[Element]:
    return iter(element.findall(f"{NS}{tag}"))


def _entity(element: Element) -> EuSanctionEntity:
    subject = element.find(f"{NS}subjectType")
    regulations = list(_children(element, "regulation"))
    return EuSanctionEntity(
        logical_id=element.get("logicalId", ""),
        eu_reference=element.get("euReferenceNumber", ""),
        un_reference=element.get("unitedNationId", ""),
        designation_date=element.get("designationDate", ""),
        subject_type=subject.get("code", "") if subject is not None else "",
        programmes=tuple(r.get("programme", "") for r in regulations),
        regulation_dates=tuple(r.get("publicationDate", "") for r in regulations),
        aliases=tuple(_alias(a) for a in _children(element, "nameAlias")),
        birthdates=tuple(_birthdate(b) for b in _children(element, "birthdate")),
        citizenships=tuple(c.get("countryIso2Code", "") for c in _children(element, "citizenship")),
        address_countries=tuple(
            a.get("countryIso2Code", "") for a in _children(element, "address")
        ),
        identifications=tuple(
            EuIdentification(
                type_code=i.get("identificationTypeCode", ""),
                number=i.get("number", ""),
                country=i.get("countryIso2Code", ""),
            )
            for i in _children(element, "identification")
        ),
    )


def _alias(element: Element) -> EuNameAlias:
    return EuNameAlias(
        whole_name=element.get("wholeName", ""),
        first_name=element.get("firstName", ""),
        middle_name=element.get("middleName", ""),
        last_name=element.get("lastName", ""),
        gender=element.get("gender", ""),
        strong=element.get("strong", "true").lower() != "false",
        language=element.get("nameLanguage", ""),
    )


def _birthdate(element: Element) -> EuBirthdate:
    return EuBirthdate(
        birthdate=element.get("birthdate", ""),
        year=element.get("year", ""),
        month=element.get("monthOfYear", ""),
        day=element.get("dayOfMonth", ""),
        circa=element.get("circa", "false").lower() == "true",
    )
