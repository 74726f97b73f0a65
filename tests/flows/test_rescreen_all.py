"""The rescreen flow: its partitions on a local Dask cluster of two worker processes
give the hits of a run in one process; its progress shows as an artifact."""

from __future__ import annotations

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

from flows.rescreen_all import rescreen_all
from kyc.app import rescreen as rescreen_jobs
from kyc.app.runtime import Runtime
from kyc.audit import utc_now
from tests.conftest import SMALL_LIST_RANGES_ENV, TEST_NN_KEY
from tests.rescreen_support import assert_same, what_a_rescreen_left

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


def _progress_artifact() -> float:
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["rescreen-progress"])),
            limit=50,
        )
    return float(max(found, key=lambda a: a.updated or a.created).data)  # type: ignore[arg-type]
