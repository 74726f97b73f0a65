"""Flow: screen one customer whose names or birth data changed, at once (triggered by the
``kyc.customer.changed`` event: see prefect.yaml)."""

from __future__ import annotations

from prefect import flow, get_run_logger, task

from flows._runtime import runtime
from kyc.app import customers as customer_jobs


@task(name="screen-customer")
def screen(company_subject_id: str) -> dict[str, int]:
    with runtime() as rt:
        outcome = customer_jobs.screen_customer(rt, company_subject_id)
    return {
        "run_id": outcome.run_id,
        "subjects": outcome.subjects,
        "opened": len(outcome.opened),
        "reopened": len(outcome.reopened),
        "closed": len(outcome.closed),
    }


@flow(name="screen-customer")
def screen_customer(company_subject_id: str) -> dict[str, int]:
    summary = screen(company_subject_id)
    get_run_logger().info(
        "customer %s screened again (run %s): %s subjects, %s new hits, %s closed",
        company_subject_id, summary["run_id"], summary["subjects"], summary["opened"],
        summary["closed"],
    )  # fmt: skip
    return summary
