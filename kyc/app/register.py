"""Use cases of the register (KBO): extracts and functions imported, drop folders,
downloads, the quality suite, and the customer companies checked again."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kyc.app.mandates import mandate_checker, recheck_mandates
from kyc.app.runtime import Runtime, name_comparer
from kyc.progress import Stages
from kyc.purposes import Purpose
from kyc.registry import functions as registry_functions
from kyc.registry.address import GivenAddress
from kyc.registry.checks import look_up_company, reverify_after_change
from kyc.registry.download import download_extract
from kyc.registry.drops import DropPlan, plan_drop_imports
from kyc.registry.extract import RegisterImportError, latest_extract
from kyc.registry.functions import FunctionsImport
from kyc.registry.importer import RegisterImporter, RegisterImportReport
from kyc.registry.peppol import SmlDns, SmpClient
from kyc.registry.quality import RegisterQuality, check_register, known_codes, with_establishments
from kyc.registry.verify import CompanyVerification, CompanyVerifier, NameComparer
from kyc.review.cases import refresh_statuses
from kyc.rights.restriction import held_back_for, record_held_back
from kyc.store.db import transaction
from kyc.store.models import Company, RegisterExtract, RegisterRecheck
from sanctions_sources.fetch import http_session


def company_verifier(runtime: Runtime, session: Session, compare: NameComparer) -> CompanyVerifier:
    """The company check with the settings' thresholds and Peppol lookups."""
    settings = runtime.settings
    smp = None
    if settings.peppol_smp_lookup:
        sml = SmlDns(settings.peppol_sml_zone, settings.http_timeout, settings.peppol_dns_server)
        smp = SmpClient(
            sml,
            settings.http_timeout,
            partial(http_session, settings.http_retries),
            settings.peppol_smp_url,
        )
    return CompanyVerifier(
        session, compare, settings.company_name_threshold, smp, settings.peppol_sml_zone
    )


def import_register(
    runtime: Runtime,
    path: Path,
    *,
    allow_partial: bool = False,
    force: bool = False,
    recheck: bool = True,
) -> RegisterImportReport:
    """Import an extract in one transaction, then check the register it made with the
    quality suite (whose findings are recorded; they do not undo the import). The
    customer companies it changed are queued, in the same transaction, to be checked
    again: at once, or with ``recheck`` off by :func:`recheck_extract` when the
    extract's event comes (the deployments)."""
    settings = runtime.settings
    stages = runtime.stages(f"register import of {path.name}")
    with stages:
        with transaction(runtime.sessions) as session:
            importer = RegisterImporter(
                session,
                runtime.auditor(),
                runtime.clock(),
                settings.register_max_bad_row_share,
                with_activities=settings.register_activities,
                stages=stages,
            )
            report = importer.run(path, allow_partial=allow_partial, force=force)
            if report.created and report.extract_id is not None and report.touched:
                _queue_rechecks(session, report.extract_id, report.touched)
            stages.begin("committing")
        if report.created and report.extract_id is not None:
            stages.begin("quality suite")
            report.quality = _check_register(runtime, report.extract_id, report.touched)
            if report.touched and recheck:
                report.reverified, report.mandates_moved = recheck_extract(
                    runtime, report.extract_id, stages
                )
    return report


def _queue_rechecks(session: Session, extract_id: int, touched: Iterable[str]) -> None:
    numbers = sorted(touched)
    for start in range(0, len(numbers), 5000):
        customers = session.scalars(
            select(Company.enterprise_number).where(
                Company.enterprise_number.in_(numbers[start : start + 5000])
            )
        ).all()
        session.add_all(
            RegisterRecheck(extract_id=extract_id, enterprise_number=number) for number in customers
        )


