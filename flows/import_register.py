"""Flow: import the KBO Open Data extracts the register still needs (daily).

From the drop folder ``KYC_REGISTER_DIR`` by default, every extract that follows the
register, in KBO's order (a FULL, the UPDATEs after it); or downloaded first from
``download_url`` with the KBO Open Data login kept in a Prefect Secret block (its value
``user:password``), named by ``credentials_block``. ``functions_path`` then imports the
functions held in enterprises (Open Data has none: a reuse XML or the provider's CSV),
the source of the mandate checks.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from prefect import flow, get_run_logger, task
from prefect.blocks.system import Secret

from flows import _events as events
from flows._runtime import runtime
from kyc.app import register as register_jobs
from kyc.app.runtime import UsageError
from kyc.registry.importer import RegisterImportReport


@task(name="download-kbo-extract", retries=2, retry_delay_seconds=60)
def download_extract(url: str, credentials_block: str | None) -> str:
    auth = _login(credentials_block) if credentials_block else None
    with runtime() as rt:
        return str(register_jobs.download_register_extract(rt, url, auth))


def _login(block: str) -> tuple[str, str]:
    secret = cast(Secret[str], Secret.load(block, _sync=True))  # type: ignore[call-arg]
    value = secret.get()
    user, separator, password = str(value).partition(":")
    if not separator:
        raise UsageError(f"the Secret block {block!r} must hold user:password")
    return user, password


@task(name="import-kbo-extract")
def import_extract(path: str, allow_partial: bool, recheck: bool) -> list[str]:
    with runtime() as rt:
        report = register_jobs.import_register(
            rt, Path(path), allow_partial=allow_partial, recheck=recheck
        )
    _announce([report])
    return report.lines()


def _announce(reports: list[RegisterImportReport]) -> None:
    """A register version imported: an event, for whatever a deployment hangs on it."""
    for report in reports:
        if report.created and report.extract_id is not None:
            events.register_updated(report.extract_id, len(report.touched or ()))


@task(name="import-kbo-drop-folder")
def import_drop_folder(allow_partial: bool, recheck: bool) -> list[str]:
    with runtime() as rt:
        if rt.settings.register_dir is None:
            raise UsageError("give a path, or set KYC_REGISTER_DIR to the drop folder")
        done = register_jobs.import_register_drops(
            rt, rt.settings.register_dir, allow_partial=allow_partial, recheck=recheck
        )
    _announce(done.reports)
    if done.failure is not None:
        # The extracts before it are in; the run fails so that someone looks.
        raise UsageError("\n".join(done.lines()))
    return done.lines()


@task(name="import-functions")
def import_functions(path: str) -> list[str]:
    with runtime() as rt:
        return register_jobs.import_functions(rt, Path(path)).lines()


@flow(name="import-register")
def import_register(
    path: str | None = None,
    allow_partial: bool = False,
    download_url: str | None = None,
    credentials_block: str | None = None,
    functions_path: str | None = None,
    recheck: bool = True,
) -> list[str]:
    """Import ``path``, the extract at ``download_url``, or those of ``KYC_REGISTER_DIR``
    that follow the register; then the functions file ``functions_path`` if given. Each
    extract imported emits ``kyc.register.updated``; ``recheck`` checks the customers it
    changed here and now (the deployment leaves that to the flow the event triggers,
    recheck-register-changes)."""
    if download_url is not None:
        path = download_extract(download_url, credentials_block)
    lines = (
        import_extract(path, allow_partial, recheck)
        if path
        else import_drop_folder(allow_partial, recheck)
    )
    if functions_path is not None:
        lines += import_functions(functions_path)
    get_run_logger().info("\n".join(lines))
    return lines
