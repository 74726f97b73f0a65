"""``kyc users``: the accounts of the review app and of the review commands."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from kyc.cli.common import out, print_json, print_table, usage_error, with_runtime

if TYPE_CHECKING:
    from kyc.access.accounts import Account

users_app = typer.Typer(
    help="Accounts of the review app: add, list, disable.", no_args_is_help=True
)

ROLE_HELP = (
    "analyst (proposes decisions), approver (approves others' proposals), auditor (reads "
    "everything, changes nothing) or admin (manages accounts)."
)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="The account's name (lower case: jan.peeters).")],
    role: Annotated[str, typer.Option(help=ROLE_HELP)],
) -> None:
    """Add an account. The password is asked twice on a terminal, and read from the
    first line of standard input otherwise; it is kept only as an argon2 hash."""
    from kyc.app import users as user_jobs

    password = read_password()
    account = with_runtime(lambda runtime: user_jobs.add_user(runtime, name, role, password))
    out.print(f"account {account.name} added ({account.role})")


def read_password() -> str:
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != first:
            raise typer.BadParameter("the two passwords differ")
        return first
    line = sys.stdin.readline()
    if not line:
        raise usage_error("no password on standard input (its first line is read)")
    return line.rstrip("\r\n")


@users_app.command("list")
def users_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every account: role, active or not, last login, locked until."""
    from rich.table import Table

    from kyc.app import users as user_jobs

    accounts: list[Account] = with_runtime(user_jobs.accounts_list)
    if as_json:
        print_json([{**a.__dict__, "role": str(a.role)} for a in accounts])
        return
    table = Table("name", "role", "active", "last login", "locked until")
    for a in accounts:
        table.add_row(
            a.name,
            str(a.role),
            "yes" if a.active else "no",
            f"{a.last_login_at:%Y-%m-%d %H:%M}" if a.last_login_at else "-",
            f"{a.locked_until:%Y-%m-%d %H:%M}" if a.locked_until else "",
        )
    print_table(table)


@users_app.command("disable")
def users_disable(name: Annotated[str, typer.Argument(help="The account's name.")]) -> None:
    """Disable an account: it can no longer sign in or act, and its sessions end."""
    from kyc.app import users as user_jobs

    account = with_runtime(lambda runtime: user_jobs.disable_user(runtime, name))
    out.print(f"account {account.name} disabled")
