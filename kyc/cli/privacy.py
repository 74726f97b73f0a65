"""``kyc privacy``: the data subject's rights. Every command names the subject one way:
``--subject ID``, ``--national-number NN`` (``-`` reads it from standard input, out of
the shell's history), or ``--name TEXT --birth-date YYYY-MM-DD``."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kyc.cli.common import err, out, usage_error, with_runtime

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
    if found.restriction is not None:
        out.print(f"  processing {found.restriction.line()}")


ReasonOption = Annotated[
    str, typer.Option("--reason", help="Why (stored; never a national number).")
]


@privacy_app.command("export")
def privacy_export(
    out_dir: Annotated[Path, typer.Option("--out", help="Directory the answer is written to.")],
    subject: SubjectOption = None,
    national_number: NationalNumberOption = None,
    name: NameOption = None,
    birth_date: BirthDateOption = None,
) -> None:
    """Access (Art. 15): everything held about the subject, as JSON and as a readable page
    (access-ID.json, access-ID.html), with what is withheld and why. Audited."""
    from kyc.app import rights as rights_jobs

    answer = with_runtime(
        lambda rt: rights_jobs.export(
            rt, selector(subject, national_number, name, birth_date), out_dir
        )
    )
    mark = " (processing restricted)" if answer.restricted else ""
    out.print(f"{answer.subject_id}{mark}: {answer.json_path} and {answer.html_path}")


@privacy_app.command("restrict")
def privacy_restrict(
    reason: ReasonOption,
    subject: SubjectOption = None,
    national_number: NationalNumberOption = None,
    name: NameOption = None,
    birth_date: BirthDateOption = None,
) -> None:
    """Restriction (Art. 18): keep the subject's data, mark it everywhere, and process it
    only for the purposes the purpose table allows under restriction. Audited."""
    from kyc.app import rights as rights_jobs

    restriction = with_runtime(
        lambda rt: rights_jobs.restrict_subject(
            rt, selector(subject, national_number, name, birth_date), reason
        )
    )
    out.print(restriction.line())


@privacy_app.command("unrestrict")
def privacy_unrestrict(
    reason: ReasonOption,
    subject: SubjectOption = None,
    national_number: NationalNumberOption = None,
    name: NameOption = None,
    birth_date: BirthDateOption = None,
) -> None:
    """Lift a restriction of processing. Audited."""
    from kyc.app import rights as rights_jobs

    lifted = with_runtime(
        lambda rt: rights_jobs.unrestrict_subject(
            rt, selector(subject, national_number, name, birth_date), reason
        )
    )
    out.print(f"restriction lifted (it was {lifted.line()})")


@privacy_app.command("erase")
def privacy_erase(
    reason: ReasonOption,
    subject: SubjectOption = None,
    national_number: NationalNumberOption = None,
    name: NameOption = None,
    birth_date: BirthDateOption = None,
) -> None:
    """Erasure (Art. 17): erase the subject's personal data everywhere — or, while a
    retention rule holds it, refuse (exit status 1) with the ground and its end date and
    restrict processing instead. Both are recorded."""
    from kyc.app import rights as rights_jobs

    outcome = with_runtime(
        lambda rt: rights_jobs.erase_subject(
            rt, selector(subject, national_number, name, birth_date), reason
        )
    )
    for line in outcome.lines():
        (err if outcome.refused else out).print(line)
    if outcome.refused:
        raise typer.Exit(code=1)


@privacy_app.command("rectify")
def privacy_rectify(
    field: Annotated[
        str,
        typer.Option(
            "--field",
            help="A person's first_name, last_name, birth_date or nationality; a company's "
            "name, street, house_number, box, postcode, municipality or country.",
        ),
    ],
    value: Annotated[str, typer.Option("--value", help="The correct value.")],
    reason: ReasonOption,
    subject: SubjectOption = None,
    national_number: NationalNumberOption = None,
    name: NameOption = None,
    birth_date: BirthDateOption = None,
) -> None:
    """Rectification (Art. 16): correct one field, then screen the subject again and
    re-check its mandates at once. The trail records the fingerprints before and after,
    never the values."""
    from kyc.app import rights as rights_jobs

    answer = with_runtime(
        lambda rt: rights_jobs.rectify_subject(
            rt, selector(subject, national_number, name, birth_date), field, value, reason
        )
    )
    for line in answer.lines():
        out.print(line)
