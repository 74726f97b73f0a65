"""The ``kyc`` command: thin over :mod:`kyc.jobs`. Every command has ``--help``.

Errors the user can act on print one line naming the file or record and the reason,
and exit with status 1; nothing already stored is changed by a failed command.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from kyc import jobs
from kyc.audit import PersonalDataInAuditEvent, export_events
from kyc.batch import BatchInputError, BatchSummary
from kyc.customers import CustomerFileError
from kyc.identifiers import InvalidIdentifier
from kyc.lists import ActivationRefused, ListNotActivated, history, list_versions
from kyc.mandates.model import Declared
from kyc.mandates.records import MandateView, mandate_views
from kyc.model import PartialDate
from kyc.pipeline import OnboardingRejected
from kyc.privacy import NationalNumberKeyMissing
from kyc.registry.address import GivenAddress
from kyc.registry.functions import FunctionsImportError
from kyc.registry.importer import RegisterImportError
from kyc.review.decisions import DecisionKind, HitView, ReviewError, decide, get_hit, list_hits
from kyc.screening import NoActiveLists
from kyc.settings import SettingsInvalid, load_settings
from kyc.store.db import SchemaOutOfDate, transaction, upgrade
from sanctions_sources.base import ListFormatError
from sanctions_sources.fetch import FetchError
from sanctions_sources.registry import SOURCES, UnknownSource

app = typer.Typer(
    help="Peppol KYC screening: CBE/KBO verification, EU/UN sanctions screening, review, audit.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
lists_app = typer.Typer(help="Sanctions lists: import, fetch, versions.", no_args_is_help=True)
registry_app = typer.Typer(
    help="The Crossroads Bank for Enterprises (KBO Open Data).", no_args_is_help=True
)
customers_app = typer.Typer(help="Customers and their representatives.", no_args_is_help=True)
screen_app = typer.Typer(help="Ad-hoc screening.", no_args_is_help=True)
review_app = typer.Typer(help="Review hits and record decisions.", no_args_is_help=True)
mandates_app = typer.Typer(
    help="Mandates: may a representative bind the company?", no_args_is_help=True
)
audit_app = typer.Typer(help="The hash-chained audit trail.", no_args_is_help=True)
for sub, name in (
    (db_app, "db"),
    (lists_app, "lists"),
    (registry_app, "registry"),
    (customers_app, "customers"),
    (screen_app, "screen"),
    (review_app, "review"),
    (mandates_app, "mandates"),
    (audit_app, "audit"),
):
    app.add_typer(sub, name=name)

out = Console(highlight=False, markup=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, markup=False, soft_wrap=True)

USER_ERRORS: tuple[type[Exception], ...] = (
    BatchInputError,
    CustomerFileError,
    FetchError,
    FileNotFoundError,
    InvalidIdentifier,
    ActivationRefused,
    ListNotActivated,
    ListFormatError,
    NationalNumberKeyMissing,
    NoActiveLists,
    OnboardingRejected,
    PersonalDataInAuditEvent,
    RegisterImportError,
    FunctionsImportError,
    ReviewError,
    SchemaOutOfDate,
    SettingsInvalid,
    UnknownSource,
    jobs.UsageError,
)

T = TypeVar("T")


@contextmanager
def _runtime(check_schema: bool = True) -> Iterator[jobs.Runtime]:
    runtime = jobs.Runtime.open(load_settings(), check_schema=check_schema)
    try:
        yield runtime
    finally:
        runtime.close()


def _run(action: Callable[[jobs.Runtime], T], *, check_schema: bool = True) -> T:
    """Run ``action`` with a runtime; turn the errors a user can fix into one clear line."""
    try:
        with _runtime(check_schema) as runtime:
            return action(runtime)
    except USER_ERRORS as error:
        err.print(f"error: {error}")
        raise typer.Exit(code=1) from None


def _print_table(table: Table) -> None:
    # Piped output has no terminal width; do not squeeze the table into 80 columns.
    wide = Console(highlight=False, markup=False, width=None if out.is_terminal else 200)
    wide.print(table)


def _json(value: Any) -> None:
    out.print_json(json.dumps(value, default=str, ensure_ascii=False))


SOURCE_HELP = f"List source: {', '.join(sorted(SOURCES))}."


# --- db --------------------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema of KYC_DATABASE_URL to the newest revision."""

    def migrate(runtime: jobs.Runtime) -> None:
        upgrade(runtime.engine)

    _run(migrate, check_schema=False)
    out.print("database schema is up to date")


