"""`make demo` as a user runs it: its own Prefect server, the samples, a summary — and the
Prefect server that `make prefect-ui` starts afterwards shows the demo's flow runs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from sqlalchemy import text

from flows.demo import _free_port, _wait_until_healthy
from kyc.store.db import make_engine
from tests.conftest import assert_every_event_names_a_purpose

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "KYC_"))}
    return {
        **env,
        "KYC_DATA_DIR": str(data),
        "PREFECT_HOME": str(data / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }


def _kyc(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "kyc"), *args], cwd=ROOT, env=_env(data), capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


@pytest.mark.slow
def test_demo_runs_and_its_flow_runs_stay_visible(tmp_path: Path) -> None:
    data = tmp_path / "data"
    demo = subprocess.run(
        [sys.executable, "-m", "flows.demo"],
        cwd=ROOT,
        env=_env(data),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    summary = demo.stdout[demo.stdout.index("Demo complete") :]
    assert "customers screened:  8 companies and 11 representatives" in summary
    assert "companies verified:  8 (1 failed, 2 needs_review, 5 verified)" in summary
    assert (
        "list update:         eu: version 3 imported and activated (1 added, 0 removed, 1 changed)"
        in summary
    )
    # The delta screening of the update: of the 19 subjects, the names of the entries
    # it added or changed can reach 2 (kyc.matching.reverse), and one is a hit.
    assert "2 subjects, 1 new hits" in summary
    assert "hits to review:      4" in summary
    assert "audit chain:         verified" in summary
    assert "kyc review list" in summary and "make prefect-ui" in summary
    # The review app's accounts, one per role, each password printed this once.
    passwords = re.findall(r"(analyst|approver|auditor): +demo-\1  password: (\S+)", summary)
    assert [role for role, _p in passwords] == ["analyst", "approver", "auditor"]
    assert "make review" in summary
    # Run links point at the UI `make prefect-ui` serves, not at the demo's own server.
    links = re.findall(r"View at (http://\S+)", demo.stdout + demo.stderr)
    assert links and all(link.startswith("http://127.0.0.1:4200/") for link in links)

    review = subprocess.run(
        [str(BIN / "kyc"), "review", "list"],
        cwd=ROOT,
        env=_env(data),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert review.returncode == 0 and "4 hit(s)" in review.stdout
    demo_db = make_engine(f"sqlite:///{data / 'kyc.db'}")
    try:
        assert_every_event_names_a_purpose(demo_db)
        with demo_db.connect() as connection:
            runs = [r[0] for r in connection.execute(text("SELECT id FROM screening_runs"))]
    finally:
        demo_db.dispose()
    # Every screening run of the demo replays with identical hits.
    assert len(runs) >= 4
    for run_id in runs:
        replay = _kyc(data, "screen", "replay", str(run_id))
        assert replay.returncode == 0 and "identical hits" in replay.stdout, replay.stdout
    # Every job signed its checkpoint; an auditor's check with the public key holds.
    public = data / "demo-audit-public-key.pem"
    verified = _kyc(data, "audit", "verify", "--public-key", str(public))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "checkpoints found in the chain (signatures verified)" in verified.stdout

    port = _free_port()
    log = tmp_path / "ui.log"
    with log.open("wb") as handle:
        server = subprocess.Popen(
            [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=_env(data),
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}/api"
        _wait_until_healthy(url, server, log)
        runs = requests.post(f"{url}/flow_runs/filter", json={}, timeout=30).json()
        flows = requests.post(f"{url}/flows/filter", json={}, timeout=30).json()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert {flow["name"] for flow in flows} == {
        "refresh-lists",
        "import-register",
        "import-customers",
        "onboarding-screening",
        "rescreen-all",
        "rescreen-partitions",  # the rescreen's partitions, a subflow of their own
    }
    assert len(runs) == 7
    assert all(run["state_type"] == "COMPLETED" for run in runs)
