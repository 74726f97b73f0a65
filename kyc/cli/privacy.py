"""``kyc privacy``: the data subject's rights. Every command names the subject one way:
``--subject ID``, ``--national-number NN`` (``-`` reads it from standard input, out of
the shell's history), or ``--name TEXT --birth-date YYYY-MM-DD``."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from kyc.cli.common import out, usage_error, with_runtime

if TYPE_CHECKING:
    from kyc.rights.subjects import SubjectSelector

privacy_app = typer.Typer(help="The data subject's rights.", no_args_is_help=True)

SubjectOption = Annotated[
    str | None, typer.Option("--subject", help="The pseudonymous subject id.")
]
NationalNumberOption = Annotated[
    str | None,
    typer.Option(
        "--national-number",
        help="A national number (found through its keyed hash); - reads it from stdin.",
    ),
]
NameOption = Annotated[
    str | None, typer.Option("--name", help="First and last name (with --birth-date).")
]
BirthDateOption = Annotated[
    datetime | None,
    typer.Option("--birth-date", formats=["%Y-%m-%d"], help="YYYY-MM-DD (with --name)."),
]


def selector(
    subject: str | None,
    national_number: str | None,
    name: str | None,
    birth_date: datetime | None,
) -> SubjectSelector:
    from pydantic import SecretStr

    from kyc.rights.subjects import SubjectNotNamed, SubjectSelector

    if national_number == "-":
        national_number = sys.stdin.readline().strip()
    try:
        return SubjectSelector(
            subject,
            SecretStr(national_number) if national_number is not None else None,
            name,
            birth_date.date() if birth_date is not None else None,
        )
    except SubjectNotNamed as error:
        raise usage_error(str(error)) from None


@privacy_app.command("find")
def privacy_find(
    subject: SubjectOption = None,
    national_number: NationalNumberOption = None,
    name: NameOption = None,
    birth_date: BirthDateOption = None,
) -> None:
    """Which data subject a request is about: its subject id, kind and name. A name that
    fits several people lists them and names none (exit status 1). Audited."""
    from kyc.app import rights as rights_jobs

    found = with_runtime(
        lambda rt: rights_jobs.find(rt, selector(subject, national_number, name, birth_date))
    )
    out.print(f"{found.subject_id}: {found.kind} {found.name}")
