"""Customers: a company with its declared legal representatives.

The schema (README, "Customer files"): JSON is a list of customer objects (or
``{"customers": [...]}``), each ``{"customer_ref", "company": {...}, "representatives":
[...]}``; CSV is flat, one row per representative, with the company's columns repeated.
Records are checked structurally (pydantic), then by a Great Expectations suite; a record
that fails is rejected with its reasons and the others are stored.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from kyc import quality
from kyc.identifiers import (
    InvalidIdentifier,
    NationalNumber,
    normalize_enterprise_number,
    parse_national_number,
    parse_peppol_id,
)
from kyc.model import PartialDate

if TYPE_CHECKING:
    pass


class CustomerFileError(ValueError):
    """The file as a whole cannot be read; nothing from it is stored."""


def _clean_text(value: object) -> object:
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value).strip()
        if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in str(value)):
            raise ValueError("contains control or invisible formatting characters")
        return value or None
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        return _clean_text(value)


class AddressIn(_Strict):
    street: str | None = Field(default=None, max_length=200)
    house_number: str | None = Field(default=None, max_length=32)
    box: str | None = Field(default=None, max_length=32)
    postcode: str | None = Field(default=None, max_length=16)
    municipality: str | None = Field(default=None, max_length=100)
    country: str = Field(default="BE", max_length=2)


class ProxyIn(_Strict):
    """A special proxy the representative acts under: who granted it, for which acts
    (``scope``), from when until when. The grantee is the representative."""

    grantor_first_name: str = Field(max_length=200)
    grantor_last_name: str = Field(max_length=200)
    grantor_role: str | None = Field(default=None, max_length=64)
    scope: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        min_length=1, max_length=20
    )
    valid_from: date
    valid_until: date | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> ProxyIn:
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValueError(
                f"valid_until {self.valid_until} is before valid_from {self.valid_from}"
            )
        return self


class RepresentativeIn(_Strict):
    first_name: str | None = Field(default=None, max_length=200)
    last_name: str | None = Field(default=None, max_length=200)
    birth_date: str | None = Field(default=None, max_length=10)
    nationality: str | None = Field(default=None, max_length=2)
    role: str | None = Field(default=None, max_length=64)
    national_number: SecretStr | None = None
    proxy: ProxyIn | None = None


class CompanyIn(_Strict):
    enterprise_number: str | None = Field(default=None, max_length=20)
    name: str | None = Field(default=None, max_length=300)
    address: AddressIn = AddressIn()
    peppol_id: str | None = Field(default=None, max_length=80)


class CustomerIn(_Strict):
    customer_ref: str | None = Field(default=None, max_length=64)
    company: CompanyIn
    representatives: list[RepresentativeIn] = []


@dataclass(frozen=True)
class RawRecord:
    label: str
    data: Any


@dataclass(frozen=True)
class ValidRepresentative:
    first_name: str
    last_name: str
    birth_date: PartialDate | None
    nationality: str | None
    role: str
    national_number: NationalNumber | None
    proxy: ProxyIn | None = None


@dataclass(frozen=True)
class ValidCustomer:
    label: str
    customer_ref: str | None
    enterprise_number: str
    name: str
    address: AddressIn
    peppol_id: str | None
    representatives: tuple[ValidRepresentative, ...]


@dataclass(frozen=True)
class Rejection:
    label: str
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.label}: " + "; ".join(self.reasons)


@dataclass
class ValidationOutcome:
    accepted: list[ValidCustomer] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)


# --- reading files -----------------------------------------------------------------

CSV_COMPANY_COLUMNS = (
    "customer_ref",
    "enterprise_number",
    "company_name",
    "street",
    "house_number",
    "box",
    "postcode",
    "municipality",
    "country",
    "peppol_id",
)
CSV_REPRESENTATIVE_COLUMNS = (
    "rep_first_name",
    "rep_last_name",
    "rep_birth_date",
    "rep_nationality",
    "rep_role",
    "rep_national_number",
)
CSV_REQUIRED_COLUMNS = ("enterprise_number", "company_name")


def read_customer_file(path: Path) -> list[RawRecord]:
    """Read a customer file (``.json`` or ``.csv``) into labelled raw records."""
    if not path.is_file():
        raise CustomerFileError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _read_json(path)
    if suffix == ".csv":
        return _read_csv(path)
    raise CustomerFileError(f"{path}: unknown file type {suffix!r} (use .csv or .json)")


def _read_json(path: Path) -> list[RawRecord]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CustomerFileError(f"{path}: not valid UTF-8 JSON ({error})") from error
    items = document.get("customers") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise CustomerFileError(f"{path}: expected a list of customers or {{'customers': [...]}}")
    return [RawRecord(_json_label(i, item), item) for i, item in enumerate(items, start=1)]


def _json_label(index: int, item: object) -> str:
    ref = item.get("customer_ref") if isinstance(item, dict) else None
    return f"record {index}" + (f" ({ref})" if isinstance(ref, str) and ref else "")


def _read_csv(path: Path) -> list[RawRecord]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or []]
            _check_csv_header(path, header)
            reader.fieldnames = header
            return _group_csv_rows(reader)
    except UnicodeDecodeError as error:
        raise CustomerFileError(f"{path}: not UTF-8 text ({error})") from error
    except csv.Error as error:
        raise CustomerFileError(f"{path}: malformed CSV ({error})") from error


def _check_csv_header(path: Path, header: Sequence[str]) -> None:
    missing = [name for name in CSV_REQUIRED_COLUMNS if name not in header]
    if missing:
        raise CustomerFileError(f"{path}: missing required columns: {', '.join(missing)}")
    unknown = set(header) - set(CSV_COMPANY_COLUMNS) - set(CSV_REPRESENTATIVE_COLUMNS)
    if unknown:
        raise CustomerFileError(f"{path}: unknown columns: {', '.join(sorted(unknown))}")


def _group_csv_rows(reader: csv.DictReader[str]) -> list[RawRecord]:
    groups: dict[str, tuple[list[int], list[dict[str, str]]]] = {}
    for row in reader:
        if None in row:
            raise CustomerFileError(f"line {reader.line_num}: more values than columns")
        key = (row.get("customer_ref") or "").strip() or (row.get("enterprise_number") or "")
        lines, rows = groups.setdefault(key.strip(), ([], []))
        lines.append(reader.line_num)
        rows.append(row)
    return [_csv_record(lines, rows) for lines, rows in groups.values()]


def _csv_record(lines: list[int], rows: list[dict[str, str]]) -> RawRecord:
    first = rows[0]
    company = {
        "enterprise_number": first.get("enterprise_number"),
        "name": first.get("company_name"),
        "peppol_id": first.get("peppol_id"),
        "address": {
            key: first.get(key)
            for key in ("street", "house_number", "box", "postcode", "municipality", "country")
            if first.get(key)
        },
    }
    representatives = [
        {column.removeprefix("rep_"): row.get(column) for column in CSV_REPRESENTATIVE_COLUMNS}
        for row in rows
        if any((row.get(column) or "").strip() for column in CSV_REPRESENTATIVE_COLUMNS)
    ]
    span = f"line {lines[0]}" if len(lines) == 1 else f"lines {lines[0]}-{lines[-1]}"
    ref = (first.get("customer_ref") or "").strip()
    label = span + (f" ({ref})" if ref else "")
    return RawRecord(
        label,
        {
            "customer_ref": first.get("customer_ref"),
            "company": company,
            "representatives": representatives,
        },
    )


# --- validation --------------------------------------------------------------------


def validate_customers(records: Sequence[RawRecord]) -> ValidationOutcome:
    """Structural checks, then the Great Expectations suites; split accepted and rejected."""
    rejected: dict[int, Rejection] = {}
    parsed: dict[int, CustomerIn] = {}
    for position, record in enumerate(records):
        try:
            parsed[position] = CustomerIn.model_validate(record.data)
        except ValidationError as error:
            rejected[position] = Rejection(record.label, _pydantic_reasons(error))
    positions = list(parsed)
    reasons = _suite_reasons([parsed[p] for p in positions])
    outcome = ValidationOutcome()
    for index, position in enumerate(positions):
        label = records[position].label
        if reasons.get(index):
            rejected[position] = Rejection(label, tuple(dict.fromkeys(reasons[index])))
        else:
            outcome.accepted.append(_valid(label, parsed[position]))
    outcome.rejected = [rejected[p] for p in sorted(rejected)]
    return outcome


def _pydantic_reasons(error: ValidationError) -> tuple[str, ...]:
    # Only the location and the message: the input may be a national number.
    return tuple(
        f"{'.'.join(str(part) for part in item['loc']) or 'record'}: {item['msg']}"
        for item in error.errors(include_input=False, include_url=False)
    )


def _suite_reasons(customers: Sequence[CustomerIn]) -> dict[int, list[str]]:
    reasons: dict[int, list[str]] = defaultdict(list)
    if not customers:
        return reasons
    import pandas as pd  # only when records are checked: a second off every command's start

    companies = pd.DataFrame([_company_row(c) for c in customers])
    report = quality.validate(companies, "customer_companies", quality.company_suite)
    _collect(reasons, report, lambda row: int(row), len(customers))
    people = [_person_row(i, rep) for i, c in enumerate(customers) for rep in c.representatives]
    if people:
        frame = pd.DataFrame(people)
        report = quality.validate(frame, "customer_representatives", quality.representative_suite)
        _collect(reasons, report, lambda row: int(frame.loc[row, "customer_index"]), len(customers))
    return reasons


def _collect(
    reasons: dict[int, list[str]],
    report: quality.QualityReport,
    owner: Callable[[Any], int],
    count: int,
) -> None:
    for finding in report.row_findings:
        reasons[owner(finding.row)].append(finding.reason)
    # A failure not tied to rows (a check that could not run) holds every record back.
    for found in report.table_findings:
        for index in range(count):
            reasons[index].append(found.message)


def _enterprise_number(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return normalize_enterprise_number(text)
    except InvalidIdentifier:
        return None


def _company_row(customer: CustomerIn) -> dict[str, Any]:
    company = customer.company
    number = _enterprise_number(company.enterprise_number)
    digits = "".join(ch for ch in company.enterprise_number or "" if ch.isdigit()) or None
    return {
        "customer_ref": customer.customer_ref,
        "enterprise_number": number or digits,
        "enterprise_number_checksum_ok": None if digits is None else number is not None,
        "name": company.name,
        "country": company.address.country,
        "postcode": company.address.postcode,
        # Judged only against a valid enterprise number: one mistake, one reason.
        "peppol_id_ok": (
            _peppol_matches(company.peppol_id, number) if company.peppol_id and number else None
        ),
    }


def _peppol_matches(peppol_id: str, enterprise_number: str) -> bool:
    try:
        parsed = parse_peppol_id(peppol_id)
    except InvalidIdentifier:
        return False
    return parsed.enterprise_number == enterprise_number


def _person_row(customer_index: int, rep: RepresentativeIn) -> dict[str, Any]:
    birth = _partial_date(rep.birth_date)
    national = _national_number(rep.national_number)
    return {
        "customer_index": customer_index,
        "first_name": rep.first_name,
        "last_name": rep.last_name,
        "birth_date": rep.birth_date,
        "birth_date_ok": None if rep.birth_date is None else birth is not None,
        "birth_year": birth.year if birth else None,
        "nationality": rep.nationality,
        "role": rep.role,
        "national_number_ok": None if rep.national_number is None else national is not None,
        "national_number_matches_birth_date": _nn_matches_birth(national, birth),
    }


def _partial_date(text: str | None) -> PartialDate | None:
    if not text:
        return None
    try:
        return PartialDate.parse(text)
    except ValueError:
        return None


def _national_number(secret: SecretStr | None) -> NationalNumber | None:
    if secret is None:
        return None
    try:
        return parse_national_number(secret.get_secret_value())
    except InvalidIdentifier:
        return None


def _nn_matches_birth(national: NationalNumber | None, birth: PartialDate | None) -> bool | None:
    if national is None or national.birth_date is None or birth is None:
        return None
    encoded = national.birth_date
    return (birth.year, birth.month or encoded.month, birth.day or encoded.day) == (
        encoded.year,
        encoded.month,
        encoded.day,
    )


def _valid(label: str, customer: CustomerIn) -> ValidCustomer:
    company = customer.company
    number = normalize_enterprise_number(company.enterprise_number or "")
    return ValidCustomer(
        label=label,
        customer_ref=customer.customer_ref,
        enterprise_number=number,
        name=company.name or "",
        address=company.address,
        peppol_id=str(parse_peppol_id(company.peppol_id)) if company.peppol_id else None,
        representatives=tuple(_valid_rep(rep) for rep in customer.representatives),
    )


def _valid_rep(rep: RepresentativeIn) -> ValidRepresentative:
    national = _national_number(rep.national_number)
    birth = _partial_date(rep.birth_date)
    if birth is None and national is not None and national.birth_date is not None:
        encoded = national.birth_date
        birth = PartialDate(encoded.year, encoded.month, encoded.day)
    return ValidRepresentative(
        first_name=rep.first_name or "",
        last_name=rep.last_name or "",
        birth_date=birth,
        nationality=rep.nationality,
        role=rep.role or "",
        national_number=national,
        proxy=rep.proxy,
    )


def load_customer_records(path: Path) -> ValidationOutcome:
    return validate_customers(read_customer_file(path))
