"""Flow: import the newest KBO Open Data extract from the drop folder (monthly)."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task

from flows._runtime import runtime
from kyc import jobs


@task(name="import-kbo-extract")
def import_extract(path: str | None, allow_partial: bool) -> list[str]:
    with runtime() as rt:
        if path is not None:
            target = Path(path)
        elif rt.settings.register_dir is not None:
            target = jobs.newest_register_drop(rt.settings.register_dir)
        else:
            raise jobs.UsageError("give a path, or set KYC_REGISTER_DIR to the drop folder")
        return jobs.import_register(rt, target, allow_partial=allow_partial).lines()


@flow(name="import-register")
def import_register(path: str | None = None, allow_partial: bool = False) -> list[str]:
    """Import ``path``, or the newest extract in ``KYC_REGISTER_DIR``."""
    lines = import_extract(path, allow_partial)
    get_run_logger().info("\n".join(lines))
    return lines
