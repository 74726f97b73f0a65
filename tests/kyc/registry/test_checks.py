"""A company checked on request is recorded in the audit trail, as every other check
is, without keeping what was typed when it is no enterprise number."""

from __future__ import annotations

from sqlalchemy import select

from kyc.app import register as register_jobs
from kyc.app.audit import verify_audit_chain
from kyc.app.runtime import Runtime
from kyc.registry.address import GivenAddress
from kyc.store.models import AuditEvent
from tests.conftest import SAMPLES

NO_ADDRESS = GivenAddress(None, None, None, None, None)


def _events(runtime: Runtime) -> list[AuditEvent]:
    with runtime.readers() as session:
        query = select(AuditEvent).where(AuditEvent.action == "company.looked_up")
        return list(session.scalars(query.order_by(AuditEvent.seq)))


def test_a_company_looked_up_is_audited_with_its_verdict(runtime: Runtime) -> None:
    register_jobs.import_register(runtime, SAMPLES / "kbo")
    checked = register_jobs.check_company(
        runtime, "0712.345.630", "ACME Logistics BV", NO_ADDRESS, None
    )
    [event] = _events(runtime)
    assert event.outcome == str(checked.verdict) == "verified"
    assert event.subject_ref == "enterprise:0712345630"
    assert "name.matches" in event.details["findings"]
    assert verify_audit_chain(runtime).ok


def test_what_is_no_enterprise_number_is_not_kept(runtime: Runtime) -> None:
    register_jobs.import_register(runtime, SAMPLES / "kbo")
    typed = "90.03.15-051.52"  # a valid national number: never stored
    checked = register_jobs.check_company(runtime, typed, None, NO_ADDRESS, None)
    [event] = _events(runtime)
    assert checked.verdict == "failed"
    assert event.subject_ref is None
    assert "90031505152" not in str(event.details) and typed not in str(event.details)
