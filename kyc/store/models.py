"""The tables. Alembic migrations under ``migrations/`` create them; a test keeps both in step.

Privacy by design: audit events and screening runs refer to people and companies only
by the pseudonymous ``subjects.id``; the personal data itself lives in ``persons``
(and the screened inputs in ``screened_inputs``), rows that retention or erasure can
delete without touching the hash chain.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.expression import false


class UtcDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC everywhere, returned as aware UTC, so that SQLite and
    PostgreSQL give the same value back (the audit hash depends on it)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: JSON, list[Any]: JSON}


# --- sanctions lists -------------------------------------------------------------


class ListVersion(Base):
    """One imported list file, whatever became of it. Never changed once written.

    ``status``: ``accepted`` (passed the quality gates; activated when imported),
    ``held`` (waiting for a person to activate it: older than the active version, or much
    smaller), ``rejected`` (unreadable, or failed its quality suite; never active).
    """

    __tablename__ = "list_versions"
    __table_args__ = (UniqueConstraint("source", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16), index=True)
    published_at: Mapped[datetime | None]
    sha256: Mapped[str] = mapped_column(String(64))
    entry_count: Mapped[int]
    unnamed_count: Mapped[int] = mapped_column(default=0)
    file_name: Mapped[str] = mapped_column(String(255))
    imported_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="accepted")
    status_reason: Mapped[str | None] = mapped_column(Text)
    quality: Mapped[dict[str, Any] | None]
    report_file: Mapped[str | None] = mapped_column(String(255))
    fetch_id: Mapped[int | None] = mapped_column(ForeignKey("list_fetches.id"))


class ListFetch(Base):
    """One download attempt: what was asked, what came back (for conditional GET and replay)."""

    __tablename__ = "list_fetches"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16), index=True)
    url: Mapped[str] = mapped_column(Text)
    requested_at: Mapped[datetime]
    outcome: Mapped[str] = mapped_column(String(16))
    status_code: Mapped[int | None]
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None]
    file_name: Mapped[str | None] = mapped_column(String(255))
    error: Mapped[str | None] = mapped_column(Text)


class ListChangeSet(Base):
    """What an activation changed: the new version against the one active before it."""

    __tablename__ = "list_change_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    activation_id: Mapped[int] = mapped_column(ForeignKey("list_activations.id"), unique=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id"), index=True)
    previous_version_id: Mapped[int | None] = mapped_column(ForeignKey("list_versions.id"))
    added: Mapped[int]
    removed: Mapped[int]
    changed: Mapped[int]
    created_at: Mapped[datetime]


class ListChange(Base):
    __tablename__ = "list_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    change_set_id: Mapped[int] = mapped_column(ForeignKey("list_change_sets.id"), index=True)
    entry_id: Mapped[str] = mapped_column(String(64))
    change: Mapped[str] = mapped_column(String(16))
    fields: Mapped[list[Any]]


class ListActivation(Base):
    """Append-only history of which version of each source is active; the newest row wins."""

    __tablename__ = "list_activations"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id"))
    activated_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(Text, default="")


class ListEntryRow(Base):
    __tablename__ = "list_entries"
    __table_args__ = (UniqueConstraint("version_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id"), index=True)
    entry_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]]


# --- customers (subjects and their personal data) ----------------------------------


class Subject(Base):
    """A pseudonymous handle for a company or a person: the only reference events carry."""

    __tablename__ = "subjects"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]


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


# --- screening, hits, review -------------------------------------------------------


class ScreeningRun(Base):
    __tablename__ = "screening_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(128))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    matcher: Mapped[str] = mapped_column(String(64))
    matcher_version: Mapped[str] = mapped_column(String(32))
    threshold: Mapped[float] = mapped_column(Float)
    list_versions: Mapped[dict[str, Any]]
    scope: Mapped[dict[str, Any]] = mapped_column(default=dict)
    subjects_screened: Mapped[int] = mapped_column(default=0)
    hits_found: Mapped[int] = mapped_column(default=0)


class ScreenedInput(Base):
    """The exact attributes screened for a subject in a run (personal data, deletable)."""

    __tablename__ = "screened_inputs"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("screening_runs.id"), index=True)
    subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), index=True)
    digest: Mapped[str] = mapped_column(String(64))
    attributes: Mapped[dict[str, Any]]


class Hit(Base):
    """A (subject, source, entry) pair that scored at or above the review threshold.

    Its identity survives list versions and rescreens; ``state`` is open, proposed
    (a decision waits for an approver), decided or closed. The fingerprints say what
    the subject and the entry looked like when they were last screened and when a
    reviewer decided (or proposed), so that a cleared pair is only re-opened when names
    or birth data changed.
    """

    __tablename__ = "hits"
    __table_args__ = (
        UniqueConstraint("subject_id", "source", "entry_id"),
        # The review queue reads a page of one state in score or age order, and counts it
        # per source, without sorting or scanning the table (kyc.review.queue).
        Index("ix_hits_state_score", "state", "score"),
        Index("ix_hits_state_first_seen_at", "state", "first_seen_at"),
        Index("ix_hits_state_source", "state", "source"),
        Index("ix_hits_state_subject_kind_score", "state", "subject_kind", "score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), index=True)
    # The subject's kind (person, organization), which never changes: the queue filters
    # on it without a join.
    subject_kind: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    entry_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), index=True)
    score: Mapped[float] = mapped_column(Float)
    band: Mapped[str] = mapped_column(String(16))
    entry_name: Mapped[str] = mapped_column(Text)
    matched_name: Mapped[str] = mapped_column(Text)
    explanation: Mapped[dict[str, Any]]
    matcher: Mapped[str] = mapped_column(String(64))
    matcher_version: Mapped[str] = mapped_column(String(32))
    list_version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id"))
    last_run_id: Mapped[int] = mapped_column(ForeignKey("screening_runs.id"))
    subject_fingerprint: Mapped[str] = mapped_column(String(64))
    entry_fingerprint: Mapped[str] = mapped_column(String(64))
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    decision: Mapped[str | None] = mapped_column(String(32))
    decided_subject_fingerprint: Mapped[str | None] = mapped_column(String(64))
    decided_entry_fingerprint: Mapped[str | None] = mapped_column(String(64))
    closed_reason: Mapped[str | None] = mapped_column(Text)
    # Whose it is in the queue; escalated by a reviewer for somebody more senior.
    assignee: Mapped[str | None] = mapped_column(String(64))
    escalated: Mapped[bool] = mapped_column(Boolean, server_default=false(), default=False)
    # Every change checks the version it read (no lost update between two reviewers).
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}


class Decision(Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    hit_id: Mapped[int] = mapped_column(ForeignKey("hits.id"), index=True)
    decision: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(128))
    decided_at: Mapped[datetime]
    # Four eyes: proposed, then approved or rejected by a second person (the approver).
    status: Mapped[str] = mapped_column(String(16), server_default="effective")
    approver: Mapped[str | None] = mapped_column(String(128))
    approved_at: Mapped[datetime | None]
    rejection_reason: Mapped[str | None] = mapped_column(Text)


# --- audit trail -------------------------------------------------------------------


class AuditEvent(Base):
    """Append-only (database triggers refuse UPDATE and DELETE); each row carries the
    hash of the previous one."""

    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(32), unique=True)
    occurred_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    purpose: Mapped[str] = mapped_column(String(64))
    legal_basis: Mapped[str] = mapped_column(Text)
    list_versions: Mapped[dict[str, Any]]
    matcher_version: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """One row: the newest event's sequence number and hash. Appenders lock it, so that
    concurrent writers extend the chain one after the other instead of forking it."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int]
    last_hash: Mapped[str] = mapped_column(String(64))


