"""The runtime every use case runs in."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kyc.app.customers import read_payload
from kyc.app.runtime import Runtime, UsageError, today


def test_the_day_is_brussels_day_whatever_the_clock(runtime: Runtime) -> None:
    # 23:30 UTC on 1 March is already 2 March in Brussels (UTC+1 in winter).
    late = replace(runtime, clock=lambda: datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    assert today(late).isoformat() == "2026-03-02"


def test_an_unreadable_payload_names_the_file(tmp_path: Path) -> None:
    payload = tmp_path / "payload.json"
    payload.write_text("{not json", encoding="utf-8")
    with pytest.raises(UsageError, match="payload.json: not a readable JSON payload"):
        read_payload(payload)


def test_the_stored_matchers_live_under_the_data_directory(runtime: Runtime) -> None:
    stored = runtime.stored_matchers()
    assert stored.directory == runtime.settings.data_dir / "cache" / "matchers"
    assert "weights" in stored.settings
