"""A rescreen run's partitions: where each begins and which customers it holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from kyc.app import rescreen as rescreen_jobs
from kyc.app.runtime import Runtime
from kyc.rescreen import runs
from kyc.store.models import RescreenPartition
from tests.rescreen_support import load_many


def test_partitions_start_every_size_customers() -> None:
    ids = [f"{n:02d}" for n in range(7)]
    assert runs.partition_starts(ids, 3) == ["00", "03", "06"]
    assert runs.partition_starts(ids, 10) == ["00"]
    assert runs.partition_starts([], 3) == []


def test_the_partitions_hold_every_customer_once_and_the_run_is_told(
    runtime: Runtime, tmp_path: Path
) -> None:
    load_many(runtime, 11, tmp_path)
    runtime.settings = runtime.settings.model_copy(update={"rescreen_partition_size": 4})
    plan = rescreen_jobs.begin(runtime, resume=False)
    with runtime.readers() as session:
        parts = [session.get_one(RescreenPartition, (plan.run_id, n)) for n in range(3)]
        held = [runs.partition_companies(session, p) for p in parts]
        run = runs.unfinished_run(session)
        assert run is not None
        assert runs.describe(session, run).endswith("0 of 3 partitions committed)")
    assert [len(h) for h in held] == [4, 4, 3]
    assert len({c for h in held for c in h}) == 11
    with pytest.raises(LookupError, match="has no partition 3"):
        rescreen_jobs.rescreen_partition(runtime, plan.run_id, 3)
    for number in plan.pending:
        rescreen_jobs.rescreen_partition(runtime, plan.run_id, number)
    assert rescreen_jobs.progress(runtime, plan.run_id).done == 3
