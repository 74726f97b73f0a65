"""The customer records as read: the structure a record must have, and what
reading and validation make of it."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    field_validator,
    model_validator,
)

from kyc.identifiers import (
    NationalNumber,
)
from kyc.model import MAX_REASON, PartialDate


class CustomerFileError(ValueError):
    """The file as a whole cannot be read; nothing from it is stored."""


def clean_text(value: object) -> object:
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
        return clean_text(value)


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


class RelationshipEndIn(_Strict):
    """The relationship ended (or the onboarding was refused) on ``ended_on``."""

    ended_on: date
    reason: str = Field(min_length=1, max_length=MAX_REASON)
    onboarding_refused: bool = False


class CustomerIn(_Strict):
    customer_ref: str | None = Field(default=None, max_length=64)
    company: CompanyIn
    representatives: list[RepresentativeIn] = []
    relationship_end: RelationshipEndIn | None = None


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
    relationship_end: RelationshipEndIn | None = None


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
    "relationship_end",  # YYYY-MM-DD: the day the relationship ended
    "relationship_end_reason",
    "onboarding_refused",  # true when the onboarding was refused before it began
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
