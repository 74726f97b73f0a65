"""``kyc audit``: the hash-chained audit trail."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kyc.cli.common import err, out, with_runtime

if TYPE_CHECKING:
    from kyc.app.runtime import Runtime

audit_app = typer.Typer(help="The hash-chained audit trail.", no_args_is_help=True)


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the hash chain; report the first broken event. Exit status 1 when broken."""
    from kyc.app import audit as audit_jobs

    report = with_runtime(audit_jobs.verify_audit_chain)
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
    from kyc.app import audit as audit_jobs

    def run(runtime: Runtime) -> int:
        if out_file is None:
            return audit_jobs.export_trail(runtime, sys.stdout)
        with out_file.open("w", encoding="utf-8") as stream:
            return audit_jobs.export_trail(runtime, stream)

    count = with_runtime(run)
    if out_file is not None:
        out.print(f"{count} events written to {out_file}")
