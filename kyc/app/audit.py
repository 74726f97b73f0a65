"""Use cases of the audit trail and the store's totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TextIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select

from kyc import trail
from kyc.app.runtime import Runtime, UsageError
from kyc.audit import ChainReport, verify_chain
from kyc.audit_report import audit_report
from kyc.checkpoints import load_public_key, load_signing_key
from kyc.pages import render_page
from kyc.purposes import Purpose
from kyc.store.db import transaction
from kyc.store.models import Company, Hit, Person
from kyc.trail import TrailReport, verify_trail


def verify_audit_chain(runtime: Runtime) -> ChainReport:
    with runtime.readers() as session:
        return verify_chain(session)


def public_key(runtime: Runtime, path: Path | None = None) -> Ed25519PublicKey | None:
    """The key checkpoints are verified with: the file given, else the public half of
    the signing key of the settings (None: neither)."""
    if path is not None:
        return load_public_key(path)
    if runtime.signing_key is None:
        return None
    return load_signing_key(runtime.signing_key).public_key()


def verify_audit_trail(runtime: Runtime, public_key_file: Path | None = None) -> TrailReport:
    """The chain, and every checkpoint of the database and of the checkpoint file."""
    public = public_key(runtime, public_key_file)
    with runtime.readers() as session:
        return verify_trail(
            session, public=public, checkpoint_file=runtime.settings.checkpoint_file
        )


@dataclass(frozen=True)
class Totals:
    companies: int
    persons: int
    open_hits: int


def totals(runtime: Runtime) -> Totals:
    with runtime.readers() as session:
        companies = session.scalar(select(func.count()).select_from(Company)) or 0
        persons = session.scalar(select(func.count()).select_from(Person)) or 0
        open_hits = session.scalar(select(func.count()).where(Hit.state == "open")) or 0
    return Totals(companies, persons, open_hits)


def export_trail(runtime: Runtime, stream: TextIO) -> tuple[int, int]:
    """Every audit event, every checkpoint and the public key, as JSON lines; how many
    events and checkpoints were written."""
    public = public_key(runtime)
    with runtime.readers() as session:
        return trail.export_trail(session, stream, public)


@dataclass(frozen=True)
class AuditReport:
    path: Path
    ok: bool
    sections: dict[str, int]


def report(
    runtime: Runtime, start: date, end: date, out: Path, public_key_file: Path | None = None
) -> AuditReport:
    """The auditor's report over [start, end] (whole days, UTC) as a page; audited."""
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}")
    since = datetime.combine(start, time(), UTC)
    until = datetime.combine(end + timedelta(days=1), time(), UTC)
    checked = verify_audit_trail(runtime, public_key_file)
    with runtime.readers() as session:
        record = audit_report(session, since, until, checked, runtime.clock())
    page = render_page(
        f"Audit report {start} to {end}",
        "What the KYC screening pipeline did in the period, from its audit trail: every "
        "event by purpose and legal basis, every screening with the list versions in "
        "force and the matcher, every decision with its reviewer, the data subjects' "
        "requests, the retention runs — and whether the trail verifies.",
        [(key.replace("_", " ").capitalize(), value) for key, value in record.items()],
    )
    try:
        out.write_text(page, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{out}: cannot write the report ({error})") from error
    sections = {k: len(v) for k, v in record.items() if isinstance(v, list)}
    with transaction(runtime.sessions) as session:
        runtime.auditor().record(
            session,
            action="audit.report",
            purpose=Purpose.AUDIT,
            outcome="verified" if checked.ok else "verification_failed",
            details={"from": start.isoformat(), "to": end.isoformat(), **sections},
        )
    return AuditReport(out, checked.ok, sections)
