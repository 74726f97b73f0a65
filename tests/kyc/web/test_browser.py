"""The review app in a real browser (Debian's chromium driven by Playwright) against
``kyc serve`` started by the test: an analyst signs in, filters the queue, opens a hit
and proposes false_positive; an approver approves; the hit leaves the queue, the audit
trail verifies, and a hostile list name runs no script. Screenshots go to docs/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from flows.demo import _free_port
from kyc.app import review as review_jobs
from kyc.app import rights as rights_jobs
from kyc.app.audit import verify_audit_chain
from kyc.app.runtime import Runtime
from kyc.rights.subjects import SubjectSelector
from kyc.store.models import AuditEvent, Hit
from tests.conftest import ROOT, TEST_NN_KEY, TEST_PASSWORD

CHROMIUM = os.environ.get("KYC_TEST_CHROMIUM", "/usr/bin/chromium")
DOCS = ROOT / "docs"
HOSTILE = "<img src=x onerror=alert(1)>"


def _chromium() -> str:
    found = shutil.which(CHROMIUM) or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if found is None:
        message = f"no chromium at {CHROMIUM} (apt-get install chromium, or KYC_TEST_CHROMIUM)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {message}")
        pytest.skip(message)
    return found


@pytest.fixture
def server(hits: Runtime, tmp_path: Path) -> Iterator[str]:
    """``kyc serve`` in its own process, on the test's database."""
    port = _free_port()
    env = {
        **os.environ,
        "KYC_DATA_DIR": str(hits.settings.data_dir),
        "KYC_DATABASE_URL": hits.settings.effective_database_url,
        "KYC_NN_KEY": TEST_NN_KEY,
    }
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("kyc")), "serve", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    import time

    for _ in range(200):
        if process.poll() is not None:
            raise RuntimeError(f"kyc serve ended with {process.returncode}")
        try:
            requests.get(f"{url}/login", timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError("kyc serve did not answer")


@pytest.fixture
def page(server: str) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        opened = context.new_page()
        opened.set_default_timeout(15_000)
        yield opened
        context.close()
        browser.close()


def _sign_in(page: Any, server: str, name: str) -> None:
    page.goto(f"{server}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/queue")


def _sign_out(page: Any) -> None:
    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/login")


def test_an_analyst_proposes_and_an_approver_approves(
    hits: Runtime, server: str, page: Any, database_url: str
) -> None:
    hit_id = next(h.id for h in review_jobs.hits(hits, "open") if h.subject_kind == "person")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    _sign_in(page, server, "ana")
    page.select_option("select[name=kind]", "person")
    page.click("button:has-text('Filter')")
    page.wait_for_url("**kind=person**")
    _screenshot(page, "queue", database_url)
    page.click(f"a[href='/hits/{hit_id}']")
    page.wait_for_url(f"{server}/hits/{hit_id}")
    _screenshot(page, "hit", database_url)
    page.check("input[name=decision][value=false_positive]")
    page.fill("textarea[name=reason]", "Different birth date and nationality")
    page.click("button:has-text('Decide')")
    page.wait_for_selector("text=Waiting for an approver other than ana")
    _sign_out(page)

    _sign_in(page, server, "bob")
    page.goto(f"{server}/hits/{hit_id}")
    page.click("button:has-text('Approve false_positive')")
    page.wait_for_selector("text=approved by bob")
    page.click("text=the customer's case")
    page.wait_for_selector("text=Representatives")
    _screenshot(page, "case", database_url)
    page.goto(f"{server}/queue")
    assert page.locator(f"a[href='/hits/{hit_id}']").count() == 0
    assert review_jobs.hit(hits, hit_id)[0].decision == "false_positive"
    assert verify_audit_chain(hits).ok
    assert dialogs == []


def test_a_mandate_check_is_reviewed_under_four_eyes(
    hits: Runtime, server: str, page: Any, database_url: str
) -> None:
    """A check that is not a hit: found in the checks list, decided, approved, settled."""
    _sign_in(page, server, "ana")
    page.click("nav >> text=Mandates and companies")
    page.wait_for_url(f"{server}/checks")
    link = page.locator("a[href^='/checks/mandate/']").first
    path = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"{server}{path}")
    page.wait_for_selector("text=Findings and their evidence")
    _screenshot(page, "check", database_url)
    page.check("input[name=decision][value=confirmed]")
    page.fill("textarea[name=reason]", "Board minutes of 12 March seen: the mandate holds")
    page.click("button:has-text('Decide')")
    page.wait_for_selector("text=Waiting for an approver other than ana")
    _sign_out(page)

    _sign_in(page, server, "carl")
    page.goto(f"{server}{path}")
    page.click("button:has-text('Approve confirmed')")
    page.wait_for_selector("text=approved by carl")
    page.goto(f"{server}/checks")
    assert page.locator(f"a[href='{path}']").count() == 0
    assert verify_audit_chain(hits).ok


def test_a_hostile_list_name_runs_no_script(
    hits: Runtime, server: str, page: Any, database_url: str
) -> None:
    hit_id = review_jobs.hits(hits, "open")[0].id
    with hits.sessions() as session, session.begin():
        session.get_one(Hit, hit_id).matched_name = HOSTILE
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    # A refused script, a missing asset, a blocked style: the console tells of each.
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    _sign_in(page, server, "aud")
    page.goto(f"{server}/hits/{hit_id}")
    page.wait_for_selector(f"text={HOSTILE}")
    page.goto(f"{server}/queue")
    page.wait_for_selector(f"text={HOSTILE}")
    assert page.locator("img[src=x]").count() == 0
    assert dialogs == []
    assert console == []


def test_a_restricted_subject_is_marked_in_the_browser(
    hits: Runtime, server: str, page: Any, database_url: str
) -> None:
    hit = next(h for h in review_jobs.hits(hits, "open") if h.subject_kind == "person")
    rights_jobs.restrict_subject(
        hits, SubjectSelector(subject_id=hit.subject_id), "contests the match"
    )
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    _sign_in(page, server, "ana")
    assert page.locator(f"tr:has(a[href='/hits/{hit.id}']) .tag.restricted").is_visible()
    page.goto(f"{server}/hits/{hit.id}")
    page.wait_for_selector("p.restricted")
    assert "is recorded in the audit trail" in page.inner_text("p.restricted")
    _screenshot(page, "restricted", database_url)
    assert console == []
    with hits.readers() as session:
        reads = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "privacy.restricted_access")
        ).all()
    assert [(e.actor, e.subject_ref) for e in reads] == [("ana", hit.subject_id)]


def _screenshot(page: Any, name: str, database_url: str) -> None:
    """The pages as the README shows them (taken on SQLite only: one picture each)."""
    if database_url.startswith("sqlite"):
        DOCS.mkdir(exist_ok=True)
        page.screenshot(path=str(DOCS / f"review-{name}.png"), full_page=True)
