"""The review app assembled: templates, the bundled stylesheet, the routes, security
headers on every response, and error pages (a 404, a 403, a form refused)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from kyc.app.access import web_key
from kyc.app.runtime import Runtime
from kyc.web import api, auth, checks, review
from kyc.web.evidence import shown

HERE = Path(__file__).parent
# No inline script or style anywhere, no asset from elsewhere, no framing.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def create_app(runtime: Runtime) -> FastAPI:
    # The OpenAPI document describes the JSON API (the pages are left out of it).
    app = FastAPI(
        title="Peppol KYC screening API",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.runtime = runtime
    app.state.web_key = web_key(runtime)
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    app.state.templates.env.filters["shown"] = shown
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for pages in (auth.router, review.router, checks.router):
        app.include_router(pages, include_in_schema=False)
    app.include_router(api.router)
    app.middleware("http")(_security_headers)
    app.add_exception_handler(auth.SignInNeeded, _to_login)
    app.add_exception_handler(StarletteHTTPException, _error_page)
    app.add_exception_handler(RequestValidationError, _bad_request)
    app.add_exception_handler(api.ApiError, _api_error)
    return app


async def _security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    response.headers.update(SECURITY_HEADERS)
    if not request.url.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"
    return response


async def _to_login(request: Request, _error: Exception) -> Response:
    return RedirectResponse("/login", status_code=303)


def _page(request: Request, status: int, message: str) -> Response:
    signed = getattr(request.state, "signed_in", None)
    response: Response = request.app.state.templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": message, "me": signed.account if signed else None,
         "csrf": signed.csrf_token if signed else ""},
        status_code=status,
    )  # fmt: skip
    return response


async def _api_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, api.ApiError)
    return error.response()


def _for_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _error_page(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException | StarletteHTTPException)
    if _for_api(request):
        detail = error.detail if isinstance(error.detail, str) else "error"
        return api.ApiError(error.status_code, detail).response()
    messages = {404: "there is no such page", 405: "that is not how this page is used"}
    detail = error.detail if isinstance(error.detail, str) else ""
    return _page(request, error.status_code, detail or messages.get(error.status_code, "error"))


async def _bad_request(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    each = [f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {e['msg']}"
            for e in error.errors()]  # fmt: skip
    if _for_api(request):
        return api.ApiError(422, "the request was refused", each).response()
    problems = "; ".join(each)
    return _page(request, 400, f"the request was refused: {problems}")
