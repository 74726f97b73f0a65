"""Decisions of a period as CSV: every step of four eyes, text cells safe to open in a
spreadsheet, and no national number (a reason holding one is refused)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from kyc.app import rescreen as rescreen_jobs
from kyc.app import review as review_jobs
from kyc.app.runtime import Runtime
from kyc.review.decisions import ReviewError
from kyc.review.kinds import DecisionKind
from tests.conftest import decided

TODAY = date(2026, 11, 25)  # the tests' clock


def _export(runtime: Runtime, start: date = TODAY, end: date = TODAY) -> list[dict[str, str]]:
    stream = io.StringIO()
    review_jobs.export_decisions(runtime, start, end, stream, exported_by="aud")
    return list(csv.DictReader(io.StringIO(stream.getvalue())))


def test_the_decisions_of_a_period(loaded: Runtime) -> None:
    rescreen_jobs.rescreen_all(loaded)
    hit_id = review_jobs.hits(loaded, "open")[0].id
    decided(loaded, hit_id, "false_positive", '=HYPERLINK("x") other birth date')
    [row] = _export(loaded)
    assert (row["hit_id"], row["decision"], row["status"]) == (
        str(hit_id),
        "false_positive",
        "approved",
    )
    assert (row["proposed_by"], row["approver"]) == ("ana", "bob")
    assert row["reason"].startswith("'=")  # read as text, not as a formula
    assert _export(loaded, date(2026, 11, 26), date(2026, 12, 31)) == []


def test_a_reason_holding_a_national_number_is_refused(loaded: Runtime, reviewers: Runtime) -> None:
    rescreen_jobs.rescreen_all(loaded)
    hit_id = review_jobs.hits(loaded, "open")[0].id
    with pytest.raises(ReviewError, match="national number"):
        review_jobs.propose(
            loaded, hit_id, decision=DecisionKind.TRUE_MATCH,
            reason="same person as 90.03.15-051.52", reviewer="ana",
        )  # fmt: skip
