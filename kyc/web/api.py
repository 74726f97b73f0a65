"""The JSON API for the provider's own systems, beside the review pages: onboard a
customer and read a customer's status. Bearer tokens (``kyc tokens add``) with a scope
each; every answer is JSON, an error too (``{"error": ..., "details": [...]}``)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError

from kyc.access.requests import KeyReused, RequestInFlight, RequestKey
from kyc.access.tokens import TokenError, TokenView
from kyc.app import api_requests as api_jobs
from kyc.app import customers as customer_jobs
from kyc.app import prefect_events
from kyc.app import tokens as token_jobs
from kyc.app.runtime import Runtime
from kyc.identifiers import InvalidIdentifier

router = APIRouter(prefix="/api/v1", tags=["api"])
MAX_BODY = 1_000_000  # bytes: an onboarding payload is a few kilobytes
RETRY_AFTER = "30"


class ApiError(Exception):
    def __init__(self, status: int, error: str, details: list[str] | None = None) -> None:
        super().__init__(error)
        self.status, self.error, self.details = status, error, details or []

    def response(self) -> JSONResponse:
        headers = {"Retry-After": RETRY_AFTER} if self.status in (409, 503) else {}
        if self.status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse(
            {"error": self.error, "details": self.details}, self.status, headers=headers
        )


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def _holder(request: Request, scope: str) -> TokenView:
    kind, _space, token = request.headers.get("authorization", "").partition(" ")
    if kind.lower() != "bearer" or not token.strip():
        raise ApiError(401, "a bearer token is needed (Authorization: Bearer TOKEN)")
    try:
        return token_jobs.check(_runtime(request), token.strip(), scope)
    except TokenError as error:
        raise ApiError(401, str(error)) from None
    except OperationalError:
        raise ApiError(503, "the database does not answer; try again later") from None


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
        raise ApiError(413, f"the body is over {MAX_BODY:,} bytes")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise ApiError(413, f"the body is over {MAX_BODY:,} bytes")
    return body


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ApiError(400, f"the body is not JSON ({error})") from None


@router.post(
    "/onboardings",
    summary="Onboard a customer: store it, verify it, check its mandates, screen it",
    responses={401: {}, 409: {}, 413: {}, 422: {}, 503: {}},
)
async def onboard(request: Request, background: BackgroundTasks) -> JSONResponse:
    """The onboarding payload (as `kyc onboard` reads it) in; the outcome out: status,
    the company's verdict and findings, each mandate's, and the hits to review.

    Sent again — the same `Idempotency-Key` header, or without one the same body, from
    the same token, within a day — it gets the first answer (`Idempotent-Replayed:
    true`) and nothing runs twice; while the first is still being answered, 409."""
    holder = await run_in_threadpool(_holder, request, "onboarding")
    body = await _body(request)
    payload = _json(body)
    key = RequestKey.of(holder.name, request.headers.get("idempotency-key"), body)
    try:
        done = await run_in_threadpool(api_jobs.onboard_once, _runtime(request), key, payload)
    except RequestInFlight as busy:
        raise ApiError(409, f"{busy}: ask again in a moment") from None
    except KeyReused as reused:
        raise ApiError(422, str(reused)) from None
    except customer_jobs.OnboardingRejected as rejected:
        raise ApiError(
            422, f"the payload is refused: {rejected.rejection.label}",
            list(rejected.rejection.reasons),
        ) from None  # fmt: skip
    except OperationalError:
        raise ApiError(503, "the database does not answer; nothing was stored") from None
    if not done.replayed:  # told once the answer is sent: it costs the client nothing
        background.add_task(
            prefect_events.emit,
            _runtime(request).settings.prefect_api_url,
            "kyc.onboarding.completed",
            f"kyc.customer.{done.body['company_subject_id']}",
            {"status": done.body["status"], "hits_to_review": len(done.body["hits_to_review"]),
             "via": "api"},
        )  # fmt: skip
    headers = {"Idempotent-Replayed": "true"} if done.replayed else {}
    return JSONResponse(done.body, done.status, headers=headers)


@router.get(
    "/customers/{enterprise_number}",
    summary="A customer's status now, and why",
    responses={401: {}, 404: {}, 503: {}},
)
async def customer(request: Request, enterprise_number: str = Path(max_length=20)) -> JSONResponse:
    await run_in_threadpool(_holder, request, "customers:read")
    try:
        found = await run_in_threadpool(
            customer_jobs.customer_status, _runtime(request), enterprise_number
        )
    except InvalidIdentifier as error:
        raise ApiError(422, f"not an enterprise number: {error}") from None
    except OperationalError:
        raise ApiError(503, "the database does not answer; try again later") from None
    if found is None:
        raise ApiError(404, "no customer has that enterprise number")
    return JSONResponse(found)
