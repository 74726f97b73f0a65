"""The rescreen flow: its partitions on a local Dask cluster of two worker processes
give the hits of a run in one process; its progress shows as an artifact."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

from flows.rescreen_all import rescreen_all
from kyc.app import rescreen as rescreen_jobs
from kyc.app.runtime import Runtime
from kyc.audit import utc_now
from tests.conftest import SMALL_LIST_RANGES_ENV, TEST_NN_KEY
from tests.rescreen_support import assert_same, hold_first_commit, what_a_rescreen_left

# The customer base of this module's ``twins`` (tests/conftest.py).
COMPANIES, SIZE = 30, 4


def _settings_of(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    """The flow and the Dask workers read their settings from the environment."""
    settings = runtime.settings
    monkeypatch.setenv("KYC_DATABASE_URL", settings.effective_database_url)
    monkeypatch.setenv("KYC_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("KYC_NN_KEY", TEST_NN_KEY)
    monkeypatch.setenv("KYC_LIST_ENTRY_RANGES", SMALL_LIST_RANGES_ENV)
    monkeypatch.setenv("KYC_RESCREEN_PARTITION_SIZE", str(SIZE))


@pytest.mark.slow
def test_partitions_on_a_dask_cluster_give_the_hits_of_one_process(
    prefect_server: str, twins: tuple[Runtime, Runtime], monkeypatch: pytest.MonkeyPatch
) -> None:
    from distributed import LocalCluster

    alone, on_dask = twins
    alone.clock = utc_now  # as the flow's (mandates are checked on today's date)
    single = rescreen_jobs.rescreen_all(alone)
    _settings_of(on_dask, monkeypatch)
    monkeypatch.setenv("PREFECT_API_URL", prefect_server)  # the workers report here too
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        monkeypatch.setenv("KYC_DASK_ADDRESS", cluster.scheduler_address)
        summary = rescreen_all()
    assert summary["partitions"] == 8 and summary["companies"] == COMPANIES
    assert summary["subjects"] == single.screening.subjects
    assert summary["opened"] == len(single.screening.opened) > 0
    left, right = what_a_rescreen_left(alone), what_a_rescreen_left(on_dask)
    assert left["chain_ok"] and right["chain_ok"]
    assert_same(left, right)
    assert _progress_artifact() == 100.0


@pytest.mark.slow
def test_a_dask_worker_killed_mid_partition_changes_nothing(
    prefect_server: str,
    twins: tuple[Runtime, Runtime],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """A worker process killed (SIGKILL) while its partition's transaction is open: the
    partition is written by no one, Dask runs it again on the other worker, and the run
    ends with what one process writes."""
    from distributed import Client, LocalCluster

    alone, on_dask = twins
    alone.clock = utc_now
    single = rescreen_jobs.rescreen_all(alone)
    _settings_of(on_dask, monkeypatch)
    monkeypatch.setenv("PREFECT_API_URL", prefect_server)
    marker = tmp_path / "held-partition.pid"
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(hold_first_commit, str(marker), 120.0)
        monkeypatch.setenv("KYC_DASK_ADDRESS", cluster.scheduler_address)
        done: dict[str, Any] = {}
        flow = threading.Thread(target=lambda: done.update(rescreen_all()))
        flow.start()
        pid = _wait_for(marker)
        os.kill(pid, signal.SIGKILL)
        flow.join(timeout=300)
    assert not flow.is_alive() and done["companies"] == COMPANIES
    assert done["subjects"] == single.screening.subjects
    assert done["opened"] == len(single.screening.opened) > 0
    left, right = what_a_rescreen_left(alone), what_a_rescreen_left(on_dask)
    assert left["chain_ok"] and right["chain_ok"]
    assert_same(left, right)


def _wait_for(marker: Path, seconds: float = 120.0) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if marker.exists() and marker.read_text():
            return int(marker.read_text())
        time.sleep(0.05)
    raise AssertionError("no partition reached its commit")


def _progress_artifact() -> float:
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["rescreen-progress"])),
            limit=50,
        )
    return float(max(found, key=lambda a: a.updated or a.created).data)  # type: ignore[arg-type]
