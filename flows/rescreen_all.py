"""Flow: re-verify every company and every representative's mandate, and screen every
customer (monthly, and on demand)."""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, task

from flows._runtime import runtime
from kyc.app import customers as customer_jobs


@task(name="rescreen-everybody")
def rescreen() -> dict[str, Any]:
    with runtime() as rt:
        result = customer_jobs.rescreen_all(rt)
    screening = result.screening
    return {
        "companies": result.companies,
        "verdicts": result.verdicts,
        "mandates": result.mandates,
        "subjects": screening.subjects,
        "opened": len(screening.opened),
        "reopened": len(screening.reopened),
        "closed": len(screening.closed),
        "run_id": screening.run_id,
    }


@flow(name="rescreen-all")
def rescreen_all() -> dict[str, Any]:
    summary = rescreen()
    get_run_logger().info(
        "%(companies)s companies re-verified (mandates: %(mandates)s), %(subjects)s subjects "
        "screened: "
        "%(opened)s new hits, %(reopened)s re-opened, %(closed)s closed",
        summary,
    )
    return summary
