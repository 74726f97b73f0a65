"""The ``kyc`` command: thin over the application layer (:mod:`kyc.app`). Every command
has ``--help``.

Errors the user can act on print one line naming the file or record and the reason,
and exit with status 1; nothing already stored is changed by a failed command. Each
command group is a module of this package; a command loads the domain code it uses
when it runs, so that ``kyc --help`` and mistyped arguments answer at once.
"""

from __future__ import annotations

import typer

from kyc.cli.audit import audit_app
from kyc.cli.customers import customers_app, customers_extra
from kyc.cli.db import db_app
from kyc.cli.lists import lists_app
from kyc.cli.mandates import mandates_app
from kyc.cli.privacy import privacy_app
from kyc.cli.registry import registry_app
from kyc.cli.retention import retention_app
from kyc.cli.review import review_app
from kyc.cli.screen import screen_app
from kyc.cli.serve import serve_app
from kyc.cli.tokens import tokens_app
from kyc.cli.users import users_app

app = typer.Typer(
    help="Peppol KYC screening: CBE/KBO verification, EU/UN sanctions screening, review, audit.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
for sub, name in (
    (db_app, "db"),
    (lists_app, "lists"),
    (registry_app, "registry"),
    (customers_app, "customers"),
    (screen_app, "screen"),
    (review_app, "review"),
    (mandates_app, "mandates"),
    (audit_app, "audit"),
    (privacy_app, "privacy"),
    (retention_app, "retention"),
    (users_app, "users"),
    (tokens_app, "tokens"),
):
    app.add_typer(sub, name=name)
# ``kyc onboard`` and ``kyc rescreen`` stand at the top: the daily commands.
app.registered_commands += customers_extra.registered_commands
app.registered_commands += serve_app.registered_commands


def main() -> None:  # pragma: no cover - console entry point
    app()
