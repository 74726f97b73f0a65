"""``kyc rescreen`` killed with SIGKILL in the middle of a run, then resumed: it ends
with exactly what an uninterrupted run wrote (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kyc.app import rescreen as rescreen_jobs
from kyc.app.runtime import Runtime
from tests.conftest import SMALL_LIST_RANGES_ENV, TEST_NN_KEY
from tests.rescreen_support import assert_same, what_a_rescreen_left

# The customer base of this module's ``twins`` (tests/conftest.py).
COMPANIES, SIZE = 150, 5
KYC = str(Path(sys.executable).with_name("kyc"))


def _environment(runtime: Runtime) -> dict[str, str]:
    env = {
        **os.environ,
        "KYC_DATABASE_URL": runtime.settings.effective_database_url,
        "KYC_DATA_DIR": str(runtime.settings.data_dir),
        "KYC_NN_KEY": TEST_NN_KEY,
        "KYC_LIST_ENTRY_RANGES": SMALL_LIST_RANGES_ENV,
        "KYC_RESCREEN_PARTITION_SIZE": str(SIZE),
    }
    env.pop("KYC_AUDIT_SIGNING_KEY", None)
    return env


def _rescreen(runtime: Runtime, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KYC, "rescreen", *options],
        env=_environment(runtime),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _killed_after(runtime: Runtime, partitions: int) -> list[str]:
    """Start ``kyc rescreen`` and SIGKILL it once it has said ``partitions`` committed."""
    seen: list[str] = []
    with subprocess.Popen(
        [KYC, "rescreen"],
        env=_environment(runtime),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stderr is not None
        for line in process.stderr:
            seen.append(line)
            if f"partition {partitions} of" in line:
                os.kill(process.pid, signal.SIGKILL)
                break
        process.wait(timeout=60)  # reaped: not a zombie that looks alive
    assert process.returncode == -signal.SIGKILL, "".join(seen)
    return seen


@pytest.mark.slow
def test_a_rescreen_killed_mid_run_resumes_to_the_same_end(
    twins: tuple[Runtime, Runtime],
) -> None:
    whole, killed = twins
    uninterrupted = _rescreen(whole)
    assert uninterrupted.returncode == 0, uninterrupted.stderr
    total = COMPANIES // SIZE
    assert f"({total} partitions)" in uninterrupted.stdout

    _killed_after(killed, 3)
    done = rescreen_jobs.progress(killed, 1).done
    assert 3 <= done < total, "the kill must land in the middle of the run"

    refused = _rescreen(killed)
    assert refused.returncode == 1
    assert f"{done} of {total} partitions committed) was interrupted" in refused.stderr
    assert "kyc rescreen --resume" in refused.stderr and "Traceback" not in refused.stderr

    resumed = _rescreen(killed, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed 1 time(s)" in resumed.stdout
    assert f"partition {done + 1} of {total} committed" in resumed.stderr
    assert "partition 1 of" not in resumed.stderr  # committed partitions are not redone
    left, right = what_a_rescreen_left(whole), what_a_rescreen_left(killed)
    assert left["hits"] and left["chain_ok"] and right["chain_ok"]
    assert_same(left, right)
    # The summaries agree too (the hit ids aside, which PostgreSQL does not give back).
    assert _without_run(uninterrupted.stdout) == _without_run(resumed.stdout)


def _without_run(summary: str) -> str:
    return summary.split("): ", 1)[1]
