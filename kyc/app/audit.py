"""Use cases of the audit trail and the store's totals."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select

from kyc import trail
from kyc.app.runtime import Runtime
from kyc.audit import ChainReport, verify_chain
from kyc.checkpoints import load_public_key, load_signing_key
from kyc.store.models import Company, Hit, Subject
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
        subjects = session.scalar(select(func.count()).select_from(Subject)) or 0
        open_hits = session.scalar(select(func.count()).where(Hit.state == "open")) or 0
    return Totals(companies, subjects - companies, open_hits)


def export_trail(runtime: Runtime, stream: TextIO) -> tuple[int, int]:
    """Every audit event, every checkpoint and the public key, as JSON lines; how many
    events and checkpoints were written."""
    public = public_key(runtime)
    with runtime.readers() as session:
        return trail.export_trail(session, stream, public)
