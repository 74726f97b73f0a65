"""The JSON API for the provider's systems: bearer tokens, validation, limits, errors as
JSON, and the OpenAPI document."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from pytest_httpserver import HTTPServer
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import sessionmaker

from kyc.app import tokens as token_jobs
from kyc.app.runtime import Runtime
from kyc.store.models import AuditEvent, Company
from kyc.web.app import create_app
from tests.conftest import SAMPLES

PAYLOAD = json.loads((SAMPLES / "onboarding.json").read_text(encoding="utf-8"))


@pytest.fixture
def api(loaded: Runtime) -> tuple[TestClient, dict[str, str]]:
    _view, token = token_jobs.add(loaded, "onboarding-system", ("onboarding", "customers:read"))
    return TestClient(create_app(loaded)), {"Authorization": f"Bearer {token}"}


def _companies(runtime: Runtime) -> int:
    with runtime.readers() as session:
        return session.scalar(select(func.count()).select_from(Company)) or 0


def test_an_onboarding_runs_and_its_status_is_read(
    api: tuple[TestClient, dict[str, str]], loaded: Runtime
) -> None:
    client, auth = api
    answer = client.post("/api/v1/onboardings", json=PAYLOAD, headers=auth)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["status"] == "pending_review" and len(result["mandates"]) == 2
    assert "75.06.06-222.51" not in answer.text and "75060622251" not in answer.text
    status = client.get("/api/v1/customers/0789.012.351", headers=auth)
    assert status.status_code == 200
    assert status.json()["status"] == "pending_review" and status.json()["reasons"]
    assert client.get("/api/v1/customers/0200.065.765", headers=auth).status_code == 404
    bad = client.get("/api/v1/customers/12345", headers=auth)
    assert bad.status_code == 422 and bad.json()["error"].startswith("not an enterprise number")


def test_tokens_are_checked_and_refusals_recorded(
    api: tuple[TestClient, dict[str, str]], loaded: Runtime
) -> None:
    client, _auth = api
    missing = client.post("/api/v1/onboardings", json=PAYLOAD)
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"] == "Bearer"
    wrong = client.post("/api/v1/onboardings", json=PAYLOAD, headers={"Authorization": "Bearer x"})
    assert wrong.status_code == 401 and wrong.json() == {
        "error": "the token is not valid",
        "details": [],
    }
    _view, reader = token_jobs.add(loaded, "dashboard", ("customers:read",))
    scoped = client.post(
        "/api/v1/onboardings", json=PAYLOAD, headers={"Authorization": f"Bearer {reader}"}
    )
    assert scoped.status_code == 401 and "may not onboarding" in scoped.json()["error"]
    assert _companies(loaded) == 7
    with loaded.readers() as session:
        refused = session.scalars(
            select(AuditEvent.subject_ref).where(AuditEvent.action == "token.refused")
        ).all()
    assert refused == [None, "token:dashboard"]


def test_bad_bodies_are_refused_and_nothing_is_stored(
    api: tuple[TestClient, dict[str, str]], loaded: Runtime
) -> None:
    client, auth = api
    no_name = json.loads(json.dumps(PAYLOAD))
    del no_name["company"]["name"]
    no_name["representatives"][0]["birth_date"] = "31/12/1975"
    refused = client.post("/api/v1/onboardings", json=no_name, headers=auth)
    assert refused.status_code == 422
    details = refused.json()["details"]
    assert "the company name is missing" in details
    assert "a birth date is not YYYY-MM-DD or YYYY" in details
    big = client.post("/api/v1/onboardings", content=b"[" + b" " * 1_000_001 + b"]", headers=auth)
    assert big.status_code == 413
    broken = client.post("/api/v1/onboardings", content=b"{not json", headers=auth)
    assert broken.status_code == 400 and "not JSON" in broken.json()["error"]
    assert _companies(loaded) == 7


def test_a_database_that_does_not_answer_is_a_503(
    api: tuple[TestClient, dict[str, str]], loaded: Runtime
) -> None:
    _client, auth = api
    down = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    broken = replace(loaded, sessions=sessionmaker(down), readers=sessionmaker(down))
    client = TestClient(create_app(broken))
    answer = client.post("/api/v1/onboardings", json=PAYLOAD, headers=auth)
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "30"
    down.dispose()


def test_the_openapi_document_describes_the_api_only(
    api: tuple[TestClient, dict[str, str]],
) -> None:
    client, _auth = api
    document = client.get("/api/v1/openapi.json").json()
    assert set(document["paths"]) == {
        "/api/v1/onboardings",
        "/api/v1/customers/{enterprise_number}",
    }
    assert client.get("/api/v1/nothing").json()["error"]


def _events(runtime: Runtime) -> int:
    with runtime.readers() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_the_same_onboarding_sent_twice_runs_once(
    api: tuple[TestClient, dict[str, str]], loaded: Runtime
) -> None:
    client, auth = api
    first = client.post("/api/v1/onboardings", json=PAYLOAD, headers=auth)
    assert first.status_code == 200 and "Idempotent-Replayed" not in first.headers
    events = _events(loaded)
    # A retry after a timeout: the same body from the same system gets the same answer.
    again = client.post("/api/v1/onboardings", json=PAYLOAD, headers=auth)
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert _events(loaded) == events and _companies(loaded) == 8
    # With a key of the client's own, the key names the request.
    keyed = {**auth, "Idempotency-Key": "order-77"}
    one = client.post("/api/v1/onboardings", json=PAYLOAD, headers=keyed)
    assert one.status_code == 200 and "Idempotent-Replayed" not in one.headers
    events = _events(loaded)
    two = client.post("/api/v1/onboardings", json=PAYLOAD, headers=keyed)
    assert two.headers["Idempotent-Replayed"] == "true" and _events(loaded) == events
    other = json.loads(json.dumps(PAYLOAD))
    other["company"]["name"] = "Another Name BV"
    reused = client.post("/api/v1/onboardings", json=other, headers=keyed)
    assert reused.status_code == 422 and "another payload" in reused.json()["error"]
    assert _events(loaded) == events


def test_a_request_being_answered_is_not_run_twice(loaded: Runtime) -> None:
    from kyc.access.requests import RequestInFlight, RequestKey, claim
    from kyc.app import api_requests as api_jobs

    key = RequestKey.of("onboarding-system", "k-1", json.dumps(PAYLOAD).encode())
    with loaded.sessions() as session, session.begin():
        assert claim(session, key, loaded.clock()) is None  # under way in another worker
    with pytest.raises(RequestInFlight):
        api_jobs.onboard_once(loaded, key, PAYLOAD)
    assert _companies(loaded) == 7


def test_a_refused_onboarding_is_not_remembered(
    api: tuple[TestClient, dict[str, str]], loaded: Runtime
) -> None:
    client, auth = api
    broken = json.loads(json.dumps(PAYLOAD))
    broken["company"]["enterprise_number"] = "0789.012.352"
    for _ in range(2):  # refused each time for what it is, not replayed
        refused = client.post("/api/v1/onboardings", json=broken, headers=auth)
        assert refused.status_code == 422 and "Idempotent-Replayed" not in refused.headers


def test_an_onboarding_is_told_to_prefect_as_an_event(
    loaded: Runtime, httpserver: HTTPServer
) -> None:
    """The web app does not import Prefect: it posts the event to the server's REST API
    (here a local HTTP server standing for it), with ids only, once per onboarding."""
    httpserver.expect_request("/api/events", method="POST").respond_with_data("", 204)
    loaded.settings = loaded.settings.model_copy(
        update={"prefect_api_url": httpserver.url_for("/api")}
    )
    _view, token = token_jobs.add(loaded, "onboarding-system", ("onboarding",))
    client, auth = TestClient(create_app(loaded)), {"Authorization": f"Bearer {token}"}
    first = client.post("/api/v1/onboardings", json=PAYLOAD, headers=auth)
    client.post("/api/v1/onboardings", json=PAYLOAD, headers=auth)  # replayed: not told again
    [(request, _response)] = httpserver.log
    [event] = request.get_json()
    assert event["event"] == "kyc.onboarding.completed"
    assert event["resource"] == {
        "prefect.resource.id": f"kyc.customer.{first.json()['company_subject_id']}"
    }
    assert event["payload"] == {"status": "pending_review", "hits_to_review": 1, "via": "api"}
    assert "Al Farsi" not in request.get_data(as_text=True)


def test_a_prefect_server_that_does_not_answer_costs_nothing_but_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from kyc.app import prefect_events

    assert not prefect_events.emit(None, "kyc.x", "kyc.y", {})
    assert not prefect_events.emit("http://127.0.0.1:9/api", "kyc.x", "kyc.y", {})
    assert "the Prefect server was not told of kyc.x" in caplog.text
