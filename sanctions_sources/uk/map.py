"""Map UK Sanctions List designations to the common model.

Individuals and entities are kept; ships are left out, and so is a designation without a
``UniqueID`` (it could never be told apart from another): both are reported.
"""

from __future__ import annotations

import re
from collections import Counter
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
from sanctions_sources.dates import parse_timestamp
from sanctions_sources.uk.parse import UkDesignation, UkList, UkName

SOURCE = "uk"
KINDS = {"individual": EntryKind.PERSON, "entity": EntryKind.ORGANIZATION}
# dd/mm/yyyy, where unknown parts are written as letters: dd/mm/1968, dd/09/1958.
_DOB = re.compile(r"^(\d{2}|dd)/(\d{2}|mm)/(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")


def to_common(listing: UkList) -> ParsedList:
    entries: list[ListEntry] = []
    dates: list[RawDate] = []
    others: Counter[str] = Counter()
    for designation in listing.designations:
        if not designation.unique_id:
            first = next((n for n in designation.names), None)
            label = " ".join(p for p in first.parts if p) if first else "?"
            others[f"designation without UniqueID ({label!r})"] += 1
            continue
        if designation.kind not in KINDS:
            others[f"{designation.kind or 'untyped'} designation"] += 1
            continue
        entries.append(_entry(designation))
        dates.extend(_raw_dates(designation))
    left_out = tuple(f"{count} × {what}" for what, count in sorted(others.items()))
    return ParsedList(
        SOURCE,
        parse_timestamp(_iso(listing.date_generated)),
        tuple(entries),
        tuple(dates),
        left_out,
    )


def _iso(text: str) -> str:
    """``dateGenerated`` is ISO; the older ``DateGenerated`` element is dd/mm/yyyy."""
    if match := re.match(r"^(\d{2})/(\d{2})/(\d{4})$", text):
        day, month, year = match.groups()
        return f"{year}-{month}-{day}"
    return text


def _entry(designation: UkDesignation) -> ListEntry:
    kind = KINDS[designation.kind]
    births = tuple(dict.fromkeys(d for text in designation.dobs if (d := parse_dob(text))))
    return ListEntry(
        entry_id=designation.unique_id,
        kind=kind,
        names=(
            *(_name(n, kind) for n in designation.names if any(n.parts)),
            *(EntryName(n, origin=NameOrigin.ORIGINAL_SCRIPT) for n in designation.non_latin_names),
        ),
        source_uid=designation.ofsi_group_id or None,
        birth_dates=births,
        nationalities=tuple(dict.fromkeys(designation.nationalities)),
        countries=tuple(dict.fromkeys(designation.address_countries)),
        identifiers=(
            *(Identifier("passport", p.strip()) for p in designation.passports),
            *(Identifier("national id", n.strip()) for n in designation.national_ids),
        ),
        programmes=(designation.regime,) if designation.regime else (),
        listed_on=_date(designation.date_designated),
        un_reference=designation.un_reference or None,
    )


def _name(name: UkName, kind: EntryKind) -> EntryName:
    given = " ".join(p.strip() for p in name.parts[:5] if p.strip())
    family = name.parts[5].strip()
    full = " ".join(p for p in (given, family) if p)
    primary = name.name_type.startswith("primary")
    weak = "low quality" in name.alias_strength
    return EntryName(
        full=full,
        quality=NameQuality.WEAK if weak else NameQuality.STRONG,
        origin=NameOrigin.PRIMARY if primary else NameOrigin.ALIAS,
        first=(given or None) if kind is EntryKind.PERSON else None,
        last=(family or None) if kind is EntryKind.PERSON else None,
    )


def parse_dob(text: str) -> PartialDate | None:
    text = text.strip()
    if match := _YEAR.match(text):
        return PartialDate(int(match.group(1)))
    match = _DOB.match(text)
    if not match:
        return None
    day, month, year = match.groups()
    try:
        return PartialDate(
            int(year),
            int(month) if month.isdigit() else None,
            int(day) if day.isdigit() and month.isdigit() else None,
        )
    except ValueError:
        return None


def _date(text: str) -> date | None:
    parsed = parse_dob(text)
    if parsed is None or parsed.month is None or parsed.day is None:
        return None
    return date(parsed.year, parsed.month, parsed.day)


def _raw_dates(designation: UkDesignation) -> list[RawDate]:
    entry = designation.unique_id
    dates = [RawDate(entry, "DOB", d, "other", parse_dob(d) is not None) for d in designation.dobs]
    if designation.date_designated:
        designated = _date(designation.date_designated) is not None
        dates.append(
            RawDate(entry, "DateDesignated", designation.date_designated, "other", designated)
        )
    return dates