# --- lists -----------------------------------------------------------------------------


def _force_reason(force: bool, reason: str | None) -> str | None:
    if force and not (reason and reason.strip()):
        raise jobs.UsageError("--force needs --reason: why the guard is overridden is audited")
    return reason.strip() if force and reason else None


ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Activate even if the file is older than the active version or much smaller.",
    ),
]
ReasonOption = Annotated[str | None, typer.Option(help="Why --force is needed (audited).")]


@lists_app.command("import")
def lists_import(
    path: Annotated[
        Path,
        typer.Argument(help="The list file (XML or CSV; for ofac a folder or zip of its CSVs)."),
    ],
    source: Annotated[str, typer.Option(help=SOURCE_HELP)],
    force: ForceOption = False,
    reason: ReasonOption = None,
) -> None:
    """Store a list file as a new version of its source and, past the gates, activate it.

    Importing the same bytes twice changes nothing. A version that fails its quality
    suite is rejected; one older than the active version, or much smaller, is held.
    Both exit with status 1 and leave the active version as it was.
    """
    result = _run(
        lambda rt: jobs.import_list(rt, source, path, force_reason=_force_reason(force, reason))
    )
    out.print(result.summary())
    if result.unnamed_entries:
        out.print(f"  entries without a name (not screened): {', '.join(result.unnamed_entries)}")


@lists_app.command("fetch")
def lists_fetch(
    source: Annotated[str, typer.Option(help=SOURCE_HELP)],
    from_dir: Annotated[
        Path | None,
        typer.Option(help="Take the newest matching file (e.g. un*.xml) from this directory."),
    ] = None,
    force: ForceOption = False,
    reason: ReasonOption = None,
) -> None:
    """Download a source's list (conditionally) or take it from --from-dir, and import it."""
    result = _run(
        lambda rt: jobs.fetch_list(rt, source, from_dir, force_reason=_force_reason(force, reason))
    )
    out.print(result.summary())


@lists_app.command("refresh")
def lists_refresh(
    from_dir: Annotated[Path | None, typer.Option(help="Directory holding the list files.")] = None,
) -> None:
    """Fetch every configured source and screen what changed (twin of refresh_lists).

    Exit status 1 when a source could not be refreshed or a version was not activated.
    """
    report = _run(lambda rt: jobs.refresh_lists(rt, from_dir=from_dir))
    for line in report.lines():
        out.print(line)
    for run in report.delta_runs:
        out.print(
            f"delta screening run {run.run_id}: {run.subjects} subjects, {len(run.opened)} new "
            f"hits, {len(run.reopened)} re-opened, {len(run.closed)} closed"
        )
    if report.refusals:
        raise typer.Exit(code=1)


@lists_app.command("activate")
def lists_activate(
    version: Annotated[int, typer.Argument(help="The version id (see `kyc lists versions`).")],
    reason: Annotated[str, typer.Option(help="Why this version should be active (audited).")],
) -> None:
    """Activate a held version (or return to an earlier one), then screen what changed."""
    if not reason.strip():
        raise typer.BadParameter("a reason is required", param_hint="--reason")
    change_set, run = _run(lambda rt: jobs.activate_version(rt, version, reason.strip()))
    out.print(
        f"version {version} is active ({change_set.added} added, {change_set.removed} removed, "
        f"{change_set.changed} changed); delta screening run {run.run_id}: {len(run.opened)} new "
        f"hits, {len(run.closed)} closed"
    )


@lists_app.command("versions")
def lists_versions() -> None:
    """Show every stored version: status, entries, digest, and which are active."""

    def show(runtime: jobs.Runtime) -> None:
        table = Table("id", "source", "published (UTC)", "entries", "sha256", "status", "active")
        with runtime.readers() as session:
            for version, active in list_versions(session):
                published = version.published_at
                table.add_row(
                    str(version.id),
                    version.source,
                    f"{published:%Y-%m-%d %H:%M}" if published else "?",
                    str(version.entry_count),
                    version.sha256[:16],
                    version.status
                    + (f": {version.status_reason}" if version.status_reason else ""),
                    "yes" if active else "",
                )
        _print_table(table)

    _run(show)


