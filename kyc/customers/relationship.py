"""The end of a customer relationship: when and why it ended, and how long its data is
then kept — the purpose table's ``relationship`` rule (10 years after the end, AML
practice), or its shorter ``rejected_onboarding`` rule when the onboarding was refused
before a relationship began. The end starts the retention clock that ``kyc retention``
follows; an ended customer is no longer rescreened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.audit import Auditor
from kyc.identifiers import format_enterprise_number, holds_national_number
from kyc.model import MAX_REASON, NATIONAL_NUMBER_IN_REASON
from kyc.purposes import Purpose, PurposeTable, RetentionRule
from kyc.store.models import Company

RELATIONSHIP = "relationship"
REJECTED_ONBOARDING = "rejected_onboarding"


class OffboardingRefused(ValueError):
    """The relationship cannot end as asked; nothing was changed."""


@dataclass(frozen=True)
class Offboarded:
    subject_id: str
    enterprise_number: str
    ended_on: date
    retention_rule: str
    retained_until: date

    def line(self) -> str:
        return (
            f"{format_enterprise_number(self.enterprise_number)}: relationship ended on "
            f"{self.ended_on}; its data is kept until {self.retained_until} "
            f"(retention rule {self.retention_rule})"
        )


def retained_until(ended_on: date, rule: RetentionRule) -> date:
    """``ended_on`` plus the rule's years (29 February gives 28 February in a common
    year) and days."""
    year = ended_on.year + rule.years
    try:
        later = ended_on.replace(year=year)
    except ValueError:
        later = ended_on.replace(year=year, day=28)
    return later + timedelta(days=rule.days)


def end_relationship(
    session: Session,
    enterprise_number: str,
    *,
    ended_on: date,
    reason: str,
    onboarding_refused: bool,
    purposes: PurposeTable,
    today: date,
    auditor: Auditor,
    now: datetime,
) -> Offboarded:
    """End the relationship with the customer company of ``enterprise_number`` (an
    already normalised number) on ``ended_on``, no later than ``today``."""
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise OffboardingRefused(f"a reason of 1 to {MAX_REASON} characters is needed")
    if holds_national_number(reason):  # it is stored with the customer, and shown
        raise OffboardingRefused(NATIONAL_NUMBER_IN_REASON)
    company = session.scalar(select(Company).where(Company.enterprise_number == enterprise_number))
    shown = format_enterprise_number(enterprise_number)
    if company is None:
        raise OffboardingRefused(f"{shown} is not a customer")
    if company.relationship_ended_on is not None:
        raise OffboardingRefused(
            f"{shown}: the relationship already ended on {company.relationship_ended_on}"
        )
    if ended_on > today:
        raise OffboardingRefused(f"{shown}: {ended_on} is in the future (today is {today})")
    rule = purposes.retention[REJECTED_ONBOARDING if onboarding_refused else RELATIONSHIP]
    company.relationship_ended_on = ended_on
    company.relationship_end_reason = reason
    company.retention_rule = rule.key
    company.retained_until = retained_until(ended_on, rule)
    auditor.record(
        session,
        action="customer.offboarded",
        purpose=Purpose.PEPPOL_KYC,
        outcome=rule.key,
        subject_ref=company.subject_id,
        details={
            "ended_on": ended_on.isoformat(),
            "retention_rule": rule.key,
            "retained_until": company.retained_until.isoformat(),
            "onboarding_refused": onboarding_refused,
        },
    )
    return Offboarded(
        company.subject_id, enterprise_number, ended_on, rule.key, company.retained_until
    )
