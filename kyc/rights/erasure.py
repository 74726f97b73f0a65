"""Erasure (GDPR Art. 17): the subject's personal data goes everywhere it is held —
unless a retention rule still holds it (Art. 17(3)(b)): then the erasure is refused with
its ground and end date, and processing is restricted instead (Art. 18(1)(b)). Both the
refusal and the restriction are recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from kyc.audit import Auditor
from kyc.purposes import Purpose, PurposeTable
from kyc.rights.holds import Hold, holds_on
from kyc.rights.purge import PurgeCounts, purge_subjects
from kyc.rights.restriction import (
    INSTEAD_OF_ERASURE,
    Restriction,
    RightRefused,
    checked_reason,
    live_subject,
    restriction_of,
)


@dataclass(frozen=True)
class ErasureOutcome:
    subject_id: str
    erased: PurgeCounts | None = None
    holds: list[Hold] = field(default_factory=list)
    restricted: Restriction | None = None

    @property
    def refused(self) -> bool:
        return self.erased is None

    def lines(self) -> list[str]:
        if self.erased is not None:
            done = ", ".join(f"{k} {v}" for k, v in self.erased.as_dict().items() if v)
            return [f"{self.subject_id}: personal data erased ({done or 'nothing held'})"]
        lines = [f"{self.subject_id}: erasure refused — a legal obligation keeps the data:"]
        lines += [f"  {hold.line()}" for hold in self.holds]
        if self.restricted is not None:
            lines.append(f"  processing is {self.restricted.line()}")
        return lines


def erase(
    session: Session,
    subject_id: str,
    reason: str,
    *,
    today: date,
    purposes: PurposeTable,
    auditor: Auditor,
    now: datetime,
) -> ErasureOutcome:
    reason = checked_reason(reason)
    live_subject(session, subject_id)
    holds = holds_on(session, subject_id, today, purposes)
    current = restriction_of(session, subject_id)
    if current is not None and not holds:
        raise RightRefused(
            f"{subject_id} is {current.line()}; lift it with `kyc privacy unrestrict` "
            "before erasing (the restriction may have been asked for instead of erasure)"
        )
    if holds:
        return _refuse(session, subject_id, reason, holds, current, auditor, now)
    counts = purge_subjects(session, [subject_id], now)
    auditor.record(
        session,
        action="privacy.erased",
        purpose=Purpose.DATA_SUBJECT_REQUEST,
        outcome="erased",
        subject_ref=subject_id,
        details={"counts": counts.as_dict()},
    )
    return ErasureOutcome(subject_id, erased=counts)


def _refuse(
    session: Session,
    subject_id: str,
    reason: str,
    holds: list[Hold],
    current: Restriction | None,
    auditor: Auditor,
    now: datetime,
) -> ErasureOutcome:
    auditor.record(
        session,
        action="privacy.erasure_refused",
        purpose=Purpose.DATA_SUBJECT_REQUEST,
        outcome="refused",
        subject_ref=subject_id,
        details={
            "ground": "GDPR Art. 17(3)(b): a legal obligation to keep the data",
            "holds": [
                {
                    "rule": hold.rule,
                    "company": hold.company_subject_id,
                    "until": hold.until.isoformat() if hold.until else None,
                }
                for hold in holds
            ],
        },
    )
    if current is None:
        subject = live_subject(session, subject_id)
        subject.restricted_since = now
        subject.restriction_reason = f"erasure refused under a legal obligation to keep: {reason}"
        subject.restriction_ground = INSTEAD_OF_ERASURE
        auditor.record(
            session,
            action="privacy.restricted",
            purpose=Purpose.DATA_SUBJECT_REQUEST,
            outcome="restricted",
            subject_ref=subject_id,
            details={"instead_of": "erasure"},
        )
        current = Restriction(now, subject.restriction_reason)
    return ErasureOutcome(subject_id, holds=holds, restricted=current)
