"""The Crossroads Bank for Enterprises (KBO Open Data), as imported."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    ForeignKey,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from kyc.store.models.base import Base


class RegisterExtract(Base):
    __tablename__ = "register_extracts"

    id: Mapped[int] = mapped_column(primary_key=True)
    extract_number: Mapped[int]
    extract_type: Mapped[str] = mapped_column(String(16))
    snapshot_date: Mapped[date] = mapped_column(Date)
    extract_timestamp: Mapped[str] = mapped_column(String(32))
    format_version: Mapped[str] = mapped_column(String(16))
    sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime]
    row_counts: Mapped[dict[str, Any]]
    # The quality suite's summary and findings, and its report (kyc.registry.quality).
    quality: Mapped[dict[str, Any] | None]
    report_file: Mapped[str | None] = mapped_column(String(255))


class KboCode(Base):
    __tablename__ = "kbo_codes"

    category: Mapped[str] = mapped_column(String(64), primary_key=True)
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    language: Mapped[str] = mapped_column(String(2), primary_key=True)
    description: Mapped[str] = mapped_column(Text)


class KboEnterprise(Base):
    __tablename__ = "kbo_enterprises"

    enterprise_number: Mapped[str] = mapped_column(String(10), primary_key=True)
    status: Mapped[str] = mapped_column(String(2))
    juridical_situation: Mapped[str] = mapped_column(String(3))
    type_of_enterprise: Mapped[str] = mapped_column(String(1))
    juridical_form: Mapped[str | None] = mapped_column(String(3))
    juridical_form_cac: Mapped[str | None] = mapped_column(String(3))
    start_date: Mapped[date | None] = mapped_column(Date)


class KboDenomination(Base):
    __tablename__ = "kbo_denominations"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_number: Mapped[str] = mapped_column(String(10), index=True)
    language: Mapped[str] = mapped_column(String(1))
    type_of_denomination: Mapped[str] = mapped_column(String(3))
    denomination: Mapped[str] = mapped_column(Text)


class KboAddress(Base):
    __tablename__ = "kbo_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_number: Mapped[str] = mapped_column(String(10), index=True)
    type_of_address: Mapped[str] = mapped_column(String(4))
    country_nl: Mapped[str | None] = mapped_column(Text)
    country_fr: Mapped[str | None] = mapped_column(Text)
    zipcode: Mapped[str | None] = mapped_column(String(16))
    municipality_nl: Mapped[str | None] = mapped_column(Text)
    municipality_fr: Mapped[str | None] = mapped_column(Text)
    street_nl: Mapped[str | None] = mapped_column(Text)
    street_fr: Mapped[str | None] = mapped_column(Text)
    house_number: Mapped[str | None] = mapped_column(String(32))
    box: Mapped[str | None] = mapped_column(String(32))
    extra_address_info: Mapped[str | None] = mapped_column(Text)
    date_striking_off: Mapped[date | None] = mapped_column(Date)


class KboEstablishment(Base):
    __tablename__ = "kbo_establishments"

    establishment_number: Mapped[str] = mapped_column(String(10), primary_key=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    enterprise_number: Mapped[str] = mapped_column(String(10), index=True)


class KboContact(Base):
    __tablename__ = "kbo_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_number: Mapped[str] = mapped_column(String(10), index=True)
    entity_contact: Mapped[str] = mapped_column(String(3))
    contact_type: Mapped[str] = mapped_column(String(5))
    value: Mapped[str] = mapped_column(Text)


class KboActivity(Base):
    __tablename__ = "kbo_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_number: Mapped[str] = mapped_column(String(10), index=True)
    activity_group: Mapped[str] = mapped_column(String(3))
    nace_version: Mapped[str] = mapped_column(String(4))
    nace_code: Mapped[str] = mapped_column(String(8))
    classification: Mapped[str] = mapped_column(String(4))


class KboBranch(Base):
    """A foreign entity's branch office in Belgium (its id is not an official number)."""

    __tablename__ = "kbo_branches"

    branch_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    enterprise_number: Mapped[str] = mapped_column(String(10), index=True)


class KboFunction(Base):
    """A function held in an enterprise (director, manager, liquidator…): from the KBO
    reuse feed or the provider's own file. Held by a person (names) or by an enterprise
    (its number); runs from ``begin`` until ``end`` (None while it runs)."""

    __tablename__ = "kbo_functions"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_number: Mapped[str] = mapped_column(String(10), index=True)
    function_code: Mapped[str] = mapped_column(String(5))
    begin: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(3))
    first_name: Mapped[str | None] = mapped_column(Text)
    last_name: Mapped[str | None] = mapped_column(Text)
    holder_enterprise_number: Mapped[str | None] = mapped_column(String(10))
    # Not in KBO's feed; a provider's own file may know them: the holder's birth date, and
    # the permanent representative through whom an enterprise holder acts.
    birth_date: Mapped[date | None] = mapped_column(Date)
    representative_first_name: Mapped[str | None] = mapped_column(Text)
    representative_last_name: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))


class RegisterRecheck(Base):
    """A customer company a register extract changed, waiting to be checked again
    (kyc.app.register.recheck_extract; the deployments do it when the extract's
    kyc.register.updated event comes)."""

    __tablename__ = "register_rechecks"

    extract_id: Mapped[int] = mapped_column(ForeignKey("register_extracts.id"), primary_key=True)
    enterprise_number: Mapped[str] = mapped_column(String(10), primary_key=True)
