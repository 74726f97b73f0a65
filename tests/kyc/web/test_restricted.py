"""A restricted subject in the review app: marked on every page, and every read recorded
with who read it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy import select

from kyc.app import customers as customer_jobs
from kyc.app import retention as retention_jobs
from kyc.app import review as review_jobs
from kyc.app import rights as rights_jobs
from kyc.app.runtime import Runtime
from kyc.rights.subjects import SubjectSelector
from kyc.store.models import AuditEvent, Company
from tests.kyc.web.conftest import Browser
from tests.rights_support import move_clock

Open = Callable[[str | None], Browser]


def test_restricted_subjects_are_marked_and_their_reads_recorded(
    browser: Open, hits: Runtime
) -> None:
    hit = next(h for h in review_jobs.hits(hits, "open") if h.subject_kind == "person")
    company = review_jobs.customer_of_hit(hits, hit.subject_id)
    rights_jobs.restrict_subject(hits, SubjectSelector(subject_id=hit.subject_id), "contests")
    ana = browser("ana")
    queue = ana.get("/queue").text
    assert 'class="tag restricted">restricted</span>' in queue
    page = ana.get(f"/hits/{hit.id}").text
    assert "restricted (GDPR Art. 18)" in page and "is recorded in the audit trail" in page
    case = ana.get(f"/cases/{company}").text
    assert "The processing of 1 subject(s) of this case is restricted" in case
    with hits.readers() as session:
        reads = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "privacy.restricted_access")
        ).all()
    assert [(e.actor, e.details["where"], e.purpose) for e in reads] == [
        ("ana", f"hit {hit.id}", "review"),
        ("ana", f"case {company}", "review"),
    ]
    assert all(e.subject_ref == hit.subject_id for e in reads)


def test_after_retention_erased_a_customer_every_page_still_answers(
    browser: Open, hits: Runtime
) -> None:
    hit = next(h for h in review_jobs.hits(hits, "open") if h.subject_kind == "person")
    company = review_jobs.customer_of_hit(hits, hit.subject_id)
    with hits.readers() as session:
        number = session.get_one(Company, company).enterprise_number
    customer_jobs.offboard(hits, number, ended_on=date(2026, 11, 20), reason="gone", refused=True)
    move_clock(hits, datetime(2027, 12, 1, tzinfo=UTC))
    assert retention_jobs.run(hits).companies == 1
    aud = browser("aud")
    for path in ("/queue?state=all", "/checks", "/dashboard", f"/hits/{hit.id}"):
        page = aud.get(path)
        assert page.status_code == 200, path
    assert "(personal data erased)" in aud.get(f"/hits/{hit.id}").text
    assert aud.get(f"/cases/{company}").status_code == 404
