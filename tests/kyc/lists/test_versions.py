"""Activation, history, and what a screening sees while a version is activated."""

from __future__ import annotations

from pathlib import Path

import pytest

from kyc.app import lists as list_jobs
from kyc.app.runtime import Runtime, UsageError
from kyc.lists import active_at, history
from kyc.screening_context import open_context
from tests.conftest import SAMPLES

UN_SAMPLE = SAMPLES / "lists" / "un_sample.xml"


def _version(tmp_path: Path, day: int, drop: str | None = None) -> Path:
    text = UN_SAMPLE.read_text().replace("2026-11-19T", f"2026-11-{day:02d}T")
    if drop:
        start = text.index(f"<DATAID>{drop}</DATAID>")
        start = text.rindex("<INDIVIDUAL>", 0, start)
        end = text.index("</INDIVIDUAL>", start) + len("</INDIVIDUAL>")
        text = text[:start] + text[end:]
    path = tmp_path / f"un_{day}.xml"
    path.write_text(text)
    return path


def test_history_tells_which_version_was_active_when(runtime: Runtime, tmp_path: Path) -> None:
    first = list_jobs.import_list(runtime, "un", _version(tmp_path, 19))
    second = list_jobs.import_list(runtime, "un", _version(tmp_path, 20))
    list_jobs.import_list(runtime, "eu", SAMPLES / "lists" / "eu_sample.xml")
    with runtime.sessions() as session:
        rows = history(session)
        un = [r for r in rows if r.source == "un"]
        assert [r.version_id for r in un] == [first.version_id, second.version_id]
        assert un[0].active_until == un[1].active_from and un[1].active_until is None
        middle = un[0].active_from
        assert active_at(session, middle)["un"] == first.version_id
        assert active_at(session, un[1].active_from)["un"] == second.version_id
        assert "eu" not in active_at(session, middle)


def test_a_screening_keeps_the_versions_it_started_with(runtime: Runtime, tmp_path: Path) -> None:
    first = list_jobs.import_list(runtime, "un", _version(tmp_path, 19))
    with runtime.readers() as reading:
        before = open_context(reading, ["un"])
        # Meanwhile another process activates a version without KPi.901.
        second = list_jobs.import_list(
            runtime, "un", _version(tmp_path, 20, drop="9900002"), force_reason="test"
        )
        assert before.versions["un"].id == first.version_id
        assert ("un", "KPi.901") in before.entry_fingerprints
    with runtime.readers() as reading:
        after = open_context(reading, ["un"])
    assert after.versions["un"].id == second.version_id
    assert ("un", "KPi.901") not in after.entry_fingerprints


def test_diff_between_versions(runtime: Runtime, tmp_path: Path) -> None:
    first = list_jobs.import_list(runtime, "un", _version(tmp_path, 19))
    second = list_jobs.import_list(
        runtime, "un", _version(tmp_path, 20, drop="9900002"), force_reason="test"
    )
    latest = list_jobs.diff_versions(runtime, None, None)
    assert (latest["old"], latest["new"]) == (first.version_id, second.version_id)
    assert latest["removed"] == ["KPi.901"] and latest["added"] == []
    backwards = list_jobs.diff_versions(runtime, second.version_id, first.version_id)
    assert backwards["added"] == ["KPi.901"]
    with pytest.raises(UsageError, match="there is no list version 99"):
        list_jobs.diff_versions(runtime, first.version_id, 99)
