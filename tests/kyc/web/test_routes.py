"""Every route as each role, forms without their token, sessions, lock-out, four eyes
through the pages, and list strings shown as text."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from kyc.app import review as review_jobs
from kyc.app.audit import verify_audit_chain
from kyc.app.runtime import Runtime
from kyc.store.models import AuditEvent, Decision
from kyc.web.app import SECURITY_HEADERS
from tests.conftest import TEST_PASSWORD
from tests.kyc.web.conftest import Browser

Open = Callable[[str | None], Browser]


def _first_hit(runtime: Runtime) -> int:
    return review_jobs.hits(runtime, "open")[0].id


def _version(runtime: Runtime, hit_id: int) -> int:
    return review_jobs.hit(runtime, hit_id)[0].version


def _propose(browser: Browser, runtime: Runtime, hit_id: int, **form: object):  # type: ignore[no-untyped-def]
    browser.get(f"/hits/{hit_id}")
    data = {"decision": "false_positive", "reason": "other birth date",
            "version": _version(runtime, hit_id), **form}  # fmt: skip
    return browser.post(f"/hits/{hit_id}/decide", data)


def test_pages_need_a_session(browser: Open, hits: Runtime) -> None:
    anonymous = browser(None)
    for path in ("/", "/queue", f"/hits/{_first_hit(hits)}"):
        response = anonymous.client.get(path, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, "/login")


def test_every_response_carries_the_security_headers(browser: Open) -> None:
    ana = browser("ana")
    for response in (ana.get("/queue"), ana.get("/login"), ana.get("/hits/999999")):
        for header, value in SECURITY_HEADERS.items():
            assert response.headers[header] == value
    assert "'unsafe-inline'" not in SECURITY_HEADERS["Content-Security-Policy"]


def test_the_session_cookie_is_httponly_strict_and_new_at_each_login(browser: Open) -> None:
    ana = browser(None)
    ana.get("/login")
    planted = "planted.by-an-attacker"
    ana.client.cookies.set("kyc_session", planted, domain=_domain(ana))
    response = ana.post("/login", {"name": "ana", "password": TEST_PASSWORD})
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    first = response.cookies["kyc_session"]
    assert first != planted
    again = ana.sign_in("ana")
    assert again.cookies["kyc_session"] != first


def _domain(browser: Browser) -> str:
    """The domain the test client files the server's cookies under."""
    return next(cookie.domain for cookie in browser.client.cookies.jar)


def test_a_missing_hit_is_a_404_page(browser: Open) -> None:
    response = browser("ana").get("/hits/999999")
    assert response.status_code == 404 and "there is no hit 999999" in response.text


def test_the_queue_filters_sorts_and_pages(browser: Open, hits: Runtime) -> None:
    ana = browser("ana")
    page = ana.get("/queue")
    assert page.status_code == 200
    every = review_jobs.hits(hits, "open")
    assert f"({len(every)} match the filters)" in page.text
    persons = ana.get("/queue?kind=person&sort=score_asc")
    assert "Viktor Sokolov" in persons.text
    assert "(0 match" in ana.get("/queue?min_score=1&max_score=1").text
    assert ana.get("/queue?min_score=2").status_code == 400
    assert ana.get("/queue?customer=%25").status_code == 200  # a wildcard is a character


@pytest.mark.parametrize(
    ("who", "path", "allowed"),
    [
        ("ana", "decide", True), ("aud", "decide", False), ("bob", "decide", True),
        ("ana", "take", True), ("aud", "take", False),
        ("ana", "approve", False), ("aud", "approve", False), ("carl", "approve", True),
        ("ana", "reject", False), ("aud", "reject", False), ("carl", "reject", True),
    ],
)  # fmt: skip
def test_every_role_and_action(
    browser: Open, hits: Runtime, who: str, path: str, allowed: bool
) -> None:
    hit_id = _first_hit(hits)
    if path in ("approve", "reject"):
        assert _propose(browser("bob"), hits, hit_id).status_code == 303
    user = browser(who)
    user.get(f"/hits/{hit_id}")
    form = {"version": _version(hits, hit_id), "reason": "because", "decision": "escalate"}
    response = user.post(f"/hits/{hit_id}/{path}", form)
    assert response.status_code == (303 if allowed else 403)
    if not allowed:
        with hits.readers() as session:
            refusal = session.scalars(
                select(AuditEvent).where(AuditEvent.action == "user.refused")
            ).one()
        assert refusal.actor == who


