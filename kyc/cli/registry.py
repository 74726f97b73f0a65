"""``kyc registry``: the Crossroads Bank for Enterprises (KBO Open Data)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kyc.cli.checks import add_review_commands
from kyc.cli.common import out, print_json, usage_error, with_runtime

if TYPE_CHECKING:
    from kyc.app.runtime import Runtime

registry_app = typer.Typer(
    help="The Crossroads Bank for Enterprises (KBO Open Data).", no_args_is_help=True
)


@registry_app.command("import")
def registry_import(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Extract zip or folder; default: every extract in KYC_REGISTER_DIR the "
            "register still needs, in KBO's order."
        ),
    ] = None,
    allow_partial: Annotated[
        bool, typer.Option(help="Accept a FULL extract that lacks some files.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            help="Import an extract out of sequence (older, or skipping a number); audited."
        ),
    ] = False,
) -> None:
    """Import a KBO Open Data extract (FULL or UPDATE, read from meta.csv).

    Extracts must come in KBO's order: UPDATE #n follows #n−1; an older extract, or one
    that skips a number, is refused unless forced. Without PATH, the drop folder's
    extracts that follow the register are imported one after the other."""
    from kyc.app import register as register_jobs

    if path is None:
        if force:
            raise typer.BadParameter("--force takes one extract: give its PATH")
        done = with_runtime(
            lambda runtime: register_jobs.import_register_drops(
                runtime, _drop_folder(runtime), allow_partial=allow_partial
            ),
            watch=True,
        )
        for line in done.lines():
            out.print(line)
        if done.failure is not None:
            raise typer.Exit(code=1)
        return
    lines = with_runtime(
        lambda runtime: register_jobs.import_register(
            runtime, path, allow_partial=allow_partial, force=force
        ).lines(),
        watch=True,
    )
    for line in lines:
        out.print(line)


def _drop_folder(runtime: Runtime) -> Path:
    if runtime.settings.register_dir is None:
        raise usage_error("give an extract path, or set KYC_REGISTER_DIR to a drop folder")
    return runtime.settings.register_dir


@registry_app.command("import-functions")
def registry_import_functions(
    file: Annotated[
        Path,
        typer.Argument(
            help="Functions as CSV (enterprise_number,function_code,first_name,last_name,"
            "holder_enterprise_number,begin,end) or as a KBO reuse XML file."
        ),
    ],
) -> None:
    """Import the functions held in enterprises (the source for mandate checks): each
    enterprise's functions in the file replace those from the same kind of file."""
    from kyc.app import register as register_jobs

    for line in with_runtime(lambda runtime: register_jobs.import_functions(runtime, file).lines()):
        out.print(line)


@registry_app.command("verify")
def registry_verify(
    enterprise_number: Annotated[str, typer.Argument(help="Enterprise number, e.g. 0403.170.701.")],
    name: Annotated[str | None, typer.Option(help="The name the customer gave.")] = None,
    street: Annotated[str | None, typer.Option(help="Street of the seat given.")] = None,
    number: Annotated[str | None, typer.Option(help="House number (and box: 12 bus 3).")] = None,
    postcode: Annotated[str | None, typer.Option(help="Postcode given.")] = None,
    municipality: Annotated[str | None, typer.Option(help="Municipality given.")] = None,
    peppol_id: Annotated[
        str | None, typer.Option(help="Peppol participant id, e.g. 0208:0403170701.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Check a company against the register: verdict verified, needs_review or failed,
    with every finding (identifiers, state, name, address, Peppol id) and its evidence."""
    from kyc.app import register as register_jobs
    from kyc.registry.address import GivenAddress

    address = GivenAddress(street, number, None, postcode, municipality)

    def run(runtime: Runtime) -> dict[str, Any]:
        checked = register_jobs.check_company(runtime, enterprise_number, name, address, peppol_id)
        return checked.to_dict()

    result = with_runtime(run)
    if as_json:
        print_json(result)
        return
    out.print(f"{result['enterprise_number'] or enterprise_number}: {result['verdict']}")
    for finding in result["findings"]:
        out.print(f"  [{finding['severity']}] {finding['code']}: {finding['message']}")


add_review_commands(registry_app, "company", "the customer's case in the review app")
