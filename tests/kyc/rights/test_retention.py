"""The retention run: what expired goes, on the day after its retention ends, and what a
held company still links to stays."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from kyc.app import customers as customer_jobs
from kyc.app import rescreen as rescreen_jobs
from kyc.app import retention as retention_jobs
from kyc.app import rights as rights_jobs
from kyc.app.runtime import Runtime, UsageError
from kyc.audit import verify_chain
from kyc.rights.subjects import SubjectSelector
from kyc.store.models import AuditEvent, Company, Person, Subject
from tests.rights_support import move_clock, text_columns_holding

ACME = "0712.345.630"  # Jan Peeters and Viktor Sokolov represent it
UNIQUE = ["Quorvex", "Zyxwq", "Plonkett", "Wobbelstraat", "C-900"]


def _plant_customer(runtime: Runtime, tmp_path: Path) -> None:
    """A customer whose every word is found nowhere else (list, register, samples)."""
    path = tmp_path / "planted.csv"
    path.write_text(
        "customer_ref,enterprise_number,company_name,street,house_number,postcode,"
        "municipality,country,rep_first_name,rep_last_name,rep_birth_date,rep_role\n"
        "C-900,0200.065.765,Quorvex Trading BV,Wobbelstraat,7,9000,Gent,BE,Zyxwq,Plonkett,"
        "1958-02-03,director\n",
        encoding="utf-8",
    )
    assert not customer_jobs.import_customer_file(runtime, path).rejected


def test_retention_erases_on_the_day_after_and_keeps_the_trail(
    loaded: Runtime, tmp_path: Path
) -> None:
    _plant_customer(loaded, tmp_path)
    rescreen_jobs.rescreen_all(loaded)
    customer_jobs.offboard(  # kept until 2036-11-01
        loaded, "0200.065.765", ended_on=date(2026, 11, 1), reason="Zyxwq left", refused=False
    )
    assert text_columns_holding(loaded.engine, UNIQUE)
    move_clock(loaded, datetime(2036, 11, 2, 10, tzinfo=UTC))
    on_the_day = retention_jobs.run(loaded, date(2036, 11, 1), dry_run=True)
    assert (on_the_day.companies, on_the_day.persons) == (0, 0)
    ahead = retention_jobs.run(loaded, date(2036, 11, 2), dry_run=True)
    assert (ahead.companies, ahead.persons) == (1, 1)
    assert ahead.counts.screened_inputs >= 2 and ahead.counts.representations == 1
    assert text_columns_holding(loaded.engine, UNIQUE), "a dry run changes nothing"
    with loaded.readers() as session:
        assert not session.scalars(
            select(AuditEvent).where(AuditEvent.action == "retention.run")
        ).all()

    report = retention_jobs.run(loaded)
    assert (report.companies, report.persons) == (1, 1)
    assert report.counts == ahead.counts
    assert text_columns_holding(loaded.engine, UNIQUE) == []
    with loaded.readers() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "retention.run")
        ).one()
        assert event.purpose == "retention"
        assert event.details["rows"]["persons"] == 1
        assert event.details["companies"] == 1
        assert verify_chain(session).ok
        erased = session.scalars(select(Subject).where(Subject.erased_at.is_not(None))).all()
        assert len(erased) == 2
        assert session.scalar(select(Company).where(Company.enterprise_number == "0712345630"))
    again = retention_jobs.run(loaded)
    assert (again.companies, again.persons, again.counts.total) == (0, 0, 0)


def test_the_representative_of_a_held_company_is_kept(loaded: Runtime, tmp_path: Path) -> None:
    """Jan Peeters also represents a second customer (a representative is stored per
    company): the ended one's records of him go, the other's stay."""
    second = tmp_path / "second.csv"
    second.write_text(
        "customer_ref,enterprise_number,company_name,rep_first_name,rep_last_name,"
        "rep_birth_date,rep_role,rep_national_number\n"
        "C-100,0200.065.765,Gemeente Test,Jan,Peeters,1970-05-12,director,70051212352\n",
        encoding="utf-8",
    )
    assert not customer_jobs.import_customer_file(loaded, second).rejected
    customer_jobs.offboard(loaded, ACME, ended_on=date(2026, 11, 20), reason="gone", refused=True)
    move_clock(loaded, datetime(2027, 11, 22, tzinfo=UTC))
    report = retention_jobs.run(loaded)
    assert (report.companies, report.persons) == (1, 2)  # ACME, its Jan and Viktor
    with loaded.readers() as session:
        names = [p.last_name for p in session.scalars(select(Person))]
    assert names.count("Peeters") == 1 and "Sokolov" not in names


def test_a_subject_restricted_at_its_request_outlives_its_retention(loaded: Runtime) -> None:
    customer_jobs.offboard(loaded, ACME, ended_on=date(2026, 11, 20), reason="gone", refused=True)
    viktor = SubjectSelector(name="Viktor Sokolov", birth_date=date(1961, 3, 14))
    rights_jobs.restrict_subject(loaded, viktor, "needs it for a claim")
    move_clock(loaded, datetime(2027, 11, 22, tzinfo=UTC))
    report = retention_jobs.run(loaded)
    assert (report.companies, report.persons, report.kept_under_restriction) == (1, 1, 1)
    assert rights_jobs.find(loaded, viktor).name == "Viktor Sokolov"


def test_only_a_dry_run_looks_ahead(loaded: Runtime) -> None:
    with pytest.raises(UsageError, match="only a --dry-run may look ahead"):
        retention_jobs.run(loaded, date(2040, 1, 1))
    assert retention_jobs.run(loaded, date(2040, 1, 1), dry_run=True).companies == 0
