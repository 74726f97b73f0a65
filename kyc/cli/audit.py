"""``kyc audit``: the hash-chained audit trail."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kyc.cli.common import err, out, with_runtime

if TYPE_CHECKING:
    from kyc.app.runtime import Runtime
    from kyc.trail import TrailReport

audit_app = typer.Typer(help="The hash-chained audit trail.", no_args_is_help=True)


PublicKeyOption = Annotated[
    Path | None,
    typer.Option(
        "--public-key",
        help="The provider's Ed25519 public key (PEM) that verifies the checkpoints "
        "(default: the public half of KYC_AUDIT_SIGNING_KEY).",
    ),
]


@audit_app.command("verify")
def audit_verify(
    public_key: PublicKeyOption = None,
    export: Annotated[
        Path | None,
        typer.Option(
            "--export",
            help="Verify this export offline, without the database (needs --public-key).",
        ),
    ] = None,
    checkpoints: Annotated[
        Path | None,
        typer.Option(
            "--checkpoints",
            help="With --export: a checkpoint file held apart from the export (shows an "
            "export cut together with its last checkpoints).",
        ),
    ] = None,
) -> None:
    """Recompute the hash chain and check it against every signed checkpoint (in the
    database and in KYC_AUDIT_CHECKPOINT_FILE): a rewritten event, a reordered pair, a
    truncated tail, a missing or altered checkpoint, a wrong key. Exit status 1 when
    anything is wrong."""
    if export is not None:
        report = _verify_export(export, public_key, checkpoints)
    else:
        from kyc.app import audit as audit_jobs

        report = with_runtime(lambda rt: audit_jobs.verify_audit_trail(rt, public_key))
    for line in report.lines():
        (out if report.ok else err).print(line)
    if not report.ok:
        raise typer.Exit(code=1)


def _verify_export(export: Path, public_key: Path | None, checkpoints: Path | None) -> TrailReport:
    from kyc.checkpoints import CheckpointKeyInvalid, load_public_key
    from kyc.trail import ExportInvalid, verify_export

    if public_key is None:
        err.print("error: --export needs --public-key (the key the export carries proves nothing)")
        raise typer.Exit(code=1)
    try:
        return verify_export(export, load_public_key(public_key), checkpoints)
    except (CheckpointKeyInvalid, ExportInvalid) as error:
        err.print(f"error: {error}")
        raise typer.Exit(code=1) from None


@audit_app.command("export")
def audit_export(
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write here instead of standard output.")
    ] = None,
) -> None:
    """Write every audit event, every signed checkpoint and the public key as JSON lines
    (no personal data: subjects are pseudonyms); `kyc audit verify --export` checks it."""
    from kyc.app import audit as audit_jobs

    def run(runtime: Runtime) -> tuple[int, int]:
        if out_file is None:
            return audit_jobs.export_trail(runtime, sys.stdout)
        with out_file.open("w", encoding="utf-8") as stream:
            return audit_jobs.export_trail(runtime, stream)

    events, checkpoints = with_runtime(run)
    if out_file is not None:
        out.print(f"{events} events and {checkpoints} checkpoints written to {out_file}")


@audit_app.command("public-key")
def audit_public_key() -> None:
    """Print the public key (PEM) of KYC_AUDIT_SIGNING_KEY, to hand to an auditor."""
    from kyc.app import audit as audit_jobs
    from kyc.checkpoints import public_pem

    key = with_runtime(audit_jobs.public_key)
    if key is None:
        err.print("error: KYC_AUDIT_SIGNING_KEY is not set")
        raise typer.Exit(code=1)
    out.print(public_pem(key), end="")


@audit_app.command("report")
def audit_report(
    start: Annotated[
        datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="First day (UTC).")
    ],
    end: Annotated[datetime, typer.Option("--to", formats=["%Y-%m-%d"], help="Last day (UTC).")],
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="The page to write (default audit-report-FROM-TO.html)."),
    ] = None,
    public_key: PublicKeyOption = None,
) -> None:
    """The auditor's report: events by purpose and action, screenings with the list
    versions in force and the matcher, hits and checks decided with reviewers and times,
    data subjects' requests and their outcome, retention runs, and whether the chain and
    its checkpoints verify. Exit status 1 when they do not."""
    from kyc.app import audit as audit_jobs

    first, last = start.date(), end.date()
    path = out_file or Path(f"audit-report-{first}-{last}.html")
    done = with_runtime(lambda rt: audit_jobs.report(rt, first, last, path, public_key))
    counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in done.sections.items())
    (out if done.ok else err).print(
        f"{path}: {counts}; trail {'verified' if done.ok else 'verification FAILED'}"
    )
    if not done.ok:
        raise typer.Exit(code=1)
