"""The files of a KBO extract as tables: each file's header, its columns, and how a row
becomes a record.

Each converter turns a CSV row into a tuple in the order of its table's ``columns``:
millions of rows go straight to the database driver (see kyc.registry.bulk).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from kyc.identifiers import (
    InvalidIdentifier,
    has_valid_check_digits,
    normalize_enterprise_number,
    normalize_establishment_number,
)
from kyc.registry.bulk import Row
from kyc.store.models import (
    Base,
    KboActivity,
    KboAddress,
    KboBranch,
    KboCode,
    KboContact,
    KboDenomination,
    KboEnterprise,
    KboEstablishment,
)


class RowError(ValueError):
    pass


def entity_number(text: str) -> str:
    """Enterprise (0/1…) or establishment (2–8…) number, 10 digits, check digits verified."""
    digits = text.replace(".", "").strip()
    # The common case, checked directly: a register has millions of numbers.
    if len(digits) == 10 and digits.isdigit() and digits[0] != "9":
        if has_valid_check_digits(digits):
            return digits
    try:
        if digits[:1] in ("0", "1"):
            return normalize_enterprise_number(digits)
        return normalize_establishment_number(digits)
    except InvalidIdentifier as error:
        raise RowError(f"entity number {text!r}: {error}") from error


def kbo_date(text: str, *, required: bool = False) -> date | None:
    if not text:
        if required:
            raise RowError("a required date is empty")
        return None
    try:
        return _date(text)
    except ValueError as error:
        raise RowError(f"date {text!r} is not a calendar date written dd-mm-yyyy") from error


@lru_cache(maxsize=100_000)
def _date(text: str) -> date:
    # Dates repeat across millions of rows: each is parsed once.
    return datetime.strptime(text, "%d-%m-%Y").date()


def _opt(text: str) -> str | None:
    return text or None


def _enterprise_number(text: str) -> str:
    number = entity_number(text)
    if number[0] not in "01":
        raise RowError(f"{text!r} is not an enterprise number")
    return number


def _establishment_number(text: str) -> str:
    number = entity_number(text)
    if number[0] in "01":
        raise RowError(f"{text!r} is not an establishment number")
    return number


def branch_id(text: str) -> str:
    """A branch office's id: ten digits, but not an official number (no check digits)."""
    digits = text.replace(".", "").strip()
    if not (len(digits) == 10 and digits.isdigit()):
        raise RowError(f"branch id {text!r} is not ten digits")
    return digits


def _enterprise(row: list[str]) -> Row:
    number, status, situation, kind, form, form_cac, start = row
    return (
        _enterprise_number(number),
        status,
        situation,
        kind,
        _opt(form),
        _opt(form_cac),
        kbo_date(start, required=True),
    )


def _establishment(row: list[str]) -> Row:
    number, start, enterprise = row
    return (
        _establishment_number(number),
        kbo_date(start, required=True),
        _enterprise_number(enterprise),
    )


def _denomination(row: list[str]) -> Row:
    number, language, kind, text = row
    if not text.strip():
        raise RowError("the denomination is empty")
    return (entity_number(number), language, kind, text)


_ADDRESS_FIELDS = (
    "country_nl",
    "country_fr",
    "zipcode",
    "municipality_nl",
    "municipality_fr",
    "street_nl",
    "street_fr",
    "house_number",
    "box",
    "extra_address_info",
)


def _address(row: list[str]) -> Row:
    number, kind, *middle, striking_off = row
    return (entity_number(number), kind, *map(_opt, middle), kbo_date(striking_off))


def _contact(row: list[str]) -> Row:
    number, entity_contact, contact_type, value = row
    if not value.strip():
        raise RowError("the contact value is empty")
    return (entity_number(number), entity_contact, contact_type, value)


_NACE_VERSIONS = frozenset({"2003", "2008", "2025"})


def _activity(row: list[str]) -> Row:
    number, group, version, code, classification = row
    if version not in _NACE_VERSIONS:
        raise RowError(f"NACE version {version!r} is not 2003, 2008 or 2025")
    if not code.isdigit():
        raise RowError(f"NACE code {code!r} is not digits")
    return (entity_number(number), group, version, code, classification)


def _branch(row: list[str]) -> Row:
    number, start, enterprise = row
    return (branch_id(number), kbo_date(start, required=True), _enterprise_number(enterprise))


def _code(row: list[str]) -> Row:
    category, code, language, description = row
    return (category, code, language, description)


@dataclass(frozen=True)
class TableSpec:
    """One file of an extract: its columns, how a row becomes a record (a tuple in the
    order of ``columns``), and the key an UPDATE's ``<name>_delete.csv`` lists (in the
    column ``key_attribute``)."""

    name: str
    model: type[Base]
    header: tuple[str, ...]
    columns: tuple[str, ...]
    convert: Callable[[list[str]], Row]
    key_attribute: str
    key: Callable[[str], str] = entity_number


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "enterprise",
        KboEnterprise,
        (
            "EnterpriseNumber",
            "Status",
            "JuridicalSituation",
            "TypeOfEnterprise",
            "JuridicalForm",
            "JuridicalFormCAC",
            "StartDate",
        ),
        (
            "enterprise_number",
            "status",
            "juridical_situation",
            "type_of_enterprise",
            "juridical_form",
            "juridical_form_cac",
            "start_date",
        ),
        _enterprise,
        "enterprise_number",
        _enterprise_number,
    ),
    TableSpec(
        "establishment",
        KboEstablishment,
        ("EstablishmentNumber", "StartDate", "EnterpriseNumber"),
        ("establishment_number", "start_date", "enterprise_number"),
        _establishment,
        "establishment_number",
        _establishment_number,
    ),
    TableSpec(
        "denomination",
        KboDenomination,
        ("EntityNumber", "Language", "TypeOfDenomination", "Denomination"),
        ("entity_number", "language", "type_of_denomination", "denomination"),
        _denomination,
        "entity_number",
    ),
    TableSpec(
        "address",
        KboAddress,
        (
            "EntityNumber",
            "TypeOfAddress",
            "CountryNL",
            "CountryFR",
            "Zipcode",
            "MunicipalityNL",
            "MunicipalityFR",
            "StreetNL",
            "StreetFR",
            "HouseNumber",
            "Box",
            "ExtraAddressInfo",
            "DateStrikingOff",
        ),
        ("entity_number", "type_of_address", *_ADDRESS_FIELDS, "date_striking_off"),
        _address,
        "entity_number",
    ),
    TableSpec(
        "contact",
        KboContact,
        ("EntityNumber", "EntityContact", "ContactType", "Value"),
        ("entity_number", "entity_contact", "contact_type", "value"),
        _contact,
        "entity_number",
    ),
    TableSpec(
        "activity",
        KboActivity,
        ("EntityNumber", "ActivityGroup", "NaceVersion", "NaceCode", "Classification"),
        ("entity_number", "activity_group", "nace_version", "nace_code", "classification"),
        _activity,
        "entity_number",
    ),
    TableSpec(
        "branch",
        KboBranch,
        ("Id", "StartDate", "EnterpriseNumber"),
        ("branch_id", "start_date", "enterprise_number"),
        _branch,
        "branch_id",
        branch_id,
    ),
)
# 36 million rows in a FULL extract: imported only when asked (KYC_REGISTER_ACTIVITIES).
OPTIONAL_TABLE = "activity"
CODE_TABLE = TableSpec(
    "code",
    KboCode,
    ("Category", "Code", "Language", "Description"),
    ("category", "code", "language", "description"),
    _code,
    "category",
)
