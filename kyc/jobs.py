"""Whole jobs, each in its own transaction: what a CLI command or a flow task runs.

A job takes a :class:`Runtime` (settings, engine, clock) and plain arguments (paths,
ids), so the Prefect flows and their command-line twins call exactly the same code.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from kyc.audit import Auditor, ChainReport, Clock, utc_now, verify_chain
from kyc.batch import BatchSummary, check_input, screen_batch
from kyc.customers import load_customer_records
from kyc.lists import (
    ListImporter,
    ListImportResult,
    ListNotActivated,
    activate,
    diff,
    gates_for,
    load_entries,
    versions_ref,
)
from kyc.lists.fetches import last_download, record_download, record_failure
from kyc.mandates.check import MandateChecker
from kyc.mandates.model import Declared, MandatePolicy, MandateResult, Proxy
from kyc.mandates.records import CheckedMandate, check_representatives, due_by_date
from kyc.mandates.rules import rule_table
from kyc.matching.base import IndexedList, Matcher
from kyc.matching.cache import MatcherCache
from kyc.pipeline import (
    CustomerImportReport,
    OnboardingResult,
    Pipeline,
    check_new_mandates,
    import_customers,
    record_company_check,
    verify_company,
)
from kyc.registry import functions as registry_functions
from kyc.registry.download import download_extract
from kyc.registry.drops import DropPlan, plan_drop_imports
from kyc.registry.functions import FunctionsImport
from kyc.registry.importer import (
    RegisterImporter,
    RegisterImportError,
    RegisterImportReport,
    latest_extract,
)
from kyc.registry.peppol import SmlDns, SmpClient
from kyc.registry.quality import (
    RegisterQuality,
    check_register,
    known_codes,
    with_establishments,
)
from kyc.registry.verify import CompanyVerifier, NameComparer
from kyc.screening import (
    Screener,
    ScreeningOutcome,
    open_context,
    open_delta_context,
    open_matcher,
)
from kyc.settings import Purpose, Settings
from kyc.store.customers import all_company_ids, customer_subjects
from kyc.store.db import ensure_schema, make_engine, session_factory, transaction
from kyc.store.models import (
    Company,
    CompanyCheck,
    Hit,
    ListChangeSet,
    ListVersion,
    RegisterExtract,
    Subject,
)
from sanctions_sources.fetch import (
    Download,
    FetchError,
    download,
    download_members,
    find_local_file,
    http_session,
)
from sanctions_sources.registry import get_source


class UsageError(ValueError):
    """A command was given something it cannot use (a missing setting, an unreadable file)."""


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    readers: sessionmaker[Session]
    clock: Clock = field(default=utc_now)

    @classmethod
    def open(
        cls, settings: Settings, clock: Clock = utc_now, *, check_schema: bool = True
    ) -> Runtime:
        """Connect, and create the schema when the database is empty (unless told not to
        look at the schema at all, as ``kyc db upgrade`` does)."""
        engine = make_engine(settings.effective_database_url)
        if check_schema:
            ensure_schema(engine)
        return cls(
            settings,
            engine,
            session_factory(engine),
            session_factory(engine, read_only=True),
            clock,
        )

    def auditor(self, actor: str | None = None) -> Auditor:
        return Auditor(actor or self.settings.actor, self.settings.legal_bases, self.clock)

    def close(self) -> None:
        self.engine.dispose()

    def stored_matchers(self) -> MatcherCache:
        """Matchers built before, kept under the data directory (kyc.matching.cache)."""
        weights = asdict(self.settings.weights())
        return MatcherCache(self.settings.data_dir / "cache" / "matchers", {"weights": weights})


def name_comparer(settings: Settings) -> NameComparer:
    """Two names scored as the matcher scores them, with the weights of the settings
    (without building a matcher: the register checks compare names one pair at a time)."""
    from kyc.matching.engine import compare_names  # see default_matcher

    weights = settings.weights()
    return lambda a, b, kind: compare_names(a, b, kind, weights)


def matcher_builder(settings: Settings) -> Callable[[Sequence[IndexedList]], Matcher]:
    """The matcher, with the weights of the settings."""
    from kyc.matching.engine import build_matcher  # see default_matcher

    weights = settings.weights()
    return lambda lists: build_matcher(lists, weights)


def import_list(
    runtime: Runtime,
    source_key: str,
    path: Path,
    *,
    force_reason: str | None = None,
    fetch_id: int | None = None,
) -> ListImportResult:
    """Import a list file. A version that is stored but not activated (rejected, held)
    is committed — the attempt is part of the record — and then raised."""
    settings = runtime.settings
    source = get_source(source_key)
    gates = gates_for(source, settings.entry_range(source.key), settings.list_max_shrink)
    refusal: ListNotActivated | None = None
    with runtime.sessions() as session, session.begin():
        importer = ListImporter(session, runtime.auditor(), runtime.clock(), settings.raw_lists_dir)
        try:
            return importer.run(source, path, gates, force_reason=force_reason, fetch_id=fetch_id)
        except ListNotActivated as error:
            refusal = error
    raise refusal


@dataclass(frozen=True)
class NotModified:
    source: str
    url: str

    def summary(self) -> str:
        return f"{self.source}: not modified since the last download ({self.url})"


def fetch_list(
    runtime: Runtime,
    source_key: str,
    from_dir: Path | None = None,
    *,
    force_reason: str | None = None,
) -> ListImportResult | NotModified:
    """Take the newest file from ``from_dir`` (or ``KYC_LISTS_DIR``), else download it
    (conditionally, when a previous download left validators), then import it."""
    settings = runtime.settings
    source = get_source(source_key)
    directory = from_dir or settings.lists_dir
    if directory is not None:
        path = find_local_file(source, directory)
        return import_list(runtime, source_key, path, force_reason=force_reason)
    fetched, fetch_id = _download(
        runtime, source_key, settings.list_urls.get(source_key, source.default_url)
    )
    if fetched.path is None:
        return NotModified(source_key, fetched.url)
    return import_list(
        runtime, source_key, fetched.path, force_reason=force_reason, fetch_id=fetch_id
    )


def _download(runtime: Runtime, source_key: str, url: str) -> tuple[Download, int]:
    settings = runtime.settings
    source = get_source(source_key)
    with runtime.readers() as session:
        previous = last_download(session, source_key, url)
    timeout, max_bytes = settings.http_timeout, settings.max_download_bytes
    if not url:
        raise FetchError(
            source_key,
            "no download address is known for this source: set KYC_LIST_URLS or use --from-dir",
        )
    try:
        with http_session(settings.http_retries) as http:
            if source.member_urls is not None and source_key not in settings.list_urls:
                fetched = download_members(
                    source,
                    source.member_urls,
                    http,
                    settings.raw_lists_dir,
                    timeout=timeout,
                    max_bytes=max_bytes,
                )
            else:
                fetched = download(
                    source,
                    url,
                    http,
                    settings.raw_lists_dir,
                    etag=previous.etag if previous else None,
                    last_modified=previous.last_modified if previous else None,
                    timeout=timeout,
                    max_bytes=max_bytes,
                )
    except FetchError as error:
        with transaction(runtime.sessions) as session:
            record_failure(session, source_key, url, error.reason, runtime.clock())
        raise
    with transaction(runtime.sessions) as session:
        return fetched, record_download(session, source_key, fetched).id


def import_register(
    runtime: Runtime, path: Path, *, allow_partial: bool = False, force: bool = False
) -> RegisterImportReport:
    """Import an extract in one transaction, then check the register it made with the
    quality suite (whose findings are recorded; they do not undo the import)."""
    settings = runtime.settings
    with transaction(runtime.sessions) as session:
        importer = RegisterImporter(
            session,
            runtime.auditor(),
            runtime.clock(),
            settings.register_max_bad_row_share,
            with_activities=settings.register_activities,
        )
        report = importer.run(path, allow_partial=allow_partial, force=force)
    if report.created and report.extract_id is not None:
        report.quality = _check_register(runtime, report.extract_id, report.touched)
        if report.touched:
            report.reverified, report.mandates_moved = reverify_companies(
                runtime, report.touched, report.extract_id
            )
    return report


def reverify_companies(
    runtime: Runtime, enterprise_numbers: Iterable[str], extract_id: int | None
) -> tuple[list[str], list[str]]:
    """Check again every customer company among ``enterprise_numbers`` (those a register
    update or a functions file changed) and its representatives' mandates, and record in
    the audit trail what the change did to each check. Returns a line per company (its
    verdict before and after) and a line per mandate whose verdict moved."""
    numbers = sorted(enterprise_numbers)
    lines: list[str] = []
    mandate_lines: list[str] = []
    compare = name_comparer(runtime.settings)
    with transaction(runtime.sessions) as session:
        verifier = company_verifier(runtime, session, compare)
        mandates = mandate_checker(runtime, session, compare)
        for start in range(0, len(numbers), 500):
            chunk = numbers[start : start + 500]
            companies = session.scalars(
                select(Company).where(Company.enterprise_number.in_(chunk))
            ).all()
            for company in companies:
                lines.append(_reverify(runtime, session, verifier, company, extract_id))
                moved = _recheck_mandates(runtime, session, mandates, company)
                mandate_lines += [
                    f"{m.line()} (representative of {company.subject_id})" for m in moved
                ]
    return lines, mandate_lines


def _recheck_mandates(
    runtime: Runtime, session: Session, checker: MandateChecker, company: Company
) -> list[CheckedMandate]:
    checked = _check_mandates_today(runtime, session, checker, company, "register_change")
    return [m for m in checked if m.changed]


def _check_mandates_today(
    runtime: Runtime,
    session: Session,
    checker: MandateChecker,
    company: Company,
    trigger: str,
    persons: set[str] | None = None,
) -> list[CheckedMandate]:
    return check_representatives(
        session,
        checker,
        company,
        auditor=runtime.auditor(),
        now=runtime.clock(),
        as_of=today(runtime),
        trigger=trigger,
        persons=persons,
    )


def _reverify(
    runtime: Runtime,
    session: Session,
    verifier: CompanyVerifier,
    company: Company,
    extract_id: int | None,
) -> str:
    previous = session.scalars(
        select(CompanyCheck)
        .where(CompanyCheck.subject_id == company.subject_id)
        .order_by(CompanyCheck.id.desc())
        .limit(1)
    ).first()
    verification = verify_company(verifier, company)
    auditor = runtime.auditor()
    record_company_check(session, company, verification, auditor=auditor, now=runtime.clock())
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
    runtime: Runtime, directory: Path, *, allow_partial: bool = False
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
            done.reports.append(import_register(runtime, extract.path, allow_partial=allow_partial))
        except RegisterImportError as error:
            # Those before it stay imported (each is whole); those after it need it.
            done.failure = str(error)
            break
    return done


def import_customer_file(runtime: Runtime, path: Path) -> CustomerImportReport:
    outcome = load_customer_records(path)
    with transaction(runtime.sessions) as session:
        report = import_customers(
            session,
            outcome,
            nn_key=runtime.settings.nn_key,
            auditor=runtime.auditor(),
            now=runtime.clock(),
            source=path.name,
        )
        checker = mandate_checker(runtime, session, name_comparer(runtime.settings))
        check_new_mandates(
            session,
            report,
            checker,
            auditor=runtime.auditor(),
            now=runtime.clock(),
            today=today(runtime),
        )
        return report


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


# Mandates are judged on the calendar day in Belgium, whatever the machine's time zone.
BRUSSELS = ZoneInfo("Europe/Brussels")


def mandate_checker(runtime: Runtime, session: Session, compare: NameComparer) -> MandateChecker:
    """The mandate check with the settings' policy and the packaged rule table."""
    settings = runtime.settings
    policy = MandatePolicy(
        name_threshold=settings.mandate_name_threshold,
        name_review_threshold=settings.mandate_name_review_threshold,
        daily_management_suffices=settings.mandate_daily_management_suffices,
        proxy_acts=tuple(settings.mandate_proxy_acts),
    )
    return MandateChecker(session, compare, rule_table(), policy)


