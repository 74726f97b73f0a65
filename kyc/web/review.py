"""The queue, a hit side by side with its list entry, and the decisions on it."""

from __future__ import annotations

import io
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BeforeValidator, Field

from kyc.access.roles import Action
from kyc.access.sessions import SignedIn
from kyc.app import review as review_jobs
from kyc.model import MAX_REASON
from kyc.review.decisions import ReviewError
from kyc.review.kinds import DecisionKind
from kyc.review.queue import SORTS, QueueFilter
from kyc.web.auth import allowed, check_csrf, runtime_of
from kyc.web.highlight import highlighted

router = APIRouter()
Reader = Annotated[SignedIn, Depends(allowed(Action.READ))]
Proposer = Annotated[SignedIn, Depends(allowed(Action.PROPOSE))]
Approver = Annotated[SignedIn, Depends(allowed(Action.APPROVE))]
Taker = Annotated[SignedIn, Depends(allowed(Action.ASSIGN))]
Exporter = Annotated[SignedIn, Depends(allowed(Action.EXPORT))]
# Optional in the form's schema so that a form without it is a 403, not a 400.
Csrf = Annotated[str, Form(max_length=200)]
Version = Annotated[int, Form(ge=1)]
# A filter left empty in the form is sent as "": no filter.
BLANK = BeforeValidator(lambda value: None if value == "" else value)
Score = Annotated[Annotated[float, Field(ge=0, le=1)] | None, BLANK]
Days = Annotated[Annotated[int, Field(ge=0, le=36500)] | None, BLANK]
Kind = Annotated[Literal["person", "organization"] | None, BLANK]
# Longer than allowed, so that the page can say so (not a bare 422).
Reason = Annotated[str, Form(max_length=MAX_REASON * 4)]


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    signed: SignedIn = request.state.signed_in
    response: Response = request.app.state.templates.TemplateResponse(
        request, template, {"me": signed.account, "csrf": signed.csrf_token, **context},
        status_code=status,
    )  # fmt: skip
    return response


@router.get("/")
def home(_signed: Reader) -> Response:
    return RedirectResponse("/queue", status_code=303)


@router.get("/queue")
def queue(
    request: Request,
    _signed: Reader,
    state: Annotated[str, Query(pattern="^(open|proposed|decided|closed|all)$")] = "open",
    source: Annotated[str | None, Query(max_length=16)] = None,
    band: Annotated[str | None, Query(max_length=16)] = None,
    min_score: Annotated[Score, Query()] = None,
    max_score: Annotated[Score, Query()] = None,
    kind: Annotated[Kind, Query()] = None,
    customer: Annotated[str | None, Query(max_length=200)] = None,
    older_than_days: Annotated[Days, Query()] = None,
    assignee: Annotated[str | None, Query(max_length=64)] = None,
    sort: Annotated[str, Query(max_length=16)] = "score",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    wanted = QueueFilter(
        state=state, source=source or None, band=band or None, min_score=min_score,
        max_score=max_score, kind=kind or None, customer=(customer or "").strip() or None,
        older_than_days=older_than_days, assignee=assignee or None,
        sort=sort if sort in SORTS else "score", page=page,
    )  # fmt: skip
    result = review_jobs.queue(runtime_of(request), wanted)
    return render(request, "queue.html", {"page": result, "wanted": wanted, "sorts": list(SORTS)})


@router.get("/hits/{hit_id}")
def hit_page(
    request: Request, hit_id: int, signed: Reader, error: str | None = None, status: int = 200
) -> Response:
    runtime = runtime_of(request)
    try:
        hit, history = review_jobs.hit(runtime, hit_id, signed.account.name)
    except ReviewError as missing:
        raise HTTPException(status_code=404, detail=str(missing)) from None
    listed = [n["full"] for n in (hit.entry.to_dict()["names"] if hit.entry else [])]
    context = {
        "hit": hit,
        "history": history,
        "error": error,
        "case": review_jobs.customer_of_hit(runtime, hit.subject_id),
        "subject_words": highlighted(hit.subject_name, [hit.matched_name]),
        "listed_names": [
            highlighted(name, [hit.subject_name]) for name in listed or [hit.matched_name]
        ],
        "decisions": [k.value for k in DecisionKind],
        "max_reason": MAX_REASON,
    }
    return render(request, "hit.html", context, status)


def _after(request: Request, hit_id: int, act: Any) -> Response:
    """Do it, then back to the hit; a refusal shows the hit again with the reason."""
    try:
        act()
    except ReviewError as error:
        return hit_page(request, hit_id, request.state.signed_in, error=str(error), status=409)
    return RedirectResponse(f"/hits/{hit_id}", status_code=303)


@router.post("/hits/{hit_id}/decide")
def decide(
    request: Request,
    hit_id: int,
    signed: Proposer,
    decision: Annotated[DecisionKind, Form()],
    reason: Reason,
    version: Version,
    csrf: Csrf = "",
) -> Response:
    check_csrf(signed, csrf)
    return _after(request, hit_id, lambda: review_jobs.propose(
        runtime_of(request), hit_id, decision=decision, reason=reason,
        reviewer=signed.account.name, seen_version=version,
    ))  # fmt: skip


@router.post("/hits/{hit_id}/approve")
def approve(
    request: Request, hit_id: int, signed: Approver, version: Version, csrf: Csrf = ""
) -> Response:
    check_csrf(signed, csrf)
    return _after(request, hit_id, lambda: review_jobs.approve(
        runtime_of(request), hit_id, approver=signed.account.name, seen_version=version,
    ))  # fmt: skip


@router.post("/hits/{hit_id}/reject")
def reject(
    request: Request,
    hit_id: int,
    signed: Approver,
    reason: Reason,
    version: Version,
    csrf: Csrf = "",
) -> Response:
    check_csrf(signed, csrf)
    return _after(request, hit_id, lambda: review_jobs.reject(
        runtime_of(request), hit_id, approver=signed.account.name, reason=reason,
        seen_version=version,
    ))  # fmt: skip


@router.post("/hits/{hit_id}/take")
def take(request: Request, hit_id: int, signed: Taker, csrf: Csrf = "") -> Response:
    check_csrf(signed, csrf)
    return _after(
        request,
        hit_id,
        lambda: review_jobs.take(runtime_of(request), hit_id, reviewer=signed.account.name),
    )


@router.get("/export/decisions")
def export_decisions(
    request: Request,
    signed: Exporter,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
) -> Response:
    """The decisions of a period as a CSV download."""
    if end < start:
        raise HTTPException(status_code=400, detail="the period ends before it begins")
    stream = io.StringIO()
    review_jobs.export_decisions(
        runtime_of(request), start, end, stream, exported_by=signed.account.name
    )
    name = f"decisions-{start.isoformat()}-{end.isoformat()}.csv"
    return Response(
        stream.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/cases/{company_id}")
def case_page(
    request: Request, company_id: Annotated[str, Path(max_length=64)], signed: Reader
) -> Response:
    """A customer's case: company, representatives, every hit, the status and why."""
    try:
        case = review_jobs.case(runtime_of(request), company_id, signed.account.name)
    except ReviewError as missing:
        raise HTTPException(status_code=404, detail=str(missing)) from None
    return render(request, "case.html", {"case": case})


@router.get("/dashboard")
def dashboard_page(request: Request, _signed: Reader) -> Response:
    return render(request, "dashboard.html", {"board": review_jobs.board(runtime_of(request))})