def recheck_extract(
    runtime: Runtime, extract_id: int, stages: Stages | None = None
) -> tuple[list[str], list[str]]:
    """Check again the customer companies an extract changed that wait for it (see
    :func:`import_register`), each once: asked again (an event delivered twice), it
    finds none waiting and does nothing."""
    with runtime.readers() as session:
        numbers = session.scalars(
            select(RegisterRecheck.enterprise_number).where(
                RegisterRecheck.extract_id == extract_id
            )
        ).all()
    if not numbers:
        return [], []

    def done(session: Session) -> None:
        session.execute(
            delete(RegisterRecheck).where(
                RegisterRecheck.extract_id == extract_id,
                RegisterRecheck.enterprise_number.in_(numbers),
            )
        )

    return reverify_companies(runtime, numbers, extract_id, stages, done=done)


def reverify_companies(
    runtime: Runtime,
    enterprise_numbers: Iterable[str],
    extract_id: int | None,
    stages: Stages | None = None,
    *,
    done: Callable[[Session], None] | None = None,
) -> tuple[list[str], list[str]]:
    """Check again every customer company among ``enterprise_numbers`` (those a register
    update or a functions file changed) and its representatives' mandates, and record in
    the audit trail what the change did to each check. Returns a line per company (its
    verdict before and after) and a line per mandate whose verdict moved."""
    numbers = sorted(enterprise_numbers)
    lines: list[str] = []
    mandate_lines: list[str] = []
    compare = name_comparer(runtime.settings)
    stages = stages or runtime.stages("checking customers again")
    with stages, transaction(runtime.sessions) as session:
        stages.begin("customers checked again", len(numbers), "enterprises changed")
        verifier = company_verifier(runtime, session, compare)
        mandates = mandate_checker(runtime, session, compare)
        auditor = runtime.auditor()
        for start in range(0, len(numbers), 500):
            chunk = numbers[start : start + 500]
            companies = session.scalars(
                select(Company).where(Company.enterprise_number.in_(chunk))
            ).all()
            held_back = _held_back(runtime, session, [c.subject_id for c in companies])
            for company in companies:
                if company.subject_id in held_back:
                    record_held_back(session, company.subject_id, "register check", auditor)
                    lines.append(f"{company.subject_id}: held back (processing restricted)")
                    continue
                lines.append(
                    reverify_after_change(
                        session,
                        verifier,
                        company,
                        extract_id,
                        auditor=auditor,
                        now=runtime.clock(),
                    )
                )
                moved = recheck_mandates(runtime, session, mandates, company)
                mandate_lines += [
                    f"{m.line()} (representative of {company.subject_id})" for m in moved
                ]
            refresh_statuses(
                session, [c.subject_id for c in companies], auditor=runtime.auditor(),
                now=runtime.clock(),
            )  # fmt: skip
            stages.advance(len(chunk))
        if done is not None:
            done(session)  # in the same transaction as the checks
    return lines, mandate_lines


def _held_back(runtime: Runtime, session: Session, company_ids: list[str]) -> set[str]:
    """The companies the Peppol KYC check must leave alone (restricted, Art. 18)."""
    return held_back_for(session, company_ids, Purpose.PEPPOL_KYC, runtime.settings.purposes)


def _check_register(
    runtime: Runtime, extract_id: int, touched: frozenset[str] | None
) -> RegisterQuality:
    """The quality suite over the whole register after a FULL, over the rows of the
    enterprises it changed after an UPDATE (an update stays a matter of seconds)."""
    settings = runtime.settings
    with runtime.readers() as session:
        codes = known_codes(session)
        entities = with_establishments(session, touched) if touched is not None else []
    checked = check_register(
        codes, settings.effective_database_url, settings.register_activities, touched, entities
    )
    report_file = settings.data_dir / "register" / f"{extract_id}.quality.html"
    with transaction(runtime.sessions) as session:
        extract = session.get_one(RegisterExtract, extract_id)
        checked.write_html(
            report_file,
            f"KBO register version {extract_id} ({extract.extract_type.upper()} "
            f"#{extract.extract_number}, snapshot {extract.snapshot_date:%d-%m-%Y}): quality",
        )
        extract.quality = checked.summary()
        extract.report_file = str(report_file)
        runtime.auditor().record(
            session,
            action="register.quality_checked",
            purpose=Purpose.REGISTER_MAINTENANCE,
            outcome="passed"
            if not checked.findings
            else f"{checked.errors} errors, {checked.warnings} warnings",
            subject_ref=f"register:{extract_id}",
            details={"checks": checked.summary()["checks"], "findings": len(checked.findings)},
        )
    return checked


