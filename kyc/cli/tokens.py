"""``kyc tokens``: bearer tokens of the provider's own systems (the onboarding API)."""

from __future__ import annotations

from typing import Annotated

import typer

from kyc.cli.common import err, out, print_table, with_runtime

tokens_app = typer.Typer(
    help="Bearer tokens of the provider's systems: add, list, revoke.", no_args_is_help=True
)


@tokens_app.command("add")
def tokens_add(
    name: Annotated[str, typer.Argument(help="Who holds it (lower case: onboarding-system).")],
    scope: Annotated[
        list[str] | None,
        typer.Option(help="onboarding, customers:read (repeat the option for both)."),
    ] = None,
) -> None:
    """Make a token and print it once (only its SHA-256 is kept): give it to the system
    that will send it as ``Authorization: Bearer TOKEN``."""
    from kyc.app import tokens as token_jobs

    scopes = tuple(scope or ("onboarding", "customers:read"))
    view, token = with_runtime(lambda runtime: token_jobs.add(runtime, name, scopes))
    err.print(f"token {view.name} added ({' '.join(view.scopes)}); it is shown this once:")
    out.print(token)


@tokens_app.command("revoke")
def tokens_revoke(name: Annotated[str, typer.Argument(help="The token's name.")]) -> None:
    """Revoke a token: every later request with it is refused (and recorded)."""
    from kyc.app import tokens as token_jobs

    view = with_runtime(lambda runtime: token_jobs.revoke(runtime, name))
    out.print(f"token {view.name} revoked")


@tokens_app.command("list")
def tokens_list() -> None:
    """Every token: scopes, made, last used, revoked (never the token)."""
    from rich.table import Table

    from kyc.app import tokens as token_jobs

    table = Table("name", "scopes", "created", "last used", "revoked")
    for view in with_runtime(token_jobs.tokens):
        table.add_row(
            view.name,
            " ".join(view.scopes),
            f"{view.created_at:%Y-%m-%d %H:%M}",
            f"{view.last_used_at:%Y-%m-%d %H:%M}" if view.last_used_at else "-",
            f"{view.revoked_at:%Y-%m-%d %H:%M}" if view.revoked_at else "-",
        )
    print_table(table)
