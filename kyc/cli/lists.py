"""``kyc lists``: sanctions lists — import, fetch, refresh, activate, versions, history, diff."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kyc.cli.common import out, print_json, print_table, source_help, usage_error, with_runtime

if TYPE_CHECKING:
    from kyc.app.runtime import Runtime

lists_app = typer.Typer(help="Sanctions lists: import, fetch, versions.", no_args_is_help=True)

SOURCE_HELP = source_help()


def _force_reason(force: bool, reason: str | None) -> str | None:
    if force and not (reason and reason.strip()):
        raise usage_error("--force needs --reason: why the guard is overridden is audited")
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
    from kyc.app import lists as list_jobs

    result = with_runtime(
        lambda rt: list_jobs.import_list(
            rt, source, path, force_reason=_force_reason(force, reason)
        ),
        watch=True,
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
    from kyc.app import lists as list_jobs

    result = with_runtime(
        lambda rt: list_jobs.fetch_list(
            rt, source, from_dir, force_reason=_force_reason(force, reason)
        ),
        watch=True,
    )
    out.print(result.summary())


@lists_app.command("refresh")
def lists_refresh(
    from_dir: Annotated[Path | None, typer.Option(help="Directory holding the list files.")] = None,
) -> None:
    """Fetch every configured source and screen what changed (twin of refresh_lists).

    Exit status 1 when a source could not be refreshed or a version was not activated.
    """
    from kyc.app import lists as list_jobs

    report = with_runtime(lambda rt: list_jobs.refresh_lists(rt, from_dir=from_dir), watch=True)
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
    from kyc.app import lists as list_jobs

    if not reason.strip():
        raise typer.BadParameter("a reason is required", param_hint="--reason")
    change_set, run = with_runtime(
        lambda rt: list_jobs.activate_version(rt, version, reason.strip()), watch=True
    )
    out.print(
        f"version {version} is active ({change_set.added} added, {change_set.removed} removed, "
        f"{change_set.changed} changed); delta screening run {run.run_id}: {len(run.opened)} new "
        f"hits, {len(run.closed)} closed"
    )


@lists_app.command("versions")
def lists_versions() -> None:
    """Show every stored version: status, entries, digest, and which are active."""
    from rich.table import Table

    from kyc.app import lists as list_jobs

    table = Table("id", "source", "published (UTC)", "entries", "sha256", "status", "active")
    for version, active in with_runtime(list_jobs.stored_versions):
        published = version.published_at
        table.add_row(
            str(version.id),
            version.source,
            f"{published:%Y-%m-%d %H:%M}" if published else "?",
            str(version.entry_count),
            version.sha256[:16],
            version.status + (f": {version.status_reason}" if version.status_reason else ""),
            "yes" if active else "",
        )
    print_table(table)


@lists_app.command("history")
def lists_history(
    source: Annotated[str | None, typer.Option(help=SOURCE_HELP)] = None,
    at: Annotated[
        str | None, typer.Option(help="Only the versions active at this ISO time (UTC).")
    ] = None,
) -> None:
    """Which version of each list was active when (every activation, with its reason)."""
    from rich.table import Table

    from kyc.app import lists as list_jobs

    def show(runtime: Runtime) -> list[Any]:
        rows = list_jobs.activation_history(runtime, source)
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
    for row in with_runtime(show):
        table.add_row(
            row.source,
            str(row.version_id),
            f"{row.published_at:%Y-%m-%d %H:%M}" if row.published_at else "?",
            f"{row.active_from:%Y-%m-%d %H:%M:%S}",
            f"{row.active_until:%Y-%m-%d %H:%M:%S}" if row.active_until else "(active)",
            row.actor,
            row.reason,
        )
    print_table(table)


def _utc(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise usage_error(f"--at {text!r} is not an ISO date or time") from error
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
    from kyc.app import lists as list_jobs

    result = with_runtime(lambda rt: list_jobs.diff_versions(rt, old, new, source))
    if as_json:
        print_json(result)
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
