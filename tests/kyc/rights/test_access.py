"""Access (Art. 15): everything held about one subject, as JSON and as a page."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select

from kyc.app import rescreen as rescreen_jobs
from kyc.app import rights as rights_jobs
from kyc.app.runtime import Runtime
from kyc.rights.subjects import SubjectSelector
from kyc.store.models import AuditEvent, Hit
from tests.conftest import decided

VIKTOR = SubjectSelector(name="Viktor Sokolov", birth_date=date(1961, 3, 14))


def test_the_answer_holds_data_sources_screenings_hits_and_what_is_withheld(
    loaded: Runtime, tmp_path: Path
) -> None:
    rescreen_jobs.rescreen_all(loaded)
    viktor = rights_jobs.find(loaded, VIKTOR).subject_id
    with loaded.readers() as session:
        hit = session.scalars(select(Hit).where(Hit.subject_id == viktor)).first()
    assert hit is not None
    decided(loaded, hit.id, "false_positive", "born <1962>, the entry in 1958")
    rights_jobs.restrict_subject(loaded, VIKTOR, "contests the hit")

    answer = rights_jobs.export(loaded, VIKTOR, tmp_path / "answer")
    record = json.loads(answer.json_path.read_text(encoding="utf-8"))
    assert answer.restricted and record["subject"]["restricted"]
    assert record["personal_data"]["last_name"] == "Sokolov"
    assert record["companies"][0]["name"] == "ACME Logistics BV"
    assert record["sources"][0]["source"].endswith("customers.csv")
    screening = record["screenings"][-1]
    assert screening["input"]["last_name"] == "Sokolov"
    assert screening["lists"] and all(v["sha256"] for v in screening["lists"].values())
    assert screening["matches"]
    [decision] = record["hits"][0]["decisions"]
    assert decision["reason"] == "born <1962>, the entry in 1958"
    assert decision["reviewer"] == "(withheld)" and decision["approver"] == "(withheld)"
    assert record["mandate_checks"]
    assert record["retention"][0]["rule"] == "relationship"
    purposes = {p["purpose"]: p for p in record["purposes"]}
    assert "Art. 6(1)(c)" in purposes["sanctions_screening"]["legal_basis"]
    assert "[unconfirmed]" in purposes["peppol_kyc"]["legal_basis"]
    assert record["recipients"]
    withheld = " ".join(w["what"] for w in record["withheld"])
    assert "other representatives" in withheld and "reviewers" in withheld
    assert "Peeters" not in answer.json_path.read_text(encoding="utf-8")  # another person

    page = answer.html_path.read_text(encoding="utf-8")
    assert "Processing restricted." in page and "Sokolov" in page
    assert "born &lt;1962&gt;" in page and "<1962>" not in page
    with loaded.readers() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "privacy.access_exported")
        ).one()
    assert (event.subject_ref, event.outcome) == (viktor, "done")