def import_functions(runtime: Runtime, path: Path) -> FunctionsImport:
    """Functions from a CSV or reuse-XML file, all or none; counted in the audit trail.
    The customers of the enterprises in the file are then checked again."""
    with transaction(runtime.sessions) as session:
        imported = registry_functions.import_functions(session, path)
        extract = latest_extract(session)
        runtime.auditor().record(
            session,
            action="register.functions_imported",
            purpose=Purpose.REGISTER_MAINTENANCE,
            outcome="imported",
            subject_ref=f"functions:{path.name}"[:64],
            details={
                "source": imported.source,
                "functions": imported.functions,
                "enterprises": imported.enterprises,
            },
        )
    imported.reverified, imported.mandates_moved = reverify_companies(
        runtime, imported.enterprise_numbers, extract.id if extract else None
    )
    return imported


def download_register_extract(
    runtime: Runtime, url: str, auth: tuple[str, str] | None = None
) -> Path:
    """Download an extract into the drop folder (or ``<data_dir>/register/downloads``)."""
    settings = runtime.settings
    directory = settings.register_dir or settings.data_dir / "register" / "downloads"
    return download_extract(
        url,
        directory,
        auth=auth,
        timeout=settings.http_timeout,
        max_bytes=settings.register_max_download_bytes,
    )


@dataclass
class DropImport:
    """What a drop folder held for the register, and what importing it did."""

    directory: Path
    plan: DropPlan
    reports: list[RegisterImportReport]
    holds: int | None  # the register's extract number before the import
    failure: str | None = None  # why the import stopped at an extract

    def lines(self) -> list[str]:
        lines = [line for report in self.reports for line in report.lines()]
        if self.failure is not None:
            lines.append(f"stopped: {self.failure}")
        if not self.plan.to_import:
            state = (
                f"the register holds #{self.holds}"
                if self.holds is not None
                else "the register is empty"
            )
            lines.append(f"nothing to import from {self.directory} ({state})")
        lines += [f"waiting: {line}" for line in self.plan.waiting]
        lines += [f"unreadable: {line}" for line in self.plan.unreadable]
        return lines


def import_register_drops(
    runtime: Runtime, directory: Path, *, allow_partial: bool = False, recheck: bool = True
) -> DropImport:
    """Import, each in its own transaction and in KBO's order, every extract of a drop
    folder that the register still needs (:mod:`kyc.registry.drops`)."""
    with runtime.readers() as session:
        current = latest_extract(session)
        holds = current.extract_number if current is not None else None
    plan = plan_drop_imports(directory, holds)
    done = DropImport(directory, plan, [], holds)
    for extract in plan.to_import:
        try:
            done.reports.append(
                import_register(runtime, extract.path, allow_partial=allow_partial, recheck=recheck)
            )
        except RegisterImportError as error:
            # Those before it stay imported (each is whole); those after it need it.
            done.failure = str(error)
            break
    return done


def check_company(
    runtime: Runtime,
    enterprise_number: str,
    name: str | None,
    address: GivenAddress,
    peppol_id: str | None,
) -> CompanyVerification:
    """One company checked against the register on request, recorded in the trail."""
    with transaction(runtime.sessions) as session:
        verifier = company_verifier(runtime, session, name_comparer(runtime.settings))
        return look_up_company(
            session,
            verifier,
            enterprise_number,
            name,
            address,
            peppol_id,
            auditor=runtime.auditor(),
        )
