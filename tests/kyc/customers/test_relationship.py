"""The end of a customer relationship starts the retention clock."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from kyc.app import customers as customer_jobs
from kyc.app import rescreen as rescreen_jobs
from kyc.app.runtime import Runtime
from kyc.customers.relationship import OffboardingRefused
from kyc.store.customers import all_company_ids
from kyc.store.models import AuditEvent, Company
from tests.conftest import SAMPLES

ACME = "0712.345.630"  # in the sample customers (the test clock reads 2026-11-25)


def _company(runtime: Runtime) -> Company:
    with runtime.readers() as session:
        return session.scalars(
            select(Company).where(Company.enterprise_number == "0712345630")
        ).one()


def test_offboarding_keeps_the_data_ten_years_and_stops_rescreens(loaded: Runtime) -> None:
    with loaded.readers() as session:
        customers = len(all_company_ids(session))
    done = customer_jobs.offboard(
        loaded, ACME, ended_on=date(2026, 11, 20), reason="contract ended", refused=False
    )
    assert (done.retention_rule, done.retained_until) == ("relationship", date(2036, 11, 20))
    company = _company(loaded)
    assert company.relationship_ended_on == date(2026, 11, 20)
    assert company.retained_until == date(2036, 11, 20)
    with loaded.readers() as session:
        assert company.subject_id not in all_company_ids(session)
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "customer.offboarded")
        ).one()
    assert event.subject_ref == company.subject_id and event.purpose == "peppol_kyc"
    assert "contract ended" not in str(event.details)  # the reason stays out of the trail
    rescreen = rescreen_jobs.rescreen_all(loaded)
    assert rescreen.companies == customers - 1  # one is no longer in relationship


def test_a_refused_onboarding_is_kept_one_year(loaded: Runtime) -> None:
    done = customer_jobs.offboard(
        loaded, ACME, ended_on=date(2024, 2, 29), reason="refused: sanctions", refused=True
    )
    assert (done.retention_rule, done.retained_until) == ("rejected_onboarding", date(2025, 2, 28))


@pytest.mark.parametrize(
    ("number", "ended_on", "reason", "error", "message"),
    [
        ("0999.999.999", date(2026, 11, 1), "x", OffboardingRefused, "0999.999.999: .*mod-97"),
        ("85073003328", date(2026, 11, 1), "x", OffboardingRefused, "^that number: "),
        ("0200.065.765", date(2026, 11, 1), "x", OffboardingRefused, "is not a customer"),
        (ACME, date(2026, 11, 26), "x", OffboardingRefused, "is in the future"),
        (ACME, date(2026, 11, 1), "  ", OffboardingRefused, "a reason of 1 to 2000"),
        (ACME, date(2026, 11, 1), "asked by 85073003328", OffboardingRefused, "national number"),
    ],
)
def test_bad_offboardings_are_refused_and_change_nothing(
    loaded: Runtime, number: str, ended_on: date, reason: str, error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        customer_jobs.offboard(loaded, number, ended_on=ended_on, reason=reason, refused=False)
    assert _company(loaded).relationship_ended_on is None


def test_a_second_offboarding_is_refused(loaded: Runtime) -> None:
    customer_jobs.offboard(loaded, ACME, ended_on=date(2026, 11, 1), reason="a", refused=False)
    with pytest.raises(OffboardingRefused, match="already ended on 2026-11-01"):
        customer_jobs.offboard(loaded, ACME, ended_on=date(2026, 11, 2), reason="b", refused=False)
    assert _company(loaded).retained_until == date(2036, 11, 1)


def _ended_file(tmp_path: Path) -> Path:
    """The sample's first two customers: C-001 ended last week, C-002 "ended" next year."""
    lines = (SAMPLES / "customers.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0] + ",relationship_end,relationship_end_reason,onboarding_refused"
    ends = {"C-001": ",2026-11-20,contract ended,", "C-002": ",2027-01-31,moving away,"}
    rows = [line + ends[line[:5]] for line in lines[1:] if line[:5] in ends]
    path = tmp_path / "ends.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_a_customer_file_ends_relationships_whole_records_or_none(
    loaded: Runtime, tmp_path: Path
) -> None:
    path = _ended_file(tmp_path)
    report = customer_jobs.import_customer_file(loaded, path)
    assert _company(loaded).retained_until == date(2036, 11, 20)
    [rejected] = report.rejected
    assert rejected.label.endswith("(C-002)") and "2027-01-31 is in the future" in str(rejected)
    with loaded.readers() as session:
        brasserie = session.scalars(
            select(Company).where(Company.enterprise_number == "0723456781")
        ).one()
    assert brasserie.relationship_ended_on is None
    # The same file again: the end it gives is already recorded, nothing moves.
    again = customer_jobs.import_customer_file(loaded, path)
    assert [str(r) for r in again.rejected] == [str(rejected)]
    with loaded.readers() as session:
        ends = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "customer.offboarded")
        ).all()
    assert len(ends) == 1


def test_a_json_record_may_say_the_onboarding_was_refused(loaded: Runtime, tmp_path: Path) -> None:
    record = {
        "customer_ref": "C-001",
        "company": {"enterprise_number": ACME, "name": "ACME Logistics BV"},
        "relationship_end": {
            "ended_on": "2026-11-24",
            "reason": "onboarding refused after review",
            "onboarding_refused": True,
        },
    }
    path = tmp_path / "ends.json"
    path.write_text(json.dumps([record]), encoding="utf-8")
    report = customer_jobs.import_customer_file(loaded, path)
    assert not report.rejected
    company = _company(loaded)
    assert (company.retention_rule, company.retained_until) == (
        "rejected_onboarding",
        date(2027, 11, 24),
    )
