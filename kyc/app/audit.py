"""Use cases of the audit trail and the store's totals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import func, select

from kyc.app.runtime import Runtime
from kyc.audit import ChainReport, export_events, verify_chain
from kyc.store.models import Company, Hit, Subject


def verify_audit_chain(runtime: Runtime) -> ChainReport:
    with runtime.readers() as session:
        return verify_chain(session)


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


def export_trail(runtime: Runtime, stream: TextIO) -> int:
    """Every audit event as a JSON line; the number written."""
    with runtime.readers() as session:
        return export_events(session, stream)
