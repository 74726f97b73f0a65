"""``kyc screen``: ad-hoc screening of a CSV file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kyc.cli.common import err, out, with_runtime

if TYPE_CHECKING:
    from kyc.batch import BatchSummary

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
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from kyc.app import screening as screening_jobs
    from kyc.app.runtime import Runtime

    progress = Progress(
        TextColumn("screening"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=not err.is_terminal,
    )
    task = progress.add_task("screening", total=None)

    def run(runtime: Runtime) -> BatchSummary:
        with progress:
            return screening_jobs.screen_batch_file(
                runtime,
                input_csv,
                out_csv,
                threshold=runtime.settings.review_threshold if threshold is None else threshold,
                on_start=lambda rows: progress.update(task, total=rows),
                on_rows=lambda rows: progress.advance(task, rows),
            )

    summary = with_runtime(run)
    out.print(
        f"{summary.rows} rows screened, {summary.hits} hits for "
        f"{summary.subjects_with_hits} subjects → {out_csv}"
    )