def test_a_form_without_its_token_changes_nothing(browser: Open, hits: Runtime) -> None:
    hit_id = _first_hit(hits)
    ana = browser("ana")
    ana.get(f"/hits/{hit_id}")
    form = {"decision": "false_positive", "reason": "r", "version": _version(hits, hit_id)}
    assert ana.post(f"/hits/{hit_id}/decide", form, csrf=False).status_code == 403
    assert (
        ana.post(f"/hits/{hit_id}/decide", {**form, "csrf": "wrong"}, csrf=False).status_code == 403
    )
    with hits.readers() as session:
        assert session.scalars(select(Decision)).all() == []


def test_four_eyes_through_the_pages(browser: Open, hits: Runtime) -> None:
    hit_id = _first_hit(hits)
    ana, bob = browser("ana"), browser("bob")
    assert _propose(ana, hits, hit_id).status_code == 303
    page = ana.get(f"/hits/{hit_id}")
    assert "Waiting for an approver other than ana" in page.text
    bob.get(f"/hits/{hit_id}")
    assert (
        bob.post(f"/hits/{hit_id}/approve", {"version": _version(hits, hit_id)}).status_code == 303
    )
    assert hit_id not in {row.id for row in review_jobs.hits(hits, "open")}
    assert review_jobs.hit(hits, hit_id)[0].decision == "false_positive"
    assert verify_audit_chain(hits).ok


def test_an_approver_cannot_approve_their_own_proposal(browser: Open, hits: Runtime) -> None:
    hit_id = _first_hit(hits)
    bob = browser("bob")
    _propose(bob, hits, hit_id)
    bob.get(f"/hits/{hit_id}")
    response = bob.post(f"/hits/{hit_id}/approve", {"version": _version(hits, hit_id)})
    assert response.status_code == 409 and "four eyes" in response.text


def test_a_stale_page_is_told_it_lost(browser: Open, hits: Runtime) -> None:
    hit_id = _first_hit(hits)
    seen = _version(hits, hit_id)
    ana, bob = browser("ana"), browser("bob")
    assert _propose(bob, hits, hit_id, version=seen).status_code == 303
    response = _propose(ana, hits, hit_id, version=seen)
    assert response.status_code == 409 and "changed by someone else" in response.text


@pytest.mark.parametrize(("reason", "message"), [("  ", "needs a reason"), ("x" * 2001, "at most")])
def test_a_bad_reason_shows_the_form_again(
    browser: Open, hits: Runtime, reason: str, message: str
) -> None:
    hit_id = _first_hit(hits)
    response = _propose(browser("ana"), hits, hit_id, reason=reason)
    assert response.status_code == 409 and message in response.text
    assert 'name="reason"' in response.text


def test_the_session_ends_when_idle_and_at_logout(browser: Open, hits: Runtime) -> None:
    ana = browser("ana")
    assert ana.get("/queue").status_code == 200
    hits.clock.now += timedelta(minutes=hits.settings.web_session_idle_minutes + 1)  # type: ignore[attr-defined]
    assert ana.client.get("/queue", follow_redirects=False).status_code == 303
    bob = browser("bob")
    bob.get("/queue")
    assert bob.post("/logout").status_code == 303
    assert bob.client.get("/queue", follow_redirects=False).status_code == 303


