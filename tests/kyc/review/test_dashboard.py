"""The dashboard's figures, counted in the database."""

from __future__ import annotations

from kyc.app import rescreen as rescreen_jobs
from kyc.app import review as review_jobs
from kyc.app.runtime import Runtime
from tests.conftest import decided


def test_open_hits_decisions_and_waiting_time(loaded: Runtime) -> None:
    rescreen_jobs.rescreen_all(loaded)
    open_hits = review_jobs.hits(loaded, "open")
    decided(loaded, open_hits[0].id, "false_positive", "other birth date")
    board = review_jobs.board(loaded)
    assert sum(bar.value for bar in board.open_by_age) == len(open_hits) - 1
    assert sum(bar.value for bar in board.open_by_source) == len(open_hits) - 1
    assert sum(bar.value for bar in board.decisions_by_week) == 1
    assert {bar.label for bar in board.decisions_by_reviewer} == {
        "ana: decided or proposed", "bob: approved or rejected",
    }  # fmt: skip
    assert board.decisions_counted == 1 and board.median_days_to_decision is not None
    assert board.recent_runs and board.recent_activations
