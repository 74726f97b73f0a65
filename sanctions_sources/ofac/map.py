"""Map OFAC SDN records to the common model.

Individuals and entities are kept; vessels and aircraft are left out (an e-invoicing
provider's customers are companies and people). Remarks carry what the CSV set has no
column for: dates of birth, nationalities, document numbers, weak aliases (in quotes).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

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
from sanctions_sources.ofac.parse import OfacSdn, OfacSet

SOURCE = "ofac"
KINDS = {"individual": EntryKind.PERSON, "": EntryKind.ORGANIZATION}
MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_DAY_MONTH_YEAR = re.compile(r"^(?:(\d{1,2}) )?([A-Za-z]{3}) (\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_YEARS = re.compile(r"^(\d{4})-(\d{4})$")
_DOCUMENT = re.compile(
    r"^(Passport|National ID No\.|Cedula No\.|Identification Number)\s+(\S+)(?:\s+\((.+)\))?"
)
_WEAK_ALIAS = re.compile(r"a\.k\.a\. '([^']+)'")


def to_common(records: OfacSet, published_at: datetime | None = None) -> ParsedList:
    entries: list[ListEntry] = []
    dates: list[RawDate] = []
    others: Counter[str] = Counter()
    for record in records.records:
        if record.sdn_type not in KINDS:
            others[record.sdn_type] += 1
            continue
        entry, raw = _entry(record)
        entries.append(entry)
        dates.extend(raw)
    left_out = tuple(f"{count} {kind} records" for kind, count in sorted(others.items()))
    return ParsedList(SOURCE, published_at, tuple(entries), tuple(dates), left_out)


def _remarks(record: OfacSdn) -> list[str]:
    return [part.strip().removeprefix("alt. ").strip(" .") for part in record.remarks.split(";")]


def _entry(record: OfacSdn) -> tuple[ListEntry, list[RawDate]]:
    kind = KINDS[record.sdn_type]
    remarks = _remarks(record)
    births, raw = _birth_dates(record.ent_num, remarks)
    genders = [
        r.split()[1].lower() for r in remarks if r.startswith("Gender ") and len(r.split()) > 1
    ]
    entry = ListEntry(
        entry_id=record.ent_num,
        kind=kind,
        names=(_primary(record, kind), *_aliases(record)),
        source_uid=record.ent_num,
        birth_dates=births,
        nationalities=tuple(
            dict.fromkeys(
                r.split(" ", 1)[1] for r in remarks if r.startswith(("nationality ", "citizen "))
            )
        ),
        countries=tuple(dict.fromkeys(record.address_countries)),
        identifiers=tuple(_identifiers(remarks)),
        programmes=record.programs,
        gender=genders[0] if genders else None,
    )
    return entry, raw


def _primary(record: OfacSdn, kind: EntryKind) -> EntryName:
    if kind is EntryKind.PERSON and ", " in record.name:
        last, first = record.name.split(", ", 1)
        return EntryName(f"{first} {last}", first=first, last=last)
    return EntryName(record.name)


def _aliases(record: OfacSdn) -> list[EntryName]:
    strong = [EntryName(_natural(a.name), origin=NameOrigin.ALIAS) for a in record.aliases]
    weak = [
        EntryName(name, NameQuality.WEAK, NameOrigin.ALIAS)
        for name in _WEAK_ALIAS.findall(record.remarks)
    ]
    return strong + weak


def _natural(name: str) -> str:
    """``LAST, First`` as ``First LAST``; other names unchanged."""
    if name.count(", ") == 1:
        last, first = name.split(", ")
        return f"{first} {last}"
    return name


def _birth_dates(
    entry_id: str, remarks: list[str]
) -> tuple[tuple[PartialDate, ...], list[RawDate]]:
    births: list[PartialDate] = []
    raw: list[RawDate] = []
    for remark in remarks:
        if not remark.startswith("DOB "):
            continue
        text = remark[4:].strip()
        parsed = parse_dob(text)
        raw.append(RawDate(entry_id, "DOB", text, "other", parsed is not None))
        if parsed is not None:
            births.append(parsed)
    return tuple(dict.fromkeys(births)), raw


def parse_dob(text: str) -> PartialDate | None:
    """``10 Dec 1948``, ``Dec 1948``, ``1948``, ``circa 1948``, ``1961 to 1963``,
    ``1979-1982``, ``01 Jan 1961 to 31 Dec 1963``."""
    circa = text.startswith("circa ")
    text = text.removeprefix("circa ").strip()
    if " to " in text:
        start, end = (parse_dob(part) for part in text.split(" to ", 1))
        if start is None or end is None:
            return None
        return PartialDate(start.year, year_to=end.year, circa=True)
    if match := _YEAR.match(text):
        return PartialDate(int(match.group(1)), circa=circa)
    if match := _YEARS.match(text):
        return PartialDate(int(match.group(1)), year_to=int(match.group(2)), circa=True)
    if match := _DAY_MONTH_YEAR.match(text):
        day, month, year = match.groups()
        number = MONTHS.get(month.lower())
        if number is None:
            return None
        try:
            return PartialDate(int(year), number, int(day) if day else None, circa=circa)
        except ValueError:
            return None
    return None


def _identifiers(remarks: list[str]) -> list[Identifier]:
    found = []
    for remark in remarks:
        if match := _DOCUMENT.match(remark):
            kind, number, country = match.groups()
            found.append(Identifier(kind.removesuffix(" No.").lower(), number, country))
    return found
