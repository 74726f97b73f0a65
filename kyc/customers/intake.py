"""Customers stored from an import or an onboarding, each recorded in the audit trail,
and the mandates of the representatives it brought checked at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.audit import Auditor
from kyc.customers.relationship import OffboardingRefused, end_relationship
from kyc.customers.schema import Rejection, ValidationOutcome, ValidCustomer
from kyc.mandates.check import MandateChecker
from kyc.mandates.records import CheckedMandate, check_representatives
from kyc.purposes import Purpose, PurposeTable
from kyc.store.customers import CustomerConflict, StoredCustomer, upsert_customer
from kyc.store.models import Company


@dataclass
class CustomerImportReport:
    stored: list[StoredCustomer] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    # The mandates of the new and changed customers' representatives, checked at once.
    mandates: list[CheckedMandate] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(1 for s in self.stored if s.created)

    def mandate_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for checked in self.mandates:
            counts[str(checked.result.verdict)] = counts.get(str(checked.result.verdict), 0) + 1
        return counts


def check_new_mandates(
    session: Session,
    report: CustomerImportReport,
    checker: MandateChecker,
    *,
    auditor: Auditor,
    now: datetime,
    today: date,
) -> None:
    """Check the mandates of every representative of a customer the import created or
    changed (a new person, a new role, a new proxy)."""
    for stored in report.stored:
        if not (stored.created or stored.changed):
            continue
        company = session.get_one(Company, stored.company_subject_id)
        report.mandates += check_representatives(
            session,
            checker,
            company,
            auditor=auditor,
            now=now,
            as_of=today,
            trigger="customer_changed",
        )


def import_customers(
    session: Session,
    outcome: ValidationOutcome,
    *,
    nn_key: SecretStr | None,
    auditor: Auditor,
    now: datetime,
    today: date,
    purposes: PurposeTable,
    source: str,
) -> CustomerImportReport:
    """Store every accepted customer, and the end of its relationship where the record
    gives one; a record is stored whole or rejected (conflicts too), never in part."""
    report = CustomerImportReport(rejected=list(outcome.rejected))
    for customer in outcome.accepted:
        try:
            with session.begin_nested():
                stored = upsert_customer(session, customer, nn_key, now)
                auditor.record(
                    session,
                    action="customer.imported",
                    purpose=Purpose.PEPPOL_KYC,
                    outcome=_change(stored),
                    subject_ref=stored.company_subject_id,
                    details={
                        "representatives": list(stored.person_subject_ids),
                        "source": source,
                    },
                )
                _end(session, customer, purposes, today, auditor, now)
        except (CustomerConflict, OffboardingRefused) as error:
            report.rejected.append(Rejection(customer.label, (str(error),)))
            continue
        report.stored.append(stored)
    auditor.record(
        session,
        action="customers.import",
        purpose=Purpose.PEPPOL_KYC,
        outcome="partial" if report.rejected else "complete",
        details={
            "source": source,
            "stored": len(report.stored),
            # Which records, not why: a reason may quote what the record held (a name, a
            # birth date), and the trail is kept longer than any customer's data.
            "rejected": [r.label for r in report.rejected],
        },
    )
    return report


def _change(stored: StoredCustomer) -> str:
    return "created" if stored.created else ("updated" if stored.changed else "unchanged")


def _end(
    session: Session,
    customer: ValidCustomer,
    purposes: PurposeTable,
    today: date,
    auditor: Auditor,
    now: datetime,
) -> None:
    """The record's relationship end, if it gives one; the same end given again (a file
    imported twice) changes nothing."""
    end = customer.relationship_end
    if end is None:
        return
    company = session.scalar(
        select(Company).where(Company.enterprise_number == customer.enterprise_number)
    )
    if company is not None and company.relationship_ended_on == end.ended_on:
        return
    end_relationship(
        session,
        customer.enterprise_number,
        ended_on=end.ended_on,
        reason=end.reason,
        onboarding_refused=end.onboarding_refused,
        purposes=purposes,
        today=today,
        auditor=auditor,
        now=now,
    )
