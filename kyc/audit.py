"""The audit trail: append-only events, each carrying the hash of the one before.

Events name people and companies only by pseudonymous subject id; their details must
never hold personal data (a guard refuses anything shaped like a national number).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.identifiers import holds_national_number
from kyc.purposes import Purpose
from kyc.store.models import AuditEvent, AuditHead

GENESIS_HASH = "0" * 64
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class PersonalDataInAuditEvent(ValueError):
    pass


def _refuse_national_numbers(value: Any) -> None:
    if isinstance(value, str):
        if holds_national_number(value):
            raise PersonalDataInAuditEvent("an audit event must not carry a national number")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _refuse_national_numbers(key)
            _refuse_national_numbers(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _refuse_national_numbers(item)


@dataclass(frozen=True)
class RowId:
    """The id a row added in this transaction will have: an event's details may name it
    without a flush of its own. It is read when the event joins the chain (a deferred
    auditor's events, after one flush for all of them)."""

    row: Any


def _with_row_ids(session: Session, details: dict[str, Any]) -> dict[str, Any]:
    if not any(isinstance(value, RowId) for value in details.values()):
        return details
    if any(isinstance(v, RowId) and v.row.id is None for v in details.values()):
        session.flush()
    return {k: (v.row.id if isinstance(v, RowId) else v) for k, v in details.items()}


def _canonical(fields: Mapping[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "event_id": event.event_id,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": event.actor,
        "action": event.action,
        "subject_ref": event.subject_ref,
        "purpose": event.purpose,
        "legal_basis": event.legal_basis,
        "list_versions": event.list_versions,
        "matcher_version": event.matcher_version,
        "outcome": event.outcome,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }


HASHED_FIELDS = (
    "seq", "event_id", "occurred_at", "actor", "action", "subject_ref", "purpose",
    "legal_basis", "list_versions", "matcher_version", "outcome", "details", "prev_hash",
)  # fmt: skip


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(_hashed_fields(event))).hexdigest()


def record_hash(record: Mapping[str, Any]) -> str:
    """The hash of an exported event (a JSON line of :func:`export_events`)."""
    return hashlib.sha256(_canonical({k: record.get(k) for k in HASHED_FIELDS})).hexdigest()


@dataclass
class Auditor:
    """Appends events for one actor, with the legal basis configured for each purpose."""

    actor: str
    legal_bases: Mapping[str, str]
    clock: Clock = field(default=utc_now)

    def record(
        self,
        session: Session,
        *,
        action: str,
        purpose: Purpose,
        outcome: str,
        subject_ref: str | None = None,
        list_versions: Mapping[str, Any] | None = None,
        matcher_version: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> AuditEvent:
        details = dict(details or {})
        _refuse_national_numbers(details)
        fields = {
            "actor": self.actor,
            "action": action,
            "subject_ref": subject_ref,
            "purpose": str(purpose),
            "legal_basis": self.legal_bases[purpose],
            "list_versions": dict(list_versions or {}),
            "matcher_version": matcher_version,
            "outcome": outcome,
            "details": details,
        }
        return self._append(session, fields, self.clock().astimezone(UTC))

    def _append(self, session: Session, fields: dict[str, Any], at: datetime) -> AuditEvent:
        fields = {**fields, "details": _with_row_ids(session, fields["details"])}
        head = _locked_head(session)
        event = AuditEvent(
            seq=head.last_seq + 1,
            event_id=uuid.uuid4().hex,
            occurred_at=at,
            prev_hash=head.last_hash,
            **fields,
        )
        event.hash = event_hash(event)
        session.add(event)
        head.last_seq, head.last_hash = event.seq, event.hash
        # Not flushed one by one: the session writes a job's events in one batch at its
        # next flush or commit (a rescreen writes one per subject).
        return event

    def deferred(self) -> DeferredAuditor:
        """An auditor that holds its events until ``write``: see DeferredAuditor."""
        return DeferredAuditor(self.actor, self.legal_bases, self.clock)


@dataclass
class DeferredAuditor(Auditor):
    """Holds a transaction's events, each with the time it happened, and appends them
    to the chain in one go just before the commit. The chain head is then locked for
    the last moment of the transaction only, so that partitions of a rescreen committed
    side by side (PostgreSQL, Dask workers) do not wait for each other's whole work."""

    held: list[tuple[dict[str, Any], datetime]] = field(default_factory=list)

    def _append(self, session: Session, fields: dict[str, Any], at: datetime) -> AuditEvent:
        self.held.append((fields, at))
        return AuditEvent(occurred_at=at, **fields)  # not in the chain yet

    def write(self, session: Session) -> int:
        """Append the held events to the chain, in the order they happened."""
        held, self.held = self.held, []
        session.flush()  # the rows the events name get their ids, all in one go
        for fields, at in held:
            Auditor._append(self, session, fields, at)
        return len(held)


_LOCKED_HEAD = "kyc.audit.locked_head"


def _locked_head(session: Session) -> AuditHead:
    """The chain head, locked by the first event of a transaction (FOR UPDATE; SQLite's
    writers begin IMMEDIATE) and then taken from the session until it ends: appenders
    extend the chain one transaction after the other, and a transaction's later events
    cost no round trip."""
    transaction = session.get_transaction()
    held = session.info.get(_LOCKED_HEAD)
    if held is not None and held[0] is transaction and held[1] in session:
        head: AuditHead = held[1]
        return head
    head = session.execute(select(AuditHead).with_for_update()).scalar_one()
    session.info[_LOCKED_HEAD] = (transaction, head)
    return head


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    first_broken_seq: int | None = None
    reason: str | None = None


def iter_events(session: Session) -> Generator[AuditEvent, None, None]:
    """Every event in order, streamed; the cursor is closed even when the caller stops early."""
    events = session.scalars(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=1000)
    )
    try:
        yield from events
    finally:
        events.close()


def verify_chain(session: Session) -> ChainReport:
    """Recompute every hash in order; report the first event that does not fit."""
    previous_hash, expected_seq, count = GENESIS_HASH, 1, 0
    events = iter_events(session)
    try:
        for event in events:
            problem = _problem(event, expected_seq, previous_hash)
            if problem:
                return ChainReport(False, count, event.seq, problem)
            previous_hash, expected_seq, count = event.hash, event.seq + 1, count + 1
    finally:
        events.close()
    head = session.execute(select(AuditHead)).scalar_one()
    if head.last_seq != count or head.last_hash != previous_hash:
        return ChainReport(
            False,
            count,
            count + 1,
            f"events after this point are missing (the chain head records {head.last_seq} events)",
        )
    return ChainReport(True, count)


def _problem(event: AuditEvent, expected_seq: int, previous_hash: str) -> str | None:
    if event.seq != expected_seq:
        return f"event {expected_seq} is missing"
    if event.prev_hash != previous_hash:
        return "its previous-hash does not match the event before it"
    if event_hash(event) != event.hash:
        return "its content does not match its hash (the event was altered)"
    return None


def export_events(session: Session, out: IO[str]) -> int:
    """Write every event as one JSON object per line; return how many."""
    count = 0
    for event in iter_events(session):
        record = {**_hashed_fields(event), "hash": event.hash}
        out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count
