"""``kyc customers``, ``kyc onboard`` and ``kyc rescreen``: customers and their screening."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kyc.cli.common import err, out, print_json, with_runtime

if TYPE_CHECKING:
    pass

customers_app = typer.Typer(help="Customers and their representatives.", no_args_is_help=True)
customers_extra = typer.Typer()


@customers_app.command("import")
def customers_import(
    file: Annotated[Path, typer.Argument(help="Customers as .csv or .json (schema: README).")],
) -> None:
    """Validate customers and store the valid ones; list every rejected record and why.

    Exit status 1 when any record was rejected.
    """
    from kyc.app import customers as customer_jobs

    report = with_runtime(lambda rt: customer_jobs.import_customer_file(rt, file))
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


@customers_extra.command("onboard")
def onboard(
    payload: Annotated[Path, typer.Argument(help="Onboarding payload JSON: one customer.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Onboard one customer: store, verify the company, screen it and its representatives."""
    from kyc.app import customers as customer_jobs

    result = with_runtime(
        lambda rt: customer_jobs.onboard_payload(rt, customer_jobs.read_payload(payload))
    )
    if as_json:
        print_json(result.to_dict())
        return
    out.print(f"company check: {result.company_verdict}")
    for finding in result.findings:
        if finding["severity"] != "info":
            out.print(f"  [{finding['severity']}] {finding['message']}")
    for mandate in result.mandates:
        person = mandate["person_subject_id"]
        out.print(f"mandate of {result.names.get(person, person)}: {mandate['verdict']}")
        for finding in mandate["findings"]:
            if finding["severity"] != "info":
                out.print(f"  [{finding['severity']}] {finding['message']}")
    out.print(f"hits to review: {len(result.hits_to_review)}")
    for line in result.hit_lines:
        out.print(f"  {line}")
    out.print(f"status: {result.status}")


@customers_app.command("offboard")
def customers_offboard(
    enterprise_number: Annotated[str, typer.Argument(help="The customer company's number.")],
    ended_on: Annotated[
        datetime,
        typer.Option("--date", formats=["%Y-%m-%d"], help="The day the relationship ended."),
    ],
    reason: Annotated[str, typer.Option(help="Why it ended (kept until the data is purged).")],
    onboarding_refused: Annotated[
        bool,
        typer.Option(
            "--onboarding-refused",
            help="The onboarding was refused before a relationship began: the shorter "
            "retention rule applies.",
        ),
    ] = False,
) -> None:
    """End a customer relationship: it is no longer rescreened, and its data is kept
    until the retention the purpose table gives ends (10 years after the end, 1 year
    after a refused onboarding)."""
    from kyc.app import customers as customer_jobs

    done = with_runtime(
        lambda rt: customer_jobs.offboard(
            rt,
            enterprise_number,
            ended_on=ended_on.date(),
            reason=reason,
            refused=onboarding_refused,
        )
    )
    out.print(done.line())


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key}: {value}" for key, value in sorted(counts.items())) or "none"


@customers_extra.command("rescreen")
def rescreen(
    resume: Annotated[
        bool, typer.Option("--resume", help="Finish the interrupted run, if there is one.")
    ] = False,
    restart: Annotated[
        bool,
        typer.Option("--restart", help="Abandon the interrupted run and start a new one."),
    ] = False,
) -> None:
    """Re-verify every company and screen every customer against the active lists.

    The customers are done in partitions of KYC_RESCREEN_PARTITION_SIZE, each committed
    on its own: a run that dies is finished with --resume. Exit status 1 when a run is
    under way elsewhere, or one was interrupted and neither option says what to do.
    """
    from kyc.app import rescreen as rescreen_jobs

    if resume and restart:
        raise typer.BadParameter("--resume and --restart exclude each other")
    result = with_runtime(
        lambda rt: rescreen_jobs.rescreen_all(rt, resume=resume, restart=restart), watch=True
    )
    for note in result.notes:
        err.print(note)
    screening = result.screening
    resumed = f", resumed {result.resumed} time(s)" if result.resumed else ""
    out.print(
        f"rescreen run {result.run_id} ({result.partitions} partitions{resumed}): "
        f"{result.companies} companies re-verified ({_counts(result.verdicts)}); "
        f"mandates ({_counts(result.mandates)}); "
        f"{screening.subjects} subjects screened; {len(screening.opened)} new hits, "
        f"{len(screening.reopened)} re-opened, {len(screening.closed)} closed"
    )