def today(runtime: Runtime) -> date:
    return runtime.clock().astimezone(BRUSSELS).date()


def _pipeline(runtime: Runtime, session: Session) -> Pipeline:
    settings = runtime.settings
    context = open_context(
        session, settings.list_sources, matcher_builder(settings), runtime.stored_matchers()
    )
    compare = context.matcher.compare_names
    return Pipeline(
        session,
        context,
        company_verifier(runtime, session, compare),
        mandate_checker(runtime, session, compare),
        runtime.auditor(),
        settings.review_threshold,
        runtime.clock(),
        today(runtime),
    )


def revalidate_mandates(runtime: Runtime) -> list[str]:
    """Check again today the mandates a date may have changed since their last check (a
    function began or ended, a proxy started or expired): the daily complement of the
    re-checks a register change or a rescreen makes. One line per mandate checked."""
    lines: list[str] = []
    with transaction(runtime.sessions) as session:
        checker = mandate_checker(runtime, session, name_comparer(runtime.settings))
        for company_id, persons in sorted(due_by_date(session, today(runtime)).items()):
            company = session.get_one(Company, company_id)
            checked = _check_mandates_today(
                runtime, session, checker, company, "date_passed", persons
            )
            lines.extend(f"{m.line()} (representative of {company_id})" for m in checked)
    return lines


