"""The reviews that are not hits: mandates and company checks a person must look at,
decided under the same four eyes as hits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from kyc.app import checks as check_jobs
from kyc.model import MAX_REASON
from kyc.review.checks import CheckDecisionKind, CheckKind
from kyc.review.decisions import ReviewError
from kyc.web.auth import check_csrf, runtime_of
from kyc.web.review import Approver, Csrf, Proposer, Reader, Reason, render

router = APIRouter()


@router.get("/checks")
def checks_page(request: Request, _signed: Reader) -> Response:
    return render(request, "checks.html", {"checks": check_jobs.to_review(runtime_of(request))})


@router.get("/checks/{kind}/{check_id}")
def check_page(
    request: Request,
    kind: CheckKind,
    check_id: int,
    _signed: Reader,
    error: str | None = None,
    status: int = 200,
) -> Response:
    try:
        check = check_jobs.check(runtime_of(request), kind, check_id)
    except ReviewError as missing:
        raise HTTPException(status_code=404, detail=str(missing)) from None
    context = {
        "check": check, "error": error, "max_reason": MAX_REASON,
        "decisions": [d.value for d in CheckDecisionKind],
    }  # fmt: skip
    return render(request, "check.html", context, status)


def _after(request: Request, kind: CheckKind, check_id: int, act: Callable[[], Any]) -> Response:
    try:
        act()
    except ReviewError as error:
        signed = request.state.signed_in
        return check_page(request, kind, check_id, signed, error=str(error), status=409)
    return RedirectResponse(f"/checks/{kind}/{check_id}", status_code=303)


@router.post("/checks/{kind}/{check_id}/decide")
def decide(
    request: Request,
    kind: CheckKind,
    check_id: int,
    signed: Proposer,
    decision: Annotated[CheckDecisionKind, Form()],
    reason: Reason,
    csrf: Csrf = "",
) -> Response:
    check_csrf(signed, csrf)
    return _after(request, kind, check_id, lambda: check_jobs.propose(
        runtime_of(request), kind, check_id, decision=decision, reason=reason,
        reviewer=signed.account.name,
    ))  # fmt: skip


@router.post("/checks/{kind}/{check_id}/approve")
def approve(
    request: Request, kind: CheckKind, check_id: int, signed: Approver, csrf: Csrf = ""
) -> Response:
    check_csrf(signed, csrf)
    return _after(request, kind, check_id, lambda: check_jobs.approve(
        runtime_of(request), kind, check_id, approver=signed.account.name,
    ))  # fmt: skip


@router.post("/checks/{kind}/{check_id}/reject")
def reject(
    request: Request,
    kind: CheckKind,
    check_id: int,
    signed: Approver,
    reason: Reason,
    csrf: Csrf = "",
) -> Response:
    check_csrf(signed, csrf)
    return _after(request, kind, check_id, lambda: check_jobs.reject(
        runtime_of(request), kind, check_id, approver=signed.account.name, reason=reason,
    ))  # fmt: skip
