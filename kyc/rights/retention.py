"""The retention run: personal data whose retention ended is deleted or anonymised.

A company goes the day after its ``retained_until``; a person when no company still
held links to it (see :mod:`kyc.rights.holds`). A subject restricted at its own request
is kept (it may need the data for a legal claim, Art. 18(1)(c)) and counted; one
restricted because its erasure was refused goes, as it asked. Sign-in records of the
review app go after the ``security`` rule. One audit event per run gives the counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kyc.access.requests import expire as expire_api_answers
from kyc.audit import Auditor
from kyc.progress import Stages
from kyc.purposes import Purpose, PurposeTable
from kyc.rights.holds import expired_companies, expired_persons
from kyc.rights.purge import CHUNK, PurgeCounts, chunks, purge_subjects
from kyc.rights.restriction import INSTEAD_OF_ERASURE
from kyc.store.models import Subject, WebSession


@dataclass
class RetentionReport:
    as_of: date
    dry_run: bool
    companies: int = 0
    persons: int = 0
    kept_under_restriction: int = 0
    web_sessions: int = 0
    api_answers: int = 0  # kept a day for a retried onboarding (kyc.access.requests)
    counts: PurgeCounts = field(default_factory=PurgeCounts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "dry_run": self.dry_run,
            "companies": self.companies,
            "persons": self.persons,
            "kept_under_restriction": self.kept_under_restriction,
            "web_sessions": self.web_sessions,
            "api_answers": self.api_answers,
            "rows": self.counts.as_dict(),
        }

    def lines(self) -> list[str]:
        verb = "would be" if self.dry_run else "were"
        lines = [
            f"retention as of {self.as_of}: {self.companies} companies and {self.persons} "
            f"persons {verb} erased; {self.kept_under_restriction} kept under restriction; "
            f"{self.web_sessions} sign-in sessions and {self.api_answers} API answers {verb} "
            "deleted"
        ]
        lines += [f"  {name}: {count}" for name, count in self.counts.as_dict().items()]
        return lines


def run_retention(
    session: Session,
    *,
    as_of: date,
    dry_run: bool,
    purposes: PurposeTable,
    auditor: Auditor,
    now: datetime,
    stages: Stages | None = None,
) -> RetentionReport:
    """Erase what expired before ``as_of``. A dry run does it all inside a savepoint it
    rolls back: its counts are exact, and nothing changes (nor is recorded)."""
    stages = stages or Stages("retention")
    report = RetentionReport(as_of, dry_run)
    savepoint = session.begin_nested() if dry_run else None
    stages.begin("finding what expired")
    companies = _unrestricted(session, list(session.scalars(expired_companies(as_of))), report)
    persons = _unrestricted(session, list(session.scalars(expired_persons(as_of))), report)
    report.companies, report.persons = len(companies), len(persons)
    stages.begin("erasing", len(companies) + len(persons), "subjects")
    for chunk in chunks([*companies, *persons], CHUNK * 4):
        report.counts.add(purge_subjects(session, chunk, now))
        stages.advance(len(chunk))
    stages.begin("sign-in sessions")
    report.web_sessions = _expire_web_sessions(session, purposes, now)
    report.api_answers = expire_api_answers(session, now)
    if savepoint is not None:
        savepoint.rollback()
        return report
    auditor.record(
        session,
        action="retention.run",
        purpose=Purpose.RETENTION,
        outcome="completed",
        details=report.as_dict(),
    )
    return report


def _unrestricted(session: Session, ids: list[str], report: RetentionReport) -> list[str]:
    """Drop the subjects restricted at their own request (counted as kept)."""
    kept: set[str] = set()
    for chunk in chunks(ids):
        kept.update(
            session.scalars(
                select(Subject.id).where(
                    Subject.id.in_(chunk),
                    Subject.restricted_since.is_not(None),
                    Subject.restriction_ground != INSTEAD_OF_ERASURE,
                )
            )
        )
    report.kept_under_restriction += len(kept)
    return [subject_id for subject_id in ids if subject_id not in kept]


def _expire_web_sessions(session: Session, purposes: PurposeTable, now: datetime) -> int:
    rule = purposes.retention["security"]
    cutoff = now - timedelta(days=rule.days + 365 * rule.years)
    result = session.execute(
        delete(WebSession)
        .where(WebSession.last_seen_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
