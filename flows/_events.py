"""The Prefect events the pipeline emits, so that deployments' triggers (prefect.yaml)
start the flow that follows a change instead of the importing job doing it inline.

Events name lists, extracts and customers by id only (pseudonymous subject ids, never
a name or a number): Prefect keeps them in its own database.
"""

from __future__ import annotations

from typing import Any

from prefect.events import emit_event

LIST_ACTIVATED = "kyc.list.activated"
REGISTER_UPDATED = "kyc.register.updated"
CUSTOMER_CHANGED = "kyc.customer.changed"
ONBOARDING_COMPLETED = "kyc.onboarding.completed"


def list_activated(source: str, version_id: int, change_set_id: int) -> None:
    emit_event(
        LIST_ACTIVATED,
        resource={"prefect.resource.id": f"kyc.list.{source}", "kyc.source": source},
        related=[_related(f"kyc.list-version.{version_id}", "list-version")],
        payload={"source": source, "version_id": version_id, "change_set_id": change_set_id},
    )


def register_updated(extract_id: int, enterprises_changed: int) -> None:
    emit_event(
        REGISTER_UPDATED,
        resource={"prefect.resource.id": "kyc.register"},
        related=[_related(f"kyc.register-extract.{extract_id}", "register-extract")],
        payload={"extract_id": extract_id, "enterprises_changed": enterprises_changed},
    )


def customer_changed(company_subject_id: str, how: str) -> None:
    emit_event(
        CUSTOMER_CHANGED,
        resource={"prefect.resource.id": f"kyc.customer.{company_subject_id}"},
        payload={"company_subject_id": company_subject_id, "how": how},
    )


def onboarding_completed(company_subject_id: str, status: str, hits: int) -> None:
    emit_event(
        ONBOARDING_COMPLETED,
        resource={"prefect.resource.id": f"kyc.customer.{company_subject_id}"},
        payload={"status": status, "hits_to_review": hits},
    )


def _related(resource_id: str, role: str) -> dict[str, Any]:
    return {"prefect.resource.id": resource_id, "prefect.resource.role": role}
