"""A customer company checked against the register, and each check recorded with its
audit event: at onboarding, at a rescreen, after a register change, or asked for once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.audit import Auditor, RowId
from kyc.purposes import Purpose
from kyc.registry.address import GivenAddress
from kyc.registry.verify import CompanyVerification, CompanyVerifier
from kyc.store.models import Company, CompanyCheck


def verify_company(verifier: CompanyVerifier, company: Company) -> CompanyVerification:
    """The register check of a stored customer company, with all it declared."""
    address = GivenAddress(
        company.street, company.house_number, company.box, company.postcode, company.municipality
    )
    return verifier.verify(company.enterprise_number, company.name, address, company.peppol_id)


def record_company_check(
    session: Session,
    company: Company,
    verification: CompanyVerification,
    *,
    auditor: Auditor,
    now: datetime,
) -> CompanyCheck:
    check = CompanyCheck(
        subject_id=company.subject_id,
        checked_at=now,
        verdict=str(verification.verdict),
        findings=verification.to_dict()["findings"],
        register_extract_id=verification.register_extract_id,
    )
    session.add(check)
    auditor.record(
        session,
        action="company.verified",
        purpose=Purpose.PEPPOL_KYC,
        outcome=str(verification.verdict),
        subject_ref=company.subject_id,
        details={
            "check_id": RowId(check),
            "register_extract_id": verification.register_extract_id,
            "findings": [f.code for f in verification.findings],
        },
    )
    return check


def reverify_after_change(
    session: Session,
    verifier: CompanyVerifier,
    company: Company,
    extract_id: int | None,
    *,
    auditor: Auditor,
    now: datetime,
) -> str:
    """Check a customer company again after a register change, and record what the
    change did to its check (verdict before and after, findings added and removed).
    Returns a line saying it."""
    previous = session.scalars(
        select(CompanyCheck)
        .where(CompanyCheck.subject_id == company.subject_id)
        .order_by(CompanyCheck.id.desc())
        .limit(1)
    ).first()
    verification = verify_company(verifier, company)
    record_company_check(session, company, verification, auditor=auditor, now=now)
    before = {f["code"] for f in previous.findings} if previous else set()
    after = {f.code for f in verification.findings}
    was = previous.verdict if previous else None
    auditor.record(
        session,
        action="company.register_changed",
        purpose=Purpose.PEPPOL_KYC,
        outcome=f"{was or 'unchecked'} → {verification.verdict}",
        subject_ref=company.subject_id,
        details={
            "register_extract_id": extract_id,
            "previous_verdict": was,
            "verdict": str(verification.verdict),
            "findings_added": sorted(after - before),
            "findings_removed": sorted(before - after),
        },
    )
    return f"{company.subject_id}: {was or 'unchecked'} → {verification.verdict}"


def look_up_company(
    session: Session,
    verifier: CompanyVerifier,
    enterprise_number: str,
    name: str | None,
    address: GivenAddress,
    peppol_id: str | None,
    *,
    auditor: Auditor,
) -> CompanyVerification:
    """A company checked on request (not necessarily a customer): recorded in the trail
    by its enterprise number, a company's public identifier, with the verdict and the
    codes of the findings (what was typed is not kept when it is no enterprise number:
    it could be anything, a national number too)."""
    verification = verifier.verify(enterprise_number, name, address, peppol_id)
    auditor.record(
        session,
        action="company.looked_up",
        purpose=Purpose.PEPPOL_KYC,
        outcome=str(verification.verdict),
        subject_ref=f"enterprise:{number}" if (number := verification.enterprise_number) else None,
        details={
            "register_extract_id": verification.register_extract_id,
            "findings": [f.code for f in verification.findings],
        },
    )
    return verification
