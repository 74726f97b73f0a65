"""prefect.yaml registers every deployment, with its schedule, on a real Prefect server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from prefect.client.orchestration import get_client

ROOT = Path(__file__).resolve().parents[2]
PREFECT = str(Path(sys.executable).with_name("prefect"))


def _prefect(*args: str, api_url: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PREFECT_API_URL": api_url, "PREFECT_HOME": str(home)}
    return subprocess.run(
        [PREFECT, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
def test_make_deploy_steps_register_every_deployment(prefect_server: str, tmp_path: Path) -> None:
    # The two commands `make deploy` runs.
    pool = _prefect(
        "work-pool",
        "create",
        "kyc-process",
        "--type",
        "process",
        api_url=prefect_server,
        home=tmp_path,
    )
    assert pool.returncode == 0, pool.stdout + pool.stderr
    deploy = _prefect("--no-prompt", "deploy", "--all", api_url=prefect_server, home=tmp_path)
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr

    declared = yaml.safe_load((ROOT / "prefect.yaml").read_text())["deployments"]
    with get_client(sync_client=True) as client:
        deployments = {d.name: d for d in client.read_deployments()}
    assert set(deployments) >= {d["name"] for d in declared}
    crons = {
        name: [s.schedule.cron for s in deployments[name].schedules]  # type: ignore[union-attr]
        for name in (
            "refresh-lists-daily",
            "rescreen-all-monthly",
            "import-register-daily",
            "retention-daily",
        )
    }
    assert crons == {
        "refresh-lists-daily": ["15 6 * * *"],
        "rescreen-all-monthly": ["0 3 2 * *"],
        "import-register-daily": ["0 7 * * *"],
        "retention-daily": ["30 2 * * *"],
    }
    assert all(d.work_pool_name == "kyc-process" for d in deployments.values())
    assert deployments["onboarding-screening"].schedules == []
    assert deployments["import-register-daily"].parameters == {"recheck": False}
    steps = deployments["rescreen-all-monthly"].pull_steps or []
    assert steps == [
        {"prefect.deployments.steps.set_working_directory": {"directory": str(ROOT)}}
    ], steps


def test_events_start_the_deployments_their_triggers_name(
    prefect_server: str, tmp_path: Path
) -> None:
    """kyc.list.activated, kyc.register.updated and kyc.customer.changed, emitted as the
    jobs emit them, each
    make a run of the deployment prefect.yaml hangs on them, with the event's ids as its
    parameters (the run waits there for a worker: this test starts none)."""
    _prefect("work-pool", "create", "kyc-process", "--type", "process",
             api_url=prefect_server, home=tmp_path)  # fmt: skip
    deploy = _prefect("--no-prompt", "deploy", "--all", api_url=prefect_server, home=tmp_path)
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
    with get_client(sync_client=True) as client:
        names = {a.name for a in client.read_automations()}
    assert any("screen-list-change" in name for name in names), names
    from flows import _events as events

    events.list_activated("eu", 41, 4242)
    events.register_updated(317, 12)
    events.customer_changed("c0ffee" * 5 + "ab", "updated")
    expected = {
        "screen-list-change": {"change_set_id": 4242},
        "recheck-register-changes": {"extract_id": 317},
        "screen-customer": {"company_subject_id": "c0ffee" * 5 + "ab"},
    }
    found = _runs_of(expected, timeout=90)
    assert found == expected


def _runs_of(expected: dict[str, dict[str, object]], timeout: float) -> dict[str, object]:
    """The parameters of the flow runs the deployments got, once each has one."""
    import time

    from prefect.events.worker import EventsWorker

    EventsWorker.drain_all(timeout=15)
    deadline = time.monotonic() + timeout
    found: dict[str, object] = {}
    while time.monotonic() < deadline and set(found) != set(expected):
        with get_client(sync_client=True) as client:
            deployments = {d.id: d.name for d in client.read_deployments()}
            for run in client.read_flow_runs():
                name = deployments.get(run.deployment_id) if run.deployment_id else None
                if name in expected and run.parameters == expected[name]:
                    found[name] = run.parameters
        time.sleep(1)
    return found
