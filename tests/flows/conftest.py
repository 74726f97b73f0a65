"""One Prefect test server for the whole session (prefect_test_harness)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SMALL_LIST_RANGES_ENV, TEST_NN_KEY


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[str]:
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"  # offline: no telemetry
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield str(PREFECT_API_URL.value())


@pytest.fixture
def flow_env(
    prefect_server: str, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Flows read their settings from KYC_* variables, as on a worker."""
    data = tmp_path / "data"
    monkeypatch.setenv("KYC_DATA_DIR", str(data))
    monkeypatch.setenv("KYC_DATABASE_URL", database_url)
    monkeypatch.setenv("KYC_NN_KEY", TEST_NN_KEY)
    monkeypatch.setenv("KYC_LIST_ENTRY_RANGES", SMALL_LIST_RANGES_ENV)
    assert os.environ["KYC_DATA_DIR"] == str(data)
    return data
