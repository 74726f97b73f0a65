"""What every command shares: the consoles, running a use case with a runtime, and the
errors a user can act on.

Commands import what they use inside their own body: ``kyc --help`` and a command's
argument checks load no database, matcher or data library (issue 12: under 0.3 s).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console

if TYPE_CHECKING:
    from rich.table import Table

    from kyc.app.runtime import Runtime

out = Console(highlight=False, markup=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, markup=False, soft_wrap=True)

T = TypeVar("T")


def source_help() -> str:
    from sanctions_sources.registry import SOURCES

    return f"List source: {', '.join(sorted(SOURCES))}."


def user_errors() -> tuple[type[Exception], ...]:
    """The errors a user can act on: one line naming the file or record and the reason."""
    from kyc.access.accounts import AccountError
    from kyc.access.roles import NotAllowed
    from kyc.access.tokens import TokenError
    from kyc.app.customers import OnboardingRejected
    from kyc.app.runtime import UsageError
    from kyc.audit import PersonalDataInAuditEvent
    from kyc.batch import BatchInputError
    from kyc.checkpoints import CheckpointKeyInvalid
    from kyc.customers import CustomerFileError
    from kyc.customers.relationship import OffboardingRefused
    from kyc.identifiers import InvalidIdentifier
    from kyc.lists import ActivationRefused, ListNotActivated
    from kyc.privacy import NationalNumberKeyMissing
    from kyc.registry.extract import RegisterImportError
    from kyc.registry.functions import FunctionsImportError
    from kyc.replay import ReplayRefused
    from kyc.rescreen.runs import RescreenBusy, RescreenInterrupted, RescreenStale
    from kyc.review.decisions import ReviewError
    from kyc.rights.restriction import RightRefused
    from kyc.rights.subjects import SubjectNotNamed
    from kyc.screening_context import NoActiveLists
    from kyc.settings import SettingsInvalid
    from kyc.store.db import SchemaOutOfDate
    from sanctions_sources.base import ListFormatError
    from sanctions_sources.fetch import FetchError
    from sanctions_sources.registry import UnknownSource

    return (
        AccountError,
        NotAllowed,
        RescreenBusy,
        RescreenInterrupted,
        RescreenStale,
        TokenError,
        BatchInputError,
        CheckpointKeyInvalid,
        CustomerFileError,
        OffboardingRefused,
        FetchError,
        FileNotFoundError,
        InvalidIdentifier,
        ActivationRefused,
        ListNotActivated,
        ListFormatError,
        NationalNumberKeyMissing,
        NoActiveLists,
        OnboardingRejected,
        PersonalDataInAuditEvent,
        RegisterImportError,
        ReplayRefused,
        FunctionsImportError,
        ReviewError,
        SubjectNotNamed,
        RightRefused,
        SchemaOutOfDate,
        SettingsInvalid,
        UnknownSource,
        UsageError,
    )


@contextmanager
def _runtime(check_schema: bool = True) -> Iterator[Runtime]:
    from kyc.app.runtime import Runtime
    from kyc.settings import load_settings

    runtime = Runtime.open(load_settings(), check_schema=check_schema)
    try:
        yield runtime
    finally:
        try:
            _finish(runtime)
        finally:
            runtime.close()


def _finish(runtime: Runtime) -> None:
    """Sign the trail's head once the command is done (it may have refused a request
    and still recorded it)."""
    import click

    context = click.get_current_context(silent=True)
    notice = runtime.finish(context.command_path if context else "kyc")
    if notice:
        err.print(f"note: {notice}")


def with_runtime(
    action: Callable[[Runtime], T], *, check_schema: bool = True, watch: bool = False
) -> T:
    """Run ``action`` with a runtime; turn the errors a user can fix into one clear line.

    ``watch`` is for the commands that can run for minutes: their stages are shown
    (see kyc.cli.progress)."""
    from kyc.cli.progress import watched

    try:
        with _runtime(check_schema) as runtime, watched(runtime) if watch else nullcontext():
            return action(runtime)
    except Exception as error:
        if not isinstance(error, user_errors()):
            raise
        err.print(f"error: {error}")
        raise typer.Exit(code=1) from None


def usage_error(message: str) -> Exception:
    """A wrong option or argument, told as the other user errors are."""
    from kyc.app.runtime import UsageError

    return UsageError(message)


def print_table(table: Table) -> None:
    # Piped output has no terminal width; do not squeeze the table into 80 columns.
    wide = Console(highlight=False, markup=False, width=None if out.is_terminal else 200)
    wide.print(table)


def print_json(value: Any) -> None:
    out.print_json(json.dumps(value, default=str, ensure_ascii=False))
