"""Flow: every night, delete or anonymise the personal data whose retention ended."""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, task

from flows._runtime import runtime
from kyc.app import retention as retention_jobs


@task(name="erase-what-expired")
def erase_expired() -> dict[str, Any]:
    with runtime() as rt:
        return retention_jobs.run(rt).as_dict()


@flow(name="retention")
def retention() -> dict[str, Any]:
    report = erase_expired()
    get_run_logger().info(
        "retention as of %s: %s companies and %s persons erased, %s kept under restriction",
        report["as_of"],
        report["companies"],
        report["persons"],
        report["kept_under_restriction"],
    )
    return report
