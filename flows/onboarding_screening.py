"""Flow: onboard one customer — store, verify the company, check every representative's
mandate, screen everyone, record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task

from flows import _events as events
from flows._runtime import runtime
from kyc.app import customers as customer_jobs


@task(name="onboard-customer")
def onboard(payload_path: str) -> dict[str, Any]:
    with runtime() as rt:
        result = customer_jobs.onboard_payload(rt, customer_jobs.read_payload(Path(payload_path)))
    events.onboarding_completed(
        result.company_subject_id, result.status, len(result.hits_to_review)
    )
    return result.to_dict()


@flow(name="onboarding-screening")
def onboarding_screening(payload_path: str) -> dict[str, Any]:
    """The payload is passed as a file path, never as a parameter: flow parameters are kept
    in Prefect's own database, and the payload holds personal data."""
    result = onboard(payload_path)
    # Subject ids and verdicts only: the findings name people, the logs must not.
    get_run_logger().info(
        "company %s: %s; mandates %s; %s hit(s) to review; status %s",
        result["company_subject_id"],
        result["company_verdict"],
        {m["person_subject_id"]: m["verdict"] for m in result["mandates"]},
        len(result["hits_to_review"]),
        result["status"],
    )
    return result
