"""Flow: import a batch of customers from a CSV or JSON file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task

from flows import _events as events
from flows._runtime import runtime
from kyc.app import customers as customer_jobs


@task(name="import-customer-file")
def import_file(path: str) -> dict[str, Any]:
    with runtime() as rt:
        report = customer_jobs.import_customer_file(rt, Path(path))
    for stored in report.stored:
        if stored.changed and not stored.created:  # a new one was checked on import
            events.customer_changed(stored.company_subject_id, "updated")
    return {
        "stored": len(report.stored),
        "created": report.created,
        "rejected": [str(rejection) for rejection in report.rejected],
        "mandates": report.mandate_counts(),
    }


@flow(name="import-customers")
def import_customers(path: str) -> dict[str, Any]:
    """Validate and store customers; rejected records are listed with their reasons."""
    summary = import_file(path)
    logger = get_run_logger()
    logger.info(
        "%s customers stored, %s rejected; mandates of new or changed customers: %s",
        summary["stored"],
        len(summary["rejected"]),
        summary["mandates"],
    )
    for rejection in summary["rejected"]:
        logger.warning("rejected %s", rejection)
    return summary