@lists_app.command("history")
def lists_history(
    source: Annotated[str | None, typer.Option(help=SOURCE_HELP)] = None,
    at: Annotated[
        str | None, typer.Option(help="Only the versions active at this ISO time (UTC).")
    ] = None,
) -> None:
    """Which version of each list was active when (every activation, with its reason)."""

    def show(runtime: jobs.Runtime) -> list[Any]:
        with runtime.readers() as session:
            rows = history(session, source)
        if at is None:
            return rows
        moment = _utc(at)
        return [
            r
            for r in rows
            if r.active_from <= moment and (r.active_until is None or moment < r.active_until)
        ]

    table = Table(
        "source", "version", "published (UTC)", "active from", "active until", "by", "reason"
    )
    for row in _run(show):
        table.add_row(
            row.source,
            str(row.version_id),
            f"{row.published_at:%Y-%m-%d %H:%M}" if row.published_at else "?",
            f"{row.active_from:%Y-%m-%d %H:%M:%S}",
            f"{row.active_until:%Y-%m-%d %H:%M:%S}" if row.active_until else "(active)",
            row.actor,
            row.reason,
        )
    _print_table(table)


def _utc(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise jobs.UsageError(f"--at {text!r} is not an ISO date or time") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@lists_app.command("diff")
def lists_diff(
    old: Annotated[
        int | None, typer.Argument(help="Older version id (default: the one NEW replaced).")
    ] = None,
    new: Annotated[
        int | None, typer.Argument(help="Newer version id (default: the newest activated).")
    ] = None,
    source: Annotated[str | None, typer.Option(help="With no ids: the source to look at.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """What changed between two versions: added, removed and changed entries (and how)."""
    result = _run(lambda rt: jobs.diff_versions(rt, old, new, source))
    if as_json:
        _json(result)
        return
    out.print(
        f"{result['source']}: version {result['old']} → {result['new']}: "
        f"{len(result['added'])} added, {len(result['removed'])} removed, "
        f"{len(result['changed'])} changed"
    )
    for entry_id in result["added"]:
        out.print(f"  + {entry_id}")
    for entry_id in result["removed"]:
        out.print(f"  - {entry_id}")
    for entry_id, fields in result["changed"].items():
        out.print(f"  ~ {entry_id}: {', '.join(fields)}")


# --- registry --------------------------------------------------------------------------


@registry_app.command("import")
def registry_import(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Extract zip or folder; default: every extract in KYC_REGISTER_DIR the "
            "register still needs, in KBO's order."
        ),
    ] = None,
    allow_partial: Annotated[
        bool, typer.Option(help="Accept a FULL extract that lacks some files.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            help="Import an extract out of sequence (older, or skipping a number); audited."
        ),
    ] = False,
) -> None:
    """Import a KBO Open Data extract (FULL or UPDATE, read from meta.csv).

    Extracts must come in KBO's order: UPDATE #n follows #n−1; an older extract, or one
    that skips a number, is refused unless forced. Without PATH, the drop folder's
    extracts that follow the register are imported one after the other."""
    if path is None:
        if force:
            raise typer.BadParameter("--force takes one extract: give its PATH")
        done = _run(
            lambda runtime: jobs.import_register_drops(
                runtime, _drop_folder(runtime), allow_partial=allow_partial
            )
        )
        for line in done.lines():
            out.print(line)
        if done.failure is not None:
            raise typer.Exit(code=1)
        return
    lines = _run(
        lambda runtime: jobs.import_register(
            runtime, path, allow_partial=allow_partial, force=force
        ).lines()
    )
    for line in lines:
        out.print(line)


def _drop_folder(runtime: jobs.Runtime) -> Path:
    if runtime.settings.register_dir is None:
        raise jobs.UsageError("give an extract path, or set KYC_REGISTER_DIR to a drop folder")
    return runtime.settings.register_dir


@registry_app.command("import-functions")
def registry_import_functions(
    file: Annotated[
        Path,
        typer.Argument(
            help="Functions as CSV (enterprise_number,function_code,first_name,last_name,"
            "holder_enterprise_number,begin,end) or as a KBO reuse XML file."
        ),
    ],
) -> None:
    """Import the functions held in enterprises (the source for mandate checks): each
    enterprise's functions in the file replace those from the same kind of file."""
    for line in _run(lambda runtime: jobs.import_functions(runtime, file).lines()):
        out.print(line)


@registry_app.command("verify")
def registry_verify(
    enterprise_number: Annotated[str, typer.Argument(help="Enterprise number, e.g. 0403.170.701.")],
    name: Annotated[str | None, typer.Option(help="The name the customer gave.")] = None,
    street: Annotated[str | None, typer.Option(help="Street of the seat given.")] = None,
    number: Annotated[str | None, typer.Option(help="House number (and box: 12 bus 3).")] = None,
    postcode: Annotated[str | None, typer.Option(help="Postcode given.")] = None,
    municipality: Annotated[str | None, typer.Option(help="Municipality given.")] = None,
    peppol_id: Annotated[
        str | None, typer.Option(help="Peppol participant id, e.g. 0208:0403170701.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Check a company against the register: verdict verified, needs_review or failed,
    with every finding (identifiers, state, name, address, Peppol id) and its evidence."""
    address = GivenAddress(street, number, None, postcode, municipality)

    def run(runtime: jobs.Runtime) -> dict[str, Any]:
        with runtime.readers() as session:
            verifier = jobs.company_verifier(runtime, session, jobs.name_comparer(runtime.settings))
            return verifier.verify(enterprise_number, name, address, peppol_id).to_dict()

    result = _run(run)
    if as_json:
        _json(result)
        return
    out.print(f"{result['enterprise_number'] or enterprise_number}: {result['verdict']}")
    for finding in result["findings"]:
        out.print(f"  [{finding['severity']}] {finding['code']}: {finding['message']}")


# --- customers -------------------------------------------------------------------------


@customers_app.command("import")
def customers_import(
    file: Annotated[Path, typer.Argument(help="Customers as .csv or .json (schema: README).")],
) -> None:
    """Validate customers and store the valid ones; list every rejected record and why.

    Exit status 1 when any record was rejected.
    """
    report = _run(lambda rt: jobs.import_customer_file(rt, file))
    out.print(
        f"{len(report.stored)} customers stored ({report.created} new), "
        f"{len(report.rejected)} rejected"
    )
    if report.mandates:
        out.print(f"mandates checked: {_counts(report.mandate_counts())}")
    for rejection in report.rejected:
        err.print(f"rejected {rejection}")
    if report.rejected:
        raise typer.Exit(code=1)


@app.command("onboard")
def onboard(
    payload: Annotated[Path, typer.Argument(help="Onboarding payload JSON: one customer.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Onboard one customer: store, verify the company, screen it and its representatives."""
    result = _run(lambda rt: jobs.onboard_payload(rt, jobs.read_payload(payload)))
    if as_json:
        _json(result.to_dict())
        return
    out.print(f"company check: {result.company_verdict}")
    for finding in result.findings:
        if finding["severity"] != "info":
            out.print(f"  [{finding['severity']}] {finding['message']}")
    for mandate in result.mandates:
        out.print(f"mandate of {mandate['person_subject_id']}: {mandate['verdict']}")
        for finding in mandate["findings"]:
            if finding["severity"] != "info":
                out.print(f"  [{finding['severity']}] {finding['message']}")
    out.print(f"hits to review: {len(result.hits_to_review)}")
    out.print(f"status: {result.status}")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key}: {value}" for key, value in sorted(counts.items())) or "none"


@app.command("rescreen")
def rescreen() -> None:
    """Re-verify every company and screen every customer against the active lists."""
    result = _run(jobs.rescreen_all)
    screening = result.screening
    out.print(
        f"{result.companies} companies re-verified ({_counts(result.verdicts)}); "
        f"mandates ({_counts(result.mandates)}); "
        f"{screening.subjects} subjects screened; {len(screening.opened)} new hits, "
        f"{len(screening.reopened)} re-opened, {len(screening.closed)} closed"
    )


# --- mandates --------------------------------------------------------------------------


def _iso_date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        err.print(f"error: {option}: {text!r} is not a date YYYY-MM-DD")
        raise typer.Exit(code=1) from None


def _birth_date(text: str | None) -> PartialDate | None:
    if text is None:
        return None
    try:
        return PartialDate.parse(text)
    except ValueError as error:
        err.print(f"error: --birth-date: {error}")
        raise typer.Exit(code=1) from None


@mandates_app.command("check")
def mandates_check(
    enterprise_number: Annotated[str, typer.Argument(help="Enterprise number, e.g. 0403.170.701.")],
    first_name: Annotated[str, typer.Option(help="The representative's first name(s).")],
    last_name: Annotated[str, typer.Option(help="The representative's last name.")],
    birth_date: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD (or YYYY): compared where the register knows it.")
    ] = None,
    function_code: Annotated[
        str | None,
        typer.Option(help="The claimed function: a KBO code (30) or a word (gérant, director)."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Check on this date, YYYY-MM-DD (default: today).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """May this person bind this company? Verdict valid, invalid or needs_review, with every
    finding (the register function, its dates, the rule for the legal form) and its evidence.

    Exit status 0 whatever the verdict; the outcome goes into the audit trail."""
    person = Declared(first_name, last_name, _birth_date(birth_date), role=function_code)
    day = _iso_date(as_of, "--as-of")
    result = _run(lambda rt: jobs.check_mandate(rt, enterprise_number, person, day)).to_dict()
    if as_json:
        _json(result)
        return
    out.print(
        f"{result['enterprise_number'] or enterprise_number}: {result['verdict']} "
        f"(on {result['as_of']}, rules {result['rules_version']})"
    )
    for finding in result["findings"]:
        out.print(f"  [{finding['severity']}] {finding['code']}: {finding['message']}")


@mandates_app.command("list")
def mandates_list(
    verdict: Annotated[
        str, typer.Option(help="needs_review, invalid, valid, or all; 'review': both of the first.")
    ] = "review",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The newest mandate check of each representative (by default those a reviewer must
    look at: needs_review and invalid), with the reasons."""
    choices = {
        "review": {"needs_review", "invalid"},
        "needs_review": {"needs_review"},
        "invalid": {"invalid"},
        "valid": {"valid"},
        "all": None,
    }
    if verdict not in choices:
        err.print(f"error: --verdict is one of {', '.join(choices)}")
        raise typer.Exit(code=1)

    def run(runtime: jobs.Runtime) -> list[MandateView]:
        with runtime.readers() as session:
            return mandate_views(session, choices[verdict])

    views = _run(run)
    if as_json:
        _json([view.to_dict() for view in views])
        return
    table = Table("check", "as of", "enterprise", "company", "representative", "role", "verdict")
    for view in views:
        table.add_row(
            str(view.check_id),
            str(view.as_of),
            view.enterprise_number,
            view.company_name,
            view.representative,
            view.role,
            view.verdict,
        )
    _print_table(table)
    for view in views:
        for reason in view.reasons:
            out.print(f"  check {view.check_id}: {reason}")
    out.print(f"{len(views)} mandate check(s)")


# --- screen ----------------------------------------------------------------------------


@screen_app.command("batch")
def screen_batch(
    input_csv: Annotated[
        Path, typer.Argument(help="CSV: id,name,kind,birth_date,nationality,country.")
    ],
    out_csv: Annotated[Path, typer.Option("--out", help="Where to write the hits CSV.")],
    threshold: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Review threshold (default KYC_REVIEW_THRESHOLD)."),
    ] = None,
) -> None:
    """Screen every row against the active list versions; one row per (subject, entry)."""
    progress = Progress(
        TextColumn("screening"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=not err.is_terminal,
    )
    task = progress.add_task("screening", total=None)

    def run(runtime: jobs.Runtime) -> BatchSummary:
        with progress:
            return jobs.screen_batch_file(
                runtime,
                input_csv,
                out_csv,
                threshold=runtime.settings.review_threshold if threshold is None else threshold,
                on_start=lambda rows: progress.update(task, total=rows),
                on_rows=lambda rows: progress.advance(task, rows),
            )

    summary = _run(run)
    out.print(
        f"{summary.rows} rows screened, {summary.hits} hits for "
        f"{summary.subjects_with_hits} subjects → {out_csv}"
    )


# --- review ----------------------------------------------------------------------------


@review_app.command("list")
def review_list(
    state: Annotated[str, typer.Option(help="open, decided, closed or all.")] = "open",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Hits waiting for a decision (or in another state)."""
    if state not in ("open", "decided", "closed", "all"):
        err.print("error: --state is open, decided, closed or all")
        raise typer.Exit(code=1)

    def run(runtime: jobs.Runtime) -> list[Any]:
        with runtime.readers() as session:
            return list_hits(session, None if state == "all" else state)

    hits = _run(run)
    if as_json:
        _json([hit.__dict__ for hit in hits])
        return
    table = Table("hit", "state", "subject", "kind", "source", "entry", "listed name", "score")
    for hit in hits:
        table.add_row(
            str(hit.id),
            hit.state + (f" ({hit.decision})" if hit.decision else ""),
            hit.subject_name,
            hit.subject_kind,
            hit.source,
            hit.entry_id,
            hit.matched_name,
            f"{hit.score:.3f}",
        )
    _print_table(table)
    out.print(f"{len(hits)} hit(s); decide with `kyc review decide HIT_ID --decision ...`")


@review_app.command("show")
def review_show(
    hit_id: Annotated[int, typer.Argument(help="The hit's number (see `kyc review list`).")],
) -> None:
    """One hit with its explanation: every feature and its contribution to the score."""

    def run(runtime: jobs.Runtime) -> HitView:
        with runtime.readers() as session:
            return get_hit(session, hit_id)

    hit = _run(run)
    out.print(f"hit {hit.id} [{hit.state}{f', {hit.decision}' if hit.decision else ''}]")
    out.print(f"  subject:  {hit.subject_name} ({hit.subject_kind}, {hit.subject_id})")
    out.print(f"  entry:    {hit.source} {hit.entry_id} {hit.entry_name}")
    out.print(f"  matched:  {hit.matched_name}")
    out.print(f"  score:    {hit.score:.3f} (band {hit.band}), {hit.matcher}")
    for feature in hit.explanation.get("features", []):
        out.print(f"    {feature['contribution']:+.3f}  {feature['feature']}: {feature['detail']}")


@review_app.command("decide")
def review_decide(
    hit_id: Annotated[int, typer.Argument(help="The hit's number (see `kyc review list`).")],
    decision: Annotated[DecisionKind, typer.Option(help="true_match or false_positive.")],
    reason: Annotated[str, typer.Option(help="Why: recorded with the decision.")],
    reviewer: Annotated[str, typer.Option(help="Who decides: the analyst's name or id.")],
) -> None:
    """Record an analyst's decision on a hit, in the audit trail."""

    def run(runtime: jobs.Runtime) -> str:
        with transaction(runtime.sessions) as session:
            view = decide(
                session,
                hit_id,
                decision=decision,
                reason=reason,
                auditor=runtime.auditor(actor=reviewer),
                now=runtime.clock(),
            )
            return f"hit {view.id} ({view.subject_name} ~ {view.entry_name}): {view.decision}"

    out.print(_run(run))


# --- audit -----------------------------------------------------------------------------


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the hash chain; report the first broken event. Exit status 1 when broken."""
    report = _run(jobs.verify_audit_chain)
    if report.ok:
        out.print(f"audit chain verified: {report.events} events, no tampering found")
        return
    err.print(
        f"audit chain BROKEN at event {report.first_broken_seq}: {report.reason} "
        f"({report.events} events verified before it)"
    )
    raise typer.Exit(code=1)


@audit_app.command("export")
def audit_export(
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write here instead of standard output.")
    ] = None,
) -> None:
    """Write every audit event as JSON lines (no personal data: subjects are pseudonyms)."""

    def run(runtime: jobs.Runtime) -> int:
        with runtime.readers() as session:
            if out_file is None:
                return export_events(session, sys.stdout)
            with out_file.open("w", encoding="utf-8") as stream:
                return export_events(session, stream)

    count = _run(run)
    if out_file is not None:
        out.print(f"{count} events written to {out_file}")


def main() -> None:  # pragma: no cover - console entry point
    app()