def check_mandate(
    runtime: Runtime,
    enterprise_number: str,
    person: Declared,
    as_of: date | None = None,
    proxy: Proxy | None = None,
) -> MandateResult:
    """Whether ``person`` may bind the enterprise on ``as_of`` (today); the outcome and its
    reasons go into the audit trail (the person's name does not)."""
    with transaction(runtime.sessions) as session:
        checker = mandate_checker(runtime, session, name_comparer(runtime.settings))
        result = checker.check(enterprise_number, person, as_of or today(runtime), proxy)
        runtime.auditor().record(
            session,
            action="mandate.checked",
            purpose=Purpose.PEPPOL_KYC,
            outcome=str(result.verdict),
            details={
                "enterprise_number": result.enterprise_number,
                "trigger": "command line",
                "as_of": result.as_of.isoformat(),
                "register_extract_id": result.register_extract_id,
                "rules_version": result.rules_version,
                "findings": [finding.code for finding in result.findings],
            },
        )
        return result


def onboard_payload(runtime: Runtime, payload: Any) -> OnboardingResult:
    with transaction(runtime.sessions) as session:
        return _pipeline(runtime, session).onboard(payload, nn_key=runtime.settings.nn_key)


def read_payload(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(f"{path}: not a readable JSON payload ({error})") from error


@dataclass(frozen=True)
class RescreenResult:
    companies: int
    verdicts: dict[str, int]
    mandates: dict[str, int]
    screening: ScreeningOutcome


def rescreen_all(runtime: Runtime) -> RescreenResult:
    with transaction(runtime.sessions) as session:
        report = _pipeline(runtime, session).rescreen_all()
        return RescreenResult(
            sum(report.verdicts.values()), report.verdicts, report.mandates, report.screening
        )


def verify_audit_chain(runtime: Runtime) -> ChainReport:
    with runtime.readers() as session:
        return verify_chain(session)


@dataclass(frozen=True)
class Totals:
    companies: int
    persons: int
    open_hits: int


def totals(runtime: Runtime) -> Totals:
    with runtime.readers() as session:
        companies = session.scalar(select(func.count()).select_from(Company)) or 0
        subjects = session.scalar(select(func.count()).select_from(Subject)) or 0
        open_hits = session.scalar(select(func.count()).where(Hit.state == "open")) or 0
    return Totals(companies, subjects - companies, open_hits)


@dataclass
class RefreshReport:
    """Each source's outcome; refusals are kept, not raised, so one bad list does not
    stop the others."""

    results: list[ListImportResult | NotModified] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    delta_runs: list[ScreeningOutcome] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [r.summary() for r in self.results] + [f"NOT ACTIVATED: {r}" for r in self.refusals]


def refresh_lists(
    runtime: Runtime, sources: Sequence[str] | None = None, from_dir: Path | None = None
) -> RefreshReport:
    """Fetch every configured source; after each activation, screen the changes."""
    report = RefreshReport()
    for key in sources or runtime.settings.list_sources:
        try:
            result = fetch_list(runtime, key, from_dir)
        except (ListNotActivated, FetchError) as error:
            report.refusals.append(str(error))
            continue
        report.results.append(result)
        if isinstance(result, ListImportResult) and result.change_set is not None:
            report.delta_runs.append(delta_rescreen(runtime, result.change_set.id))
    return report


def activate_version(
    runtime: Runtime, version_id: int, reason: str
) -> tuple[ListChangeSet, ScreeningOutcome]:
    """A person's decision to make a (held, or earlier) version active; then the delta
    rescreen, as after any activation."""
    with transaction(runtime.sessions) as session:
        version = session.get(ListVersion, version_id)
        if version is None:
            raise UsageError(f"there is no list version {version_id}")
        change_set = activate(
            session, version, auditor=runtime.auditor(), now=runtime.clock(), reason=reason
        )
    return change_set, delta_rescreen(runtime, change_set.id)


def diff_versions(
    runtime: Runtime, old: int | None, new: int | None, source: str | None = None
) -> dict[str, Any]:
    """Added, removed and changed entries between two versions of one source.

    Without ids: the newest activation (of ``source``) against what it replaced; with
    only ``new``: against the version that was active before ``new`` was activated.
    """
    with runtime.readers() as session:
        old, new = _diff_pair(session, old, new, source)
        versions = {v: session.get(ListVersion, v) for v in (old, new)}
        missing = [str(v) for v, row in versions.items() if row is None]
        if missing:
            raise UsageError(f"there is no list version {', '.join(missing)}")
        sources = {row.source for row in versions.values() if row is not None}
        if len(sources) != 1:
            raise UsageError(f"versions {old} and {new} are of different lists")
        changes = diff(load_entries(session, old), load_entries(session, new))
    return {
        "source": sources.pop(),
        "old": old,
        "new": new,
        "added": changes.added,
        "removed": changes.removed,
        "changed": changes.changed,
    }


def _diff_pair(
    session: Session, old: int | None, new: int | None, source: str | None
) -> tuple[int, int]:
    if old is not None and new is not None:
        return old, new
    query = select(ListChangeSet).order_by(ListChangeSet.id.desc())
    if new is not None:
        query = query.where(ListChangeSet.version_id == new)
    elif source is not None:
        query = query.join(ListVersion, ListVersion.id == ListChangeSet.version_id).where(
            ListVersion.source == source
        )
    change_set = session.scalar(query.limit(1))
    if change_set is None or change_set.previous_version_id is None:
        raise UsageError("no earlier version to compare with: give both version ids")
    return change_set.previous_version_id, change_set.version_id


def delta_rescreen(runtime: Runtime, change_set_id: int) -> ScreeningOutcome:
    """Screen every customer against what one activation added or changed only, and close
    the hits on entries it removed."""
    with transaction(runtime.sessions) as session:
        context = open_delta_context(session, change_set_id, matcher_builder(runtime.settings))
        screener = Screener(
            session, context, runtime.auditor(), runtime.settings.review_threshold, runtime.clock()
        )
        return screener.run(customer_subjects(session, all_company_ids(session)), kind="delta")


def screen_batch_file(
    runtime: Runtime,
    input_path: Path,
    out_path: Path,
    *,
    threshold: float,
    on_start: Callable[[int], None] = lambda rows: None,
    on_rows: Callable[[int], None] = lambda rows: None,
) -> BatchSummary:
    """Screen an ad-hoc CSV against the active lists; only a summary goes to the audit trail."""
    checked = check_input(input_path)
    on_start(checked.rows)
    with runtime.readers() as session:
        matcher, versions = open_matcher(
            session,
            runtime.settings.list_sources,
            matcher_builder(runtime.settings),
            runtime.stored_matchers(),
        )
    summary = screen_batch(
        checked, out_path, matcher, threshold, on_rows, runtime.settings.screen_workers
    )
    with transaction(runtime.sessions) as session:
        runtime.auditor().record(
            session,
            action="screening.batch",
            purpose=Purpose.SANCTIONS_SCREENING,
            outcome="completed",
            subject_ref=f"batch:{checked.sha256[:16]}",
            list_versions=versions_ref(versions),
            matcher_version=f"{matcher.name}/{matcher.version}",
            details={
                "input_sha256": checked.sha256,
                "rows": summary.rows,
                "hits": summary.hits,
                "threshold": threshold,
            },
        )
    return summary
