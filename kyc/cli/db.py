"""``kyc db``: the database schema."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from kyc.cli.common import out, with_runtime

if TYPE_CHECKING:
    from kyc.app.runtime import Runtime

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema of KYC_DATABASE_URL to the newest revision."""
    from kyc.store.db import upgrade

    def migrate(runtime: Runtime) -> None:
        upgrade(runtime.engine)

    with_runtime(migrate, check_schema=False)
    out.print("database schema is up to date")
