"""Customers: subjects (the pseudonymous ids), companies, people and their mandates,
and the checks of both against the register."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kyc.store.models.base import Base


class Subject(Base):
    """A pseudonymous handle for a company or a person: the only reference events carry."""

    __tablename__ = "subjects"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    # Restriction of processing (Art. 18): since when, why, and on which ground — at the
    # subject's request, or instead of an erasure a retention rule refused (kyc.rights).
    restricted_since: Mapped[datetime | None]
    restriction_reason: Mapped[str | None] = mapped_column(Text)
    restriction_ground: Mapped[str | None] = mapped_column(String(32))
    # When retention or an erasure removed its personal data; the id stays for the trail.
    erased_at: Mapped[datetime | None]


class Company(Base):
    __tablename__ = "companies"

    subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), primary_key=True)
    enterprise_number: Mapped[str] = mapped_column(String(10), unique=True)
    customer_ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    street: Mapped[str | None] = mapped_column(Text)
    house_number: Mapped[str | None] = mapped_column(String(32))
    box: Mapped[str | None] = mapped_column(String(32))
    postcode: Mapped[str | None] = mapped_column(String(16))
    municipality: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2))
    peppol_id: Mapped[str | None] = mapped_column(String(64))
    # The relationship's end (kyc customers offboard) starts the retention clock.
    relationship_ended_on: Mapped[date | None] = mapped_column(Date)
    relationship_end_reason: Mapped[str | None] = mapped_column(Text)
    retention_rule: Mapped[str | None] = mapped_column(String(32))
    retained_until: Mapped[date | None] = mapped_column(Date, index=True)
    updated_at: Mapped[datetime]
    # cleared, pending_review or blocked, and why (kyc.review.cases): moved only by
    # reviewers' decisions and what screening and the checks find.
    status: Mapped[str | None] = mapped_column(String(16), index=True)
    status_reasons: Mapped[list[Any] | None]
    status_since: Mapped[datetime | None]


class Person(Base):
    """Personal data of a representative; deletable by retention or erasure."""

    __tablename__ = "persons"

    subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), primary_key=True)
    first_name: Mapped[str] = mapped_column(Text)
    last_name: Mapped[str] = mapped_column(Text)
    birth_date: Mapped[str | None] = mapped_column(String(10))
    nationality: Mapped[str | None] = mapped_column(String(2))
    nn_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    nn_birth_date: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime]


class Representation(Base):
    __tablename__ = "representations"
    __table_args__ = (UniqueConstraint("company_subject_id", "person_subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), index=True)
    person_subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), index=True)
    role: Mapped[str] = mapped_column(String(64))
    # A special proxy the person acts under (grantor, grantee, scope, validity), if any.
    proxy: Mapped[dict[str, Any] | None]


class MandateCheck(Base):
    """Whether a representative may bind the company, as checked at one moment."""

    __tablename__ = "mandate_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), index=True)
    person_subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), index=True)
    checked_at: Mapped[datetime]
    as_of: Mapped[date]
    trigger: Mapped[str] = mapped_column(String(32))
    verdict: Mapped[str] = mapped_column(String(16))
    findings: Mapped[list[Any]]
    register_extract_id: Mapped[int | None] = mapped_column(ForeignKey("register_extracts.id"))
    rules_version: Mapped[str] = mapped_column(String(32))


class CompanyCheck(Base):
    __tablename__ = "company_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), index=True)
    checked_at: Mapped[datetime]
    verdict: Mapped[str] = mapped_column(String(16))
    findings: Mapped[list[Any]]
    register_extract_id: Mapped[int | None] = mapped_column(ForeignKey("register_extracts.id"))
