"""Functions held in enterprises (who directs, manages, liquidates): the source for mandates.

KBO publishes them only in its licensed reuse feed (XML, ``Enterprise/Functions/Function``:
a code, a validity period, an end reason, held by a person with names or by an
enterprise), not in Open Data; providers without that feed keep them in a CSV file of
their own::

    enterprise_number,function_code,first_name,last_name,holder_enterprise_number,begin,end

A person holder has names, an enterprise holder its number; dates are ``YYYY-MM-DD``,
``end`` empty while the function runs. Optional columns after these add what KBO's feed
does not carry: ``birth_date`` (a person holder's) and ``representative_first_name``,
``representative_last_name`` (the permanent representative through whom an enterprise
holder acts, WVV/CSA art. 2:55). A file is imported whole or not at all: every
malformed row is reported with its line and reason. The functions of each enterprise in
the file replace those from the same source.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from defusedxml.ElementTree import iterparse
from sqlalchemy import delete
from sqlalchemy.orm import Session

from kyc.identifiers import InvalidIdentifier, normalize_enterprise_number
from kyc.store.models import KboFunction

CSV_HEADER = (
    "enterprise_number",
    "function_code",
    "first_name",
    "last_name",
    "holder_enterprise_number",
    "begin",
    "end",
)
OPTIONAL_COLUMNS = ("birth_date", "representative_first_name", "representative_last_name")
_REPORTED = 20


class FunctionsImportError(ValueError):
    """The file cannot be imported; nothing was changed."""


@dataclass(frozen=True)
class FunctionRecord:
    enterprise_number: str
    function_code: str
    begin: date
    end: date | None = None
    end_reason: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    holder_enterprise_number: str | None = None
    birth_date: date | None = None
    representative_first_name: str | None = None
    representative_last_name: str | None = None

    def runs_on(self, day: date) -> bool:
        return self.begin <= day and (self.end is None or day <= self.end)


@dataclass
class FunctionsImport:
    source: str
    functions: int
    enterprise_numbers: list[str]
    reverified: list[str] = field(default_factory=list)  # customers checked again
    mandates_moved: list[str] = field(default_factory=list)  # representatives' verdicts moved

    @property
    def enterprises(self) -> int:
        return len(self.enterprise_numbers)

    def lines(self) -> list[str]:
        return [
            f"{self.functions} functions of {self.enterprises} enterprises imported; "
            f"customers checked again: {len(self.reverified)}; mandates whose verdict moved: "
            f"{len(self.mandates_moved)}",
            *(f"  {line}" for line in self.reverified),
            *(f"  {line}" for line in self.mandates_moved),
        ]


def import_functions(session: Session, path: Path) -> FunctionsImport:
    """Read a CSV or reuse-XML file whole, then replace the functions of its enterprises."""
    source = "reuse-xml" if path.suffix.lower() == ".xml" else "csv"
    records = list(read_reuse_xml(path) if source == "reuse-xml" else read_csv(path))
    enterprises = sorted({record.enterprise_number for record in records})
    for start in range(0, len(enterprises), 500):
        session.execute(
            delete(KboFunction).where(
                KboFunction.enterprise_number.in_(enterprises[start : start + 500]),
                KboFunction.source == source,
            )
        )
    session.add_all(KboFunction(**vars(record), source=source) for record in records)
    session.flush()
    return FunctionsImport(source, len(records), enterprises)


# --- the provider's CSV ------------------------------------------------------------------


def read_csv(path: Path) -> list[FunctionRecord]:
    records, problems = [], []
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = _csv_header(path, next(reader, []))
            for row in reader:
                if not row:
                    continue
                try:
                    records.append(_csv_record(header, row))
                except ValueError as error:
                    problems.append(f"line {reader.line_num}: {error}")
    except (UnicodeDecodeError, csv.Error) as error:
        raise FunctionsImportError(f"{path}: not a readable UTF-8 CSV file ({error})") from error
    if problems:
        shown = "; ".join(problems[:_REPORTED])
        raise FunctionsImportError(
            f"{path}: {len(problems)} malformed rows, nothing imported: {shown}"
        )
    return records


def _csv_header(path: Path, found: list[str]) -> tuple[str, ...]:
    header = tuple(column.strip() for column in found)
    extra = header[len(CSV_HEADER) :]
    if (
        header[: len(CSV_HEADER)] != CSV_HEADER
        or not set(extra) <= set(OPTIONAL_COLUMNS)
        or len(set(extra)) != len(extra)
    ):
        raise FunctionsImportError(
            f"{path}: the header must be {','.join(CSV_HEADER)}, optionally followed by "
            f"any of {','.join(OPTIONAL_COLUMNS)}"
        )
    return header


def _csv_record(header: tuple[str, ...], row: list[str]) -> FunctionRecord:
    if len(row) != len(header):
        raise ValueError(f"{len(row)} values instead of {len(header)}")
    value = dict(zip(header, (text.strip() for text in row), strict=True))
    holder = value["holder_enterprise_number"]
    birth = value.get("birth_date")
    record = FunctionRecord(
        enterprise_number=_enterprise(value["enterprise_number"], "enterprise_number"),
        function_code=_code(value["function_code"]),
        begin=_iso_date(value["begin"], "begin"),
        end=_iso_date(value["end"], "end") if value["end"] else None,
        first_name=value["first_name"] or None,
        last_name=value["last_name"] or None,
        holder_enterprise_number=(
            _enterprise(holder, "holder_enterprise_number") if holder else None
        ),
        birth_date=_iso_date(birth, "birth_date") if birth else None,
        representative_first_name=value.get("representative_first_name") or None,
        representative_last_name=value.get("representative_last_name") or None,
    )
    return _checked(record)


def _iso_date(text: str, column: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"{column} {text!r} is not a date YYYY-MM-DD") from error


# --- the KBO reuse XML -----------------------------------------------------------------


def read_reuse_xml(path: Path) -> Iterator[FunctionRecord]:
    """The functions of every enterprise in a reuse file, streamed (a full file is tens of
    gigabytes): each ``Enterprise`` element is read, then dropped."""
    try:
        for _event, element in iterparse(str(path), events=("end",)):
            if _local(element.tag) != "Enterprise":
                continue
            number = _child_text(element, "Nbr")
            for function in _descendants(element, "Function"):
                try:
                    yield _xml_record(number, function)
                except ValueError as error:
                    raise FunctionsImportError(
                        f"{path}: a function of enterprise {number or '?'}: {error}"
                    ) from error
            element.clear()
    except FunctionsImportError:
        raise
    except Exception as error:  # ParseError, a forbidden entity…: the file is refused
        raise FunctionsImportError(f"{path}: not a readable reuse XML file ({error})") from error


def _xml_record(number: str | None, function: Any) -> FunctionRecord:
    validity = _child(function, "Validity")
    person = _child(function, "HeldByPerson")
    holder = _child(function, "HeldByEnterprise")
    begin = _child_text(validity, "Begin") if validity is not None else None
    end = _child_text(validity, "End") if validity is not None else None
    record = FunctionRecord(
        enterprise_number=_enterprise(number or "", "Nbr"),
        function_code=_code(_child_text(function, "Code") or ""),
        begin=_xml_date(begin, "Begin"),
        end=_xml_date(end, "End") if end else None,
        end_reason=_child_text(function, "EndReason"),
        first_name=_child_text(person, "FirstName") if person is not None else None,
        last_name=_child_text(person, "Name") if person is not None else None,
        holder_enterprise_number=(
            _enterprise(_child_text(holder, "ExecutingEnterprise") or "", "ExecutingEnterprise")
            if holder is not None
            else None
        ),
    )
    return _checked(record)


# The manual writes its own dates as dd.mm.yyyy ("'01.01.0001'" for a date not known) but
# names no format; ISO and KBO Open Data's dd-mm-yyyy are accepted too.
_XML_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d-%m-%Y")


def _xml_date(text: str | None, field: str) -> date:
    if not text:
        raise ValueError(f"{field} is missing")
    for pattern in _XML_DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{field} {text!r} is not a date")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: Any, name: str) -> Any:
    return next((c for c in element if _local(c.tag) == name), None)


def _child_text(element: Any, name: str) -> str | None:
    child = _child(element, name)
    text = child.text.strip() if child is not None and child.text else ""
    return text or None


def _descendants(element: Any, name: str) -> Iterator[Any]:
    return (e for e in element.iter() if _local(e.tag) == name and e is not element)


# --- checks shared by both ---------------------------------------------------------------


def _enterprise(text: str, column: str) -> str:
    try:
        return normalize_enterprise_number(text)
    except InvalidIdentifier as error:
        raise ValueError(f"{column}: {error}") from error


def _code(text: str) -> str:
    if not (text.isdigit() and 1 <= len(text) <= 5):
        raise ValueError(f"function_code {text!r} is not a KBO function code (digits)")
    return text


def _checked(record: FunctionRecord) -> FunctionRecord:
    person = record.first_name or record.last_name
    if person and record.holder_enterprise_number:
        raise ValueError("a function is held by a person (names) or an enterprise, not both")
    if not person and not record.holder_enterprise_number:
        raise ValueError("the holder is missing: a person's names or an enterprise's number")
    if person and not record.last_name:
        raise ValueError("a person holding a function needs a last name")
    if record.birth_date is not None and not person:
        raise ValueError("a birth date belongs to a person holder, not an enterprise")
    representative = record.representative_first_name or record.representative_last_name
    if representative and not record.holder_enterprise_number:
        raise ValueError("a permanent representative belongs to an enterprise holder")
    if representative and not record.representative_last_name:
        raise ValueError("a permanent representative needs a last name")
    if record.end is not None and record.end < record.begin:
        raise ValueError(f"end {record.end} is before begin {record.begin}")
    return record
