"""A review app on a database with hits and accounts, and browsers signed in as each."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from kyc.app import rescreen as rescreen_jobs
from kyc.app import review as review_jobs
from kyc.app.runtime import Runtime
from kyc.web.app import create_app
from tests.conftest import TEST_PASSWORD

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class Browser:
    """A TestClient that remembers its cookies and the CSRF token of the last page."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.csrf = ""

    def get(self, path: str, **kwargs: object):  # type: ignore[no-untyped-def]
        response = self.client.get(path, **kwargs)  # type: ignore[arg-type]
        if found := CSRF.search(response.text):
            self.csrf = found.group(1)
        return response

    def post(self, path: str, data: dict[str, object] | None = None, *, csrf: bool = True):  # type: ignore[no-untyped-def]
        form = {**(data or {}), **({"csrf": self.csrf} if csrf else {})}
        return self.client.post(path, data=form, follow_redirects=False)

    def sign_in(self, name: str, password: str = TEST_PASSWORD):  # type: ignore[no-untyped-def]
        self.get("/login")
        return self.post("/login", {"name": name, "password": password})


@pytest.fixture
def hits(loaded: Runtime, reviewers: Runtime) -> Runtime:
    rescreen_jobs.rescreen_all(loaded)
    assert review_jobs.hits(loaded, "open")
    return loaded


@pytest.fixture
def browser(hits: Runtime) -> Callable[[str | None], Browser]:
    app = create_app(hits)

    def open_as(name: str | None) -> Browser:
        browser = Browser(TestClient(app))
        if name is not None:
            assert browser.sign_in(name).status_code == 303
        return browser

    return open_as
