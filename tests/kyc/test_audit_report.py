"""The auditor's report: what happened in a period, and whether the trail verifies."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from kyc.app import audit as audit_jobs
from kyc.app import rescreen as rescreen_jobs
from kyc.app import retention as retention_jobs
from kyc.app import rights as rights_jobs
from kyc.app.runtime import Runtime
from kyc.rights.subjects import SubjectSelector
from kyc.store.models import AuditEvent
from tests.conftest import decided


def test_the_report_covers_screenings_decisions_requests_and_retention(
    loaded: Runtime, tmp_path: Path
) -> None:
    rescreen_jobs.rescreen_all(loaded)
    hit = audit_report_hit(loaded)
    decided(loaded, hit, "false_positive", "other birth year")
    rights_jobs.restrict_subject(
        loaded, SubjectSelector(name="Jan Peeters", birth_date=date(1970, 5, 12)), "contests"
    )
    retention_jobs.run(loaded)
    out = tmp_path / "report.html"
    done = audit_jobs.report(loaded, date(2026, 11, 25), date(2026, 11, 25), out)
    assert done.ok
    assert done.sections["screenings"] == 1 and done.sections["hit_decisions"] == 1
    assert done.sections["data_subject_requests"] == 1
    assert done.sections["retention_runs"] == 1
    page = out.read_text(encoding="utf-8")
    assert "sanctions_screening" in page and "GDPR Art. 6(1)(c)" in page
    assert "sha256" in page and "ana" in page and "bob" in page
    assert "restriction_requested" in page and "verified" in page
    empty = audit_jobs.report(loaded, date(2026, 1, 1), date(2026, 1, 31), tmp_path / "e.html")
    assert done.ok and empty.sections["screenings"] == 0
    with loaded.readers() as session:
        assert (
            len(
                session.scalars(select(AuditEvent).where(AuditEvent.action == "audit.report")).all()
            )
            == 2
        )


def audit_report_hit(runtime: Runtime) -> int:
    from kyc.app import review as review_jobs

    return review_jobs.hits(runtime, "open")[0].id
