"""Customer records checked: structurally (pydantic), then by the Great Expectations
suites; a record that fails is rejected with its reasons, the others accepted."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import (
    SecretStr,
    ValidationError,
)

from kyc import quality
from kyc.customers.files import read_customer_file
from kyc.customers.schema import (
    CustomerIn,
    RawRecord,
    Rejection,
    RepresentativeIn,
    ValidationOutcome,
    ValidCustomer,
    ValidRepresentative,
)
from kyc.identifiers import (
    InvalidIdentifier,
    NationalNumber,
    normalize_enterprise_number,
    parse_national_number,
    parse_peppol_id,
)
from kyc.model import PartialDate


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
        relationship_end=customer.relationship_end,
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
