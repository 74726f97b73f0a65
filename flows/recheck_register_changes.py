"""Flow: check again the customer companies one register extract changed, and their
representatives' mandates (triggered by the ``kyc.register.updated`` event: see
prefect.yaml). Run twice for the same extract (an event delivered twice), it does the
work once."""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact

from flows._runtime import runtime
from kyc.app import register as register_jobs


@task(name="recheck-companies")
def recheck(extract_id: int) -> tuple[list[str], list[str]]:
    with runtime() as rt:
        return register_jobs.recheck_extract(rt, extract_id)


@flow(name="recheck-register-changes")
def recheck_register_changes(extract_id: int) -> dict[str, int]:
    companies, mandates = recheck(extract_id)
    summary = {"extract_id": extract_id, "companies": len(companies), "mandates": len(mandates)}
    get_run_logger().info(
        "register extract %s: %s customer companies checked again, %s mandates moved",
        extract_id, len(companies), len(mandates),
    )  # fmt: skip
    create_table_artifact(
        [{key: str(value) for key, value in summary.items()}],
        key="recheck-register-summary",
        description="What checking the customers an extract changed did",
    )
    return summary
