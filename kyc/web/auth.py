"""Who is asking: the signed session cookie, the CSRF token of every form, the role
each route needs (refusals audited), and the login and logout pages."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from kyc.access.roles import Action
from kyc.access.sessions import SignedIn, cookie_value, session_id_of
from kyc.app import access as access_jobs
from kyc.app.runtime import Runtime

SESSION_COOKIE = "kyc_session"
LOGIN_COOKIE = "kyc_login"  # the login form's own CSRF token (double submit)

router = APIRouter()


class SignInNeeded(Exception):
    """No live session: the browser is sent to the login page."""


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def _key(request: Request) -> bytes:
    key: bytes = request.app.state.web_key
    return key


def current(request: Request) -> SignedIn:
    session_id = session_id_of(_key(request), request.cookies.get(SESSION_COOKIE))
    signed = None if session_id is None else access_jobs.signed_in(runtime_of(request), session_id)
    if signed is None:
        raise SignInNeeded
    request.state.signed_in = signed
    return signed


def allowed(action: Action) -> Callable[[Request, SignedIn], SignedIn]:
    """A dependency: the signed-in user, who must be allowed ``action`` (else 403, and
    the refusal is recorded)."""

    def check(request: Request, signed: Annotated[SignedIn, Depends(current)]) -> SignedIn:
        if not signed.account.may(action):
            access_jobs.refused(runtime_of(request), signed.account, action, request.url.path)
            raise HTTPException(status_code=403, detail=f"your role may not {action.value}")
        return signed

    return check


def check_csrf(signed: SignedIn, token: str) -> None:
    if not hmac.compare_digest(signed.csrf_token.encode(), token.encode()):
        raise HTTPException(status_code=403, detail="the form's security token is missing or wrong")


def _set_cookie(request: Request, response: Response, name: str, value: str) -> None:
    response.set_cookie(
        name, value, httponly=True, samesite="strict", path="/",
        secure=runtime_of(request).settings.web_https or request.url.scheme == "https",
    )  # fmt: skip


@router.get("/login")
def login_page(request: Request, error: str | None = None) -> Response:
    token = secrets.token_urlsafe(32)
    response = request.app.state.templates.TemplateResponse(
        request, "login.html", {"csrf": token, "error": error}
    )
    _set_cookie(request, response, LOGIN_COOKIE, token)
    return response  # type: ignore[no-any-return]


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected.encode(), csrf.encode()):
        raise HTTPException(status_code=403, detail="the form's security token is missing or wrong")
    try:
        session_id = access_jobs.sign_in(runtime_of(request), name.strip(), password)
    except access_jobs.LoginRefused as refused:
        return login_page(request, error=str(refused))
    response = RedirectResponse("/queue", status_code=303)
    # A new session id at every login: one planted before it opens nothing.
    _set_cookie(request, response, SESSION_COOKIE, cookie_value(_key(request), session_id))
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(
    request: Request,
    signed: Annotated[SignedIn, Depends(current)],
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_csrf(signed, csrf)
    session_id = session_id_of(_key(request), request.cookies.get(SESSION_COOKIE))
    if session_id is not None:
        access_jobs.sign_out(runtime_of(request), session_id, signed.account)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
