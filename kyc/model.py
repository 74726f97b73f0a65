"""The common model every sanctions source maps into, and the subjects we screen.

Plain frozen dataclasses: sources build them, the store serialises them, the
matcher reads them. ``to_dict``/``from_dict`` give the JSON form kept in the store.
"""

from __future__ import annotations

import operator
import re
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

_Class = TypeVar("_Class", bound=type)


def pickled_by_fields(cls: _Class) -> _Class:
    """Pickle a slotted dataclass as a call with its field values: several times faster
    than the default (a state dict set field by field), which counts when screening
    sends hundreds of thousands of subjects to worker processes."""
    values = operator.attrgetter(*(f.name for f in fields(cls)))

    def reduce(self: object) -> tuple[type, tuple[Any, ...]]:
        return type(self), values(self)

    cls.__reduce__ = reduce  # type: ignore[assignment]
    return cls


# A person's free-text reason (a decision, an offboarding) is stored and shown: bounded,
# and never holding a national number (kyc.identifiers.holds_national_number).
MAX_REASON = 2000
NATIONAL_NUMBER_IN_REASON = "a reason must not hold a national number: name the document instead"


class EntryKind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"


class NameQuality(StrEnum):
    STRONG = "strong"
    WEAK = "weak"


class NameOrigin(StrEnum):
    PRIMARY = "primary"
    ALIAS = "alias"
    ORIGINAL_SCRIPT = "original_script"


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date of which only some parts may be known: ``1971``, ``1971-04`` or ``1971-04-28``.

    ``year_to`` marks a range of years (UN ``FROM_YEAR``/``TO_YEAR``); ``circa`` an
    approximate date.
    """

    year: int
    month: int | None = None
    day: int | None = None
    year_to: int | None = None
    circa: bool = False

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is out of range")
        if self.day is not None and self.month is not None:
            date(self.year, self.month, self.day)  # raises ValueError when impossible

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
        match = _PARTIAL_DATE.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = match.groups()
        return cls(int(year), int(month) if month else None, int(day) if day else None)

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        if self.year_to is not None:
            text += f"..{self.year_to:04d}"
        return ("~" if self.circa else "") + text

    def years(self) -> range:
        return range(self.year, (self.year_to or self.year) + 1)


@dataclass(frozen=True, slots=True)
class EntryName:
    full: str
    quality: NameQuality = NameQuality.STRONG
    origin: NameOrigin = NameOrigin.PRIMARY
    first: str | None = None
    middle: str | None = None
    last: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Identifier:
    kind: str
    number: str
    country: str | None = None


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One listed person or organisation, in the same shape whatever its source."""

    entry_id: str
    kind: EntryKind
    names: tuple[EntryName, ...]
    source_uid: str | None = None
    birth_dates: tuple[PartialDate, ...] = ()
    nationalities: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    programmes: tuple[str, ...] = ()
    listed_on: date | None = None
    gender: str | None = None
    un_reference: str | None = None

    @property
    def display_name(self) -> str:
        for name in self.names:
            if name.origin is NameOrigin.PRIMARY:
                return name.full
        return self.names[0].full if self.names else f"(no name: {self.entry_id})"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["listed_on"] = self.listed_on.isoformat() if self.listed_on else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ListEntry:
        return cls(
            entry_id=data["entry_id"],
            kind=EntryKind(data["kind"]),
            names=tuple(
                EntryName(
                    **{
                        **n,
                        "quality": NameQuality(n["quality"]),
                        "origin": NameOrigin(n["origin"]),
                    }
                )
                for n in data["names"]
            ),
            source_uid=data.get("source_uid"),
            birth_dates=tuple(PartialDate(**d) for d in data.get("birth_dates", ())),
            nationalities=tuple(data.get("nationalities", ())),
            countries=tuple(data.get("countries", ())),
            identifiers=tuple(Identifier(**i) for i in data.get("identifiers", ())),
            programmes=tuple(data.get("programmes", ())),
            listed_on=date.fromisoformat(data["listed_on"]) if data.get("listed_on") else None,
            gender=data.get("gender"),
            un_reference=data.get("un_reference"),
        )


@dataclass(frozen=True, slots=True)
class RawDate:
    """A date as the publisher wrote it, kept so the quality suite can check it parses.

    ``kind`` is ``date`` (ISO calendar date, possibly with a zone suffix), ``year``, or
    ``other`` for a publisher's own spelling, which its source judged: ``readable``.
    """

    entry_id: str
    field: str
    text: str
    kind: str = "date"
    readable: bool | None = None


@dataclass(frozen=True, slots=True)
class ParsedList:
    """A whole list file in the common model."""

    source: str
    published_at: datetime | None  # None: the format carries no date (OFAC's legacy CSV)
    entries: tuple[ListEntry, ...]
    raw_dates: tuple[RawDate, ...] = ()
    # Records of the file that are not entries, said in words (ships, a record without id).
    left_out: tuple[str, ...] = ()

    @property
    def unnamed_entries(self) -> tuple[ListEntry, ...]:
        return tuple(entry for entry in self.entries if not entry.names)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class ScreeningSubject:
    """Something to screen: a customer company, a representative, or a batch row."""

    subject_id: str
    kind: EntryKind
    name: str
    first_name: str | None = None
    last_name: str | None = None
    birth_date: PartialDate | None = None
    nationality: str | None = None
    country: str | None = None
    extra_names: tuple[str, ...] = field(default=())
    gender: str | None = None
