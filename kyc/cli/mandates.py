"""``kyc mandates``: may a representative bind the company?"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from kyc.cli.checks import add_review_commands
from kyc.cli.common import err, out, print_json, print_table, with_runtime

if TYPE_CHECKING:
    from kyc.model import PartialDate

mandates_app = typer.Typer(
    help="Mandates: may a representative bind the company?", no_args_is_help=True
)


def _iso_date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        err.print(f"error: {option}: {text!r} is not a date YYYY-MM-DD")
        raise typer.Exit(code=1) from None


def _birth_date(text: str | None) -> PartialDate | None:
    from kyc.model import PartialDate

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
    from kyc.app import mandates as mandate_jobs
    from kyc.mandates.model import Declared

    person = Declared(first_name, last_name, _birth_date(birth_date), role=function_code)
    day = _iso_date(as_of, "--as-of")
    result = with_runtime(
        lambda rt: mandate_jobs.check_mandate(rt, enterprise_number, person, day)
    ).to_dict()
    if as_json:
        print_json(result)
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
    from rich.table import Table

    from kyc.app import mandates as mandate_jobs

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

    views = with_runtime(lambda runtime: mandate_jobs.mandate_checks(runtime, choices[verdict]))
    if as_json:
        print_json([view.to_dict() for view in views])
        return
    table = Table("check", "as of", "enterprise", "company", "representative", "role", "verdict")
    for view in views:
        table.add_row(
            str(view.check_id),
            str(view.as_of),
            view.enterprise_number,
            view.company_name,
            view.representative + (" [restricted]" if view.restricted else ""),
            view.role,
            view.verdict,
        )
    print_table(table)
    for view in views:
        for reason in view.reasons:
            out.print(f"  check {view.check_id}: {reason}")
    out.print(f"{len(views)} mandate check(s)")


add_review_commands(mandates_app, "mandate", "see `kyc mandates list`")