def test_repeated_failures_lock_the_account(browser: Open, hits: Runtime) -> None:
    stranger = browser(None)
    for _ in range(hits.settings.login_lock_after):
        hits.clock.now += timedelta(minutes=1)  # type: ignore[attr-defined]
        response = stranger.sign_in("ana", "not the password")
        assert response.status_code == 200 and "wrong name or password" in response.text
    assert stranger.sign_in("ana").status_code == 200  # locked, even with the password
    with hits.readers() as session:
        failures = session.scalars(
            select(AuditEvent.outcome).where(AuditEvent.action == "user.login_failed")
        ).all()
    assert failures[-1] == "account locked" and "not the password" not in str(failures)


def test_the_login_form_needs_its_token(browser: Open) -> None:
    stranger = browser(None)
    response = stranger.client.post("/login", data={"name": "ana", "password": "x"})
    assert response.status_code == 403


def test_a_hostile_list_name_is_shown_as_text(browser: Open, hits: Runtime) -> None:
    hit_id = _first_hit(hits)
    with hits.sessions() as session, session.begin():
        from kyc.store.models import Hit

        hit = session.get_one(Hit, hit_id)
        hit.matched_name = '<img src=x onerror=alert(1)> "quoted" \u202eevil'
    page = browser("aud").get(f"/hits/{hit_id}")
    assert "<img src=x" not in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text


def test_filters_left_empty_are_no_filters(browser: Open, hits: Runtime) -> None:
    # What the browser sends for the filter form as it first shows.
    page = browser("ana").get(
        "/queue?state=open&source=&band=&min_score=&max_score=&kind=&customer="
        "&older_than_days=&assignee=&sort=score"
    )
    assert page.status_code == 200
    assert f"({len(review_jobs.hits(hits, 'open'))} match the filters)" in page.text


def test_an_auditor_downloads_the_decisions_and_an_analyst_may_not(browser: Open) -> None:
    response = browser("aud").get("/export/decisions?from=2026-11-01&to=2026-11-30")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines()[0].startswith("decision_id,hit_id,subject_id")
    assert browser("ana").get("/export/decisions?from=2026-11-01&to=2026-11-30").status_code == 403
    assert browser("aud").get("/export/decisions?from=2026-11-30&to=2026-11-01").status_code == 400


def test_a_hit_leads_to_its_case_and_back(browser: Open, hits: Runtime) -> None:
    hit = next(h for h in review_jobs.hits(hits, "open") if h.subject_kind == "person")
    company = review_jobs.customer_of_hit(hits, hit.subject_id)
    ana = browser("ana")
    assert f'href="/cases/{company}"' in ana.get(f"/hits/{hit.id}").text
    case = ana.get(f"/cases/{company}")
    assert case.status_code == 200 and f'href="/hits/{hit.id}"' in case.text
    assert "pending_review" in case.text
    assert ana.get("/cases/nobody").status_code == 404


def test_the_dashboard_draws_its_charts_on_the_server(browser: Open) -> None:
    page = browser("aud").get("/dashboard")
    assert page.status_code == 200
    assert page.text.count("<svg") == 3  # decisions per reviewer: none yet
    assert "Open hits by how long they have waited" in page.text
    assert "style=" not in page.text  # the policy allows no inline style


def test_a_mandate_is_reviewed_in_the_app_under_four_eyes(browser: Open, hits: Runtime) -> None:
    ana, bob = browser("ana"), browser("bob")
    listing = ana.get("/checks")
    assert listing.status_code == 200
    found = re.search(r'href="/checks/mandate/(\d+)"', listing.text)
    assert found is not None
    path = f"/checks/mandate/{found.group(1)}"
    page = ana.get(path)
    assert "Findings and their evidence" in page.text
    decided = ana.post(f"{path}/decide", {"decision": "confirmed", "reason": "minutes seen"})
    assert decided.status_code == 303
    assert "Waiting for an approver other than ana" in ana.get(path).text
    assert browser("aud").post(f"{path}/approve").status_code == 403
    bob.get(path)
    assert bob.post(f"{path}/approve").status_code == 303
    assert "approved by bob" in bob.get(path).text
    assert f'href="{path}"' not in ana.get("/checks").text  # settled: off the list
    assert ana.get("/checks/mandate/999999").status_code == 404
    assert ana.get("/checks/weird/1").status_code == 400
