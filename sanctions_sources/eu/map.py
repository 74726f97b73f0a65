"""Map EU FSF records to the common model."""

from __future__ import annotations

from datetime import date

from kyc.model import (
    EntryKind,
    EntryName,
    Identifier,
    ListEntry,
    NameOrigin,
    NameQuality,
    ParsedList,
    PartialDate,
    RawDate,
)
from sanctions_sources.dates import parse_date, parse_timestamp, partial_date, partial_from_iso
from sanctions_sources.eu.parse import EuBirthdate, EuExport, EuNameAlias, EuSanctionEntity

SOURCE = "eu"
_UNKNOWN_COUNTRY = {"", "00"}


def to_common(export: EuExport) -> ParsedList:
    return ParsedList(
        source=SOURCE,
        published_at=parse_timestamp(export.generation_date),
        entries=tuple(_entry(entity) for entity in export.entities),
        raw_dates=tuple(d for entity in export.entities for d in _raw_dates(entity)),
    )


def _raw_dates(entity: EuSanctionEntity) -> list[RawDate]:
    entry = entity.logical_id
    dates = [RawDate(entry, "designationDate", entity.designation_date)]
    dates += [RawDate(entry, "regulation/publicationDate", d) for d in entity.regulation_dates]
    for birth in entity.birthdates:
        dates += [RawDate(entry, "birthdate/birthdate", birth.birthdate)]
        dates += [RawDate(entry, "birthdate/year", birth.year, "year")]
    return [d for d in dates if d.text]


def _entry(entity: EuSanctionEntity) -> ListEntry:
    names = tuple(name for alias in entity.aliases if (name := _name(alias, entity)))
    genders = {alias.gender for alias in entity.aliases if alias.gender}
    return ListEntry(
        entry_id=entity.logical_id,
        kind=EntryKind.PERSON if entity.subject_type == "person" else EntryKind.ORGANIZATION,
        names=names,
        source_uid=entity.eu_reference or None,
        birth_dates=tuple(d for b in entity.birthdates if (d := _birth_date(b))),
        nationalities=_countries(entity.citizenships),
        countries=_countries(entity.address_countries),
        identifiers=tuple(
            Identifier(kind=i.type_code, number=i.number, country=_country(i.country))
            for i in entity.identifications
            if i.number
        ),
        programmes=tuple(dict.fromkeys(p for p in entity.programmes if p)),
        listed_on=parse_date(entity.designation_date) or _earliest(entity.regulation_dates),
        gender=genders.pop() if len(genders) == 1 else None,
        un_reference=entity.un_reference or None,
    )


def _name(alias: EuNameAlias, entity: EuSanctionEntity) -> EntryName | None:
    parts = [alias.first_name, alias.middle_name, alias.last_name]
    full = alias.whole_name.strip() or " ".join(p.strip() for p in parts if p.strip())
    if not full:
        return None
    first_alias = entity.aliases[0] is alias
    return EntryName(
        full=full,
        quality=NameQuality.STRONG if alias.strong else NameQuality.WEAK,
        origin=NameOrigin.PRIMARY if first_alias else NameOrigin.ALIAS,
        first=alias.first_name.strip() or None,
        middle=alias.middle_name.strip() or None,
        last=alias.last_name.strip() or None,
        language=alias.language.strip() or None,
    )


def _birth_date(birth: EuBirthdate) -> PartialDate | None:
    return partial_from_iso(birth.birthdate, circa=birth.circa) or partial_date(
        birth.year, birth.month, birth.day, circa=birth.circa
    )


def _country(code: str) -> str | None:
    return None if code.strip() in _UNKNOWN_COUNTRY else code.strip().upper()


def _countries(codes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for code in codes if (c := _country(code))))


def _earliest(dates: tuple[str, ...]) -> date | None:
    parsed = [d for text in dates if (d := parse_date(text))]
    return min(parsed) if parsed else None
