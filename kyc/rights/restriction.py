"""Restriction of processing (GDPR Art. 18): the data is kept, marked, and processed only
for the purposes the purpose table allows under restriction; every access to it is
recorded."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.audit import Auditor
from kyc.identifiers import holds_national_number
from kyc.model import MAX_REASON, NATIONAL_NUMBER_IN_REASON, ScreeningSubject
from kyc.purposes import Purpose, PurposeTable
from kyc.store.models import Subject

# Why a subject is restricted: at its own request, or instead of a refused erasure.
AT_REQUEST = "request"
INSTEAD_OF_ERASURE = "erasure_refused"


class RightRefused(ValueError):
    """A data subject's request cannot be carried out as asked; nothing was changed."""


@dataclass(frozen=True)
class Restriction:
    since: datetime
    reason: str

    def line(self) -> str:
        return f"restricted since {self.since:%Y-%m-%d %H:%M} UTC: {self.reason}"


def checked_reason(reason: str) -> str:
    """A request's reason is stored and shown: bounded, and never a national number."""
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise RightRefused(f"a reason of 1 to {MAX_REASON} characters is needed")
    if holds_national_number(reason):
        raise RightRefused(NATIONAL_NUMBER_IN_REASON)
    return reason


def live_subject(session: Session, subject_id: str) -> Subject:
    """The subject, refused when its personal data is already erased."""
    subject = session.get_one(Subject, subject_id)
    if subject.erased_at is not None:
        raise RightRefused(
            f"{subject_id}: its personal data was erased on {subject.erased_at:%Y-%m-%d}"
        )
    return subject


def restriction_of(session: Session, subject_id: str) -> Restriction | None:
    subject = session.get(Subject, subject_id)
    if subject is None or subject.restricted_since is None:
        return None
    return Restriction(subject.restricted_since, subject.restriction_reason or "")


def restricted_among(session: Session, subject_ids: Iterable[str]) -> set[str]:
    """Which of these subjects are restricted (one query per 500 ids)."""
    ids = sorted(set(subject_ids))
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        found.update(
            session.scalars(
                select(Subject.id).where(
                    Subject.id.in_(ids[start : start + 500]), Subject.restricted_since.is_not(None)
                )
            )
        )
    return found


def held_back_for(
    session: Session, subject_ids: Iterable[str], purpose: Purpose, purposes: PurposeTable
) -> set[str]:
    """The subjects ``purpose`` must leave alone: the restricted ones, unless the purpose
    table allows the purpose under restriction (Art. 18(2))."""
    if purposes.allowed_under_restriction(purpose):
        return set()
    return restricted_among(session, subject_ids)


def restrict(
    session: Session, subject_id: str, reason: str, *, auditor: Auditor, now: datetime
) -> Restriction:
    """Restrict the subject's processing; a subject already restricted stays as it is."""
    reason = checked_reason(reason)
    subject = live_subject(session, subject_id)
    if subject.restricted_since is not None:
        current = Restriction(subject.restricted_since, subject.restriction_reason or "")
        raise RightRefused(f"{subject_id} is already {current.line()}")
    subject.restricted_since, subject.restriction_reason = now, reason
    subject.restriction_ground = AT_REQUEST
    auditor.record(
        session,
        action="privacy.restricted",
        purpose=Purpose.DATA_SUBJECT_REQUEST,
        outcome="restricted",
        subject_ref=subject_id,
    )
    return Restriction(now, reason)


def unrestrict(
    session: Session, subject_id: str, reason: str, *, auditor: Auditor, now: datetime
) -> Restriction:
    """Lift the restriction; returns the one lifted."""
    checked_reason(reason)
    subject = live_subject(session, subject_id)
    if subject.restricted_since is None:
        raise RightRefused(f"{subject_id} is not restricted")
    lifted = Restriction(subject.restricted_since, subject.restriction_reason or "")
    subject.restricted_since, subject.restriction_reason = None, None
    subject.restriction_ground = None
    auditor.record(
        session,
        action="privacy.unrestricted",
        purpose=Purpose.DATA_SUBJECT_REQUEST,
        outcome="unrestricted",
        subject_ref=subject_id,
        details={"restricted_since": lifted.since.isoformat()},
    )
    return lifted


def record_access(
    session: Session, subject_id: str, *, auditor: Auditor, purpose: Purpose, where: str
) -> None:
    """An access to a restricted subject's data (a page, a command, an export)."""
    auditor.record(
        session,
        action="privacy.restricted_access",
        purpose=purpose,
        outcome="read",
        subject_ref=subject_id,
        details={"where": where},
    )


def record_held_back(session: Session, subject_id: str, what: str, auditor: Auditor) -> None:
    """A processing the restriction held back (the trail says why nothing was done)."""
    auditor.record(
        session,
        action="privacy.held_back",
        purpose=Purpose.DATA_SUBJECT_REQUEST,
        outcome="restricted",
        subject_ref=subject_id,
        details={"processing": what},
    )


def screenable(
    session: Session,
    subjects: list[ScreeningSubject],
    purposes: PurposeTable,
    auditor: Auditor,
) -> list[ScreeningSubject]:
    """The subjects sanctions screening may process; the others are recorded as held
    back (none, with the shipped table: screening goes on under restriction)."""
    held = held_back_for(
        session, [s.subject_id for s in subjects], Purpose.SANCTIONS_SCREENING, purposes
    )
    for subject_id in sorted(held):
        record_held_back(session, subject_id, "sanctions screening", auditor)
    return [s for s in subjects if s.subject_id not in held]
