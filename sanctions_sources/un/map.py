"""Map UN consolidated list records to the common model."""

from __future__ import annotations

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
from sanctions_sources.un.parse import (
    INDIVIDUAL,
    UnAlias,
    UnConsolidatedList,
    UnDateOfBirth,
    UnRecord,
)

SOURCE = "un"
# Individuals' aliases are "Good" or "Low" quality; entities' are a.k.a./f.k.a.,
# which name the same organisation and count as strong.
_WEAK_QUALITIES = {"low"}


def to_common(listing: UnConsolidatedList) -> ParsedList:
    return ParsedList(
        source=SOURCE,
        published_at=parse_timestamp(listing.date_generated),
        entries=tuple(_entry(record) for record in listing.records),
        raw_dates=tuple(d for record in listing.records for d in _raw_dates(record)),
    )


def _raw_dates(record: UnRecord) -> list[RawDate]:
    entry = record.reference_number
    dates = [RawDate(entry, "LISTED_ON", record.listed_on)]
    for dob in record.dates_of_birth:
        dates += [RawDate(entry, "DATE_OF_BIRTH/DATE", dob.date)] if dob.date else []
        dates += [
            RawDate(entry, f"DATE_OF_BIRTH/{name}", text, "year")
            for name, text in (
                ("YEAR", dob.year),
                ("FROM_YEAR", dob.from_year),
                ("TO_YEAR", dob.to_year),
            )
            if text
        ]
    return dates


def _entry(record: UnRecord) -> ListEntry:
    return ListEntry(
        entry_id=record.reference_number,
        kind=EntryKind.PERSON if record.element == INDIVIDUAL else EntryKind.ORGANIZATION,
        names=_names(record),
        source_uid=record.data_id or None,
        birth_dates=tuple(d for dob in record.dates_of_birth if (d := _birth_date(dob))),
        nationalities=tuple(dict.fromkeys(record.nationalities)),
        countries=tuple(dict.fromkeys(record.address_countries)),
        identifiers=tuple(
            Identifier(
                kind=doc.type_of_document or "document",
                number=doc.number,
                country=doc.issuing_country or None,
            )
            for doc in record.documents
            if doc.number
        ),
        programmes=(record.list_type,) if record.list_type else (),
        listed_on=parse_date(record.listed_on),
        gender=record.gender.lower() or None,
        un_reference=record.reference_number or None,
    )


def _names(record: UnRecord) -> tuple[EntryName, ...]:
    names: list[EntryName] = []
    parts = [p for p in record.name_parts if p]
    if parts:
        names.append(EntryName(full=" ".join(parts), origin=NameOrigin.PRIMARY))
    if record.original_script:
        names.append(EntryName(full=record.original_script, origin=NameOrigin.ORIGINAL_SCRIPT))
    names.extend(_alias(alias) for alias in record.aliases)
    return tuple(names)


def _alias(alias: UnAlias) -> EntryName:
    weak = alias.quality.strip().lower() in _WEAK_QUALITIES
    return EntryName(
        full=alias.name,
        quality=NameQuality.WEAK if weak else NameQuality.STRONG,
        origin=NameOrigin.ALIAS,
    )


def _birth_date(dob: UnDateOfBirth) -> PartialDate | None:
    circa = dob.type_of_date.upper() == "APPROXIMATELY"
    if dob.date:
        return partial_from_iso(dob.date, circa=circa)
    if dob.year:
        return partial_date(dob.year, circa=circa)
    if dob.from_year:
        return partial_date(dob.from_year, year_to=dob.to_year or None, circa=True)
    return None
