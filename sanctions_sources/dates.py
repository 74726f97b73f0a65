"""Date spellings found in published lists."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from kyc.model import PartialDate

# UN files write dates with a time-zone suffix, e.g. 2015-04-07-04:00.
_DATE_WITH_ZONE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ].*|[+-]\d{2}:\d{2}|Z)?$")


def parse_timestamp(value: str) -> datetime:
    """An ISO 8601 timestamp (``Z`` or offset allowed), as an aware UTC datetime."""
    moment = datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse_date(value: str | None) -> date | None:
    """A calendar date, ignoring any time or zone suffix; None when blank or impossible."""
    if not value:
        return None
    match = _DATE_WITH_ZONE.match(value.strip())
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def partial_date(
    year: str | None,
    month: str | None = None,
    day: str | None = None,
    *,
    year_to: str | None = None,
    circa: bool = False,
) -> PartialDate | None:
    """Build a partial date from parts, keeping what is valid (the year at least)."""
    if not year or not year.strip().isdigit() or int(year) == 0:
        return None
    to_year = int(year_to) if year_to and year_to.strip().isdigit() else None
    month_n = int(month) if month and month.strip().isdigit() and int(month) else None
    day_n = int(day) if day and day.strip().isdigit() and int(day) else None
    try:
        return PartialDate(int(year), month_n, day_n if month_n else None, to_year, circa)
    except ValueError:
        return PartialDate(int(year), year_to=to_year, circa=circa)


def partial_from_iso(value: str | None, *, circa: bool = False) -> PartialDate | None:
    parsed = parse_date(value)
    if parsed is None:
        return None
    return PartialDate(parsed.year, parsed.month, parsed.day, circa=circa)