# --- the Crossroads Bank for Enterprises (KBO Open Data) ------------------------------


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


Index("ix_hits_source_entry", Hit.source, Hit.entry_id)


class CheckDecision(Base):
    """A reviewer's decision on a mandate or company check a person must look at,
    under four eyes as for hits (kyc.review.checks)."""

    __tablename__ = "check_decisions"
    __table_args__ = (Index("ix_check_decisions_kind_check_id", "kind", "check_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # mandate or company
    check_id: Mapped[int] = mapped_column(Integer)
    company_subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), index=True)
    person_subject_id: Mapped[str | None] = mapped_column(ForeignKey("subjects.id"))
    decision: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    reviewer: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime]
    approver: Mapped[str | None] = mapped_column(String(128))
    approved_at: Mapped[datetime | None]
    rejection_reason: Mapped[str | None] = mapped_column(Text)


# --- people who use the review app ---------------------------------------------------


class User(Base):
    """An account of the review app and the CLI's ``--reviewer``: a role, an argon2
    hash of the password (never the password), and the state of its failed logins."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime]
    failed_logins: Mapped[int] = mapped_column(Integer)
    # Failed logins slow further tries (not before) and then lock the account (until).
    not_before: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]


class WebSession(Base):
    """A signed-in browser: the cookie carries the id, the table only its SHA-256 (a
    copy of the table opens no session). Ended at logout, or after idle time."""

    __tablename__ = "web_sessions"

    id_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
