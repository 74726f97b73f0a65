"""Map the national list's rows to the common model."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from kyc.model import EntryKind, EntryName, ListEntry, NameOrigin, ParsedList, PartialDate, RawDate
from sanctions_sources.be.columns import PERSON_TYPES
from sanctions_sources.be.parse import BeRow

SOURCE = "be"
_SHORT_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$")


def to_common(rows: list[BeRow], today: date | None = None) -> ParsedList:
    today = today or datetime.now(UTC).date()
    entries = tuple(_entry(row, today) for row in rows)
    published = [
        d
        for row in rows
        for text in row.values.get("publication_date", ())
        if (d := parse_day(text, today))
    ]
    dates = tuple(
        RawDate(row.first("number"), key, text, "other", parse_day(text, today) is not None)
        for row in rows
        for key in ("birth_date", "publication_date")
        for text in row.values.get(key, ())
    )
    moment = datetime.combine(max(published), datetime.min.time(), UTC) if published else None
    return ParsedList(SOURCE, moment, entries, dates)


def parse_day(text: str, today: date) -> date | None:
    """``dd-mm-yy`` (a two-digit year is the most recent one not in the future) or
    ``dd-mm-yyyy``."""
    match = _SHORT_DATE.match(text.strip())
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    if year < 100:
        year += 2000 if 2000 + year <= today.year else 1900
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _entry(row: BeRow, today: date) -> ListEntry:
    kind_word = (row.first("type").split() or [""])[0].lower()
    kind = EntryKind.PERSON if kind_word in PERSON_TYPES else EntryKind.ORGANIZATION
    first, last = row.first("first_name"), row.first("last_name")
    structured = " ".join(p for p in (first, last) if p)
    wholes = row.values.get("whole_name", ())
    names = [EntryName(structured, first=first or None, last=last or None)] if structured else []
    names += [
        EntryName(w, origin=NameOrigin.ALIAS if names or i else NameOrigin.PRIMARY)
        for i, w in enumerate(wholes)
        if w != structured
    ]
    births = tuple(
        PartialDate(d.year, d.month, d.day)
        for text in row.values.get("birth_date", ())
        if (d := parse_day(text, today))
    )
    return ListEntry(
        entry_id=row.first("number"),
        kind=kind,
        names=tuple(names),
        birth_dates=births,
        countries=row.values.get("birth_country", ()),
        programmes=tuple(
            dict.fromkeys((*row.values.get("embargos", ()), *row.values.get("regulation", ())))
        ),
        listed_on=parse_day(row.first("publication_date"), today),
    )
