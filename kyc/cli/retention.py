"""``kyc retention``: delete or anonymise the personal data whose retention ended."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from kyc.cli.common import out, with_runtime

retention_app = typer.Typer(help="Retention of personal data.", no_args_is_help=True)


@retention_app.command("run")
def retention_run(
    as_of: Annotated[
        datetime | None,
        typer.Option(
            "--as-of",
            formats=["%Y-%m-%d"],
            help="Erase what expired before this day (default: today, Brussels time).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would be erased; change nothing.")
    ] = False,
) -> None:
    """Erase the persons and companies whose retention ended (the relationship's end plus
    the purpose table's period), with their screened inputs, decision reasons and check
    messages; keep what the trail needs (pseudonymous ids, hashes, verdicts). One audit
    event per run gives the counts."""
    from kyc.app import retention as retention_jobs

    report = with_runtime(
        lambda rt: retention_jobs.run(rt, as_of.date() if as_of else None, dry_run=dry_run),
        watch=True,
    )
    for line in report.lines():
        out.print(line)
