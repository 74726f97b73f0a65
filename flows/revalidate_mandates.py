"""Flow: every morning, check again the mandates a date may have changed (a function that
ended or began, a proxy that expired or started) since they were last checked."""

from __future__ import annotations

from prefect import flow, get_run_logger, task

from flows._runtime import runtime
from kyc.app import mandates as mandate_jobs


@task(name="revalidate-dated-mandates")
def revalidate() -> list[str]:
    with runtime() as rt:
        return mandate_jobs.revalidate_mandates(rt)


@flow(name="revalidate-mandates")
def revalidate_mandates() -> list[str]:
    lines = revalidate()
    get_run_logger().info(
        "%s mandates checked again%s", len(lines), "".join(f"\n  {line}" for line in lines)
    )
    return lines
