"""``kyc screen``: ad-hoc screening of a CSV file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kyc.cli.common import out, with_runtime

screen_app = typer.Typer(help="Ad-hoc screening.", no_args_is_help=True)


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
    from kyc.app import screening as screening_jobs

    summary = with_runtime(
        lambda runtime: screening_jobs.screen_batch_file(
            runtime,
            input_csv,
            out_csv,
            threshold=runtime.settings.review_threshold if threshold is None else threshold,
        ),
        watch=True,
    )
    out.print(
        f"{summary.rows} rows screened, {summary.hits} hits for "
        f"{summary.subjects_with_hits} subjects → {out_csv}"
    )


@screen_app.command("replay")
def screen_replay(
    run_id: Annotated[int, typer.Argument(help="The screening run to replay.")],
) -> None:
    """Re-run a past screening run with the inputs it screened, the exact list versions and
    matcher parameters stored with it; report identical hits, or each difference with its
    reason (another matcher version installed, inputs erased). Exit status 1 when a
    difference has no known reason."""
    from kyc.app import screening as screening_jobs

    report = with_runtime(lambda rt: screening_jobs.replay(rt, run_id), watch=True)
    for line in report.lines():
        out.print(line)
    if report.unexplained:
        raise typer.Exit(code=1)
