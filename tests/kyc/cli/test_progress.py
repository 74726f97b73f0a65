"""Long commands watched: a bar on a terminal, a line per stage in the log."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from rich.progress import Progress

from kyc.cli.progress import StageCount
from tests.conftest import SAMPLES, SMALL_LIST_RANGES_ENV


def _on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run ``kyc`` through a pseudo-terminal, as a user at a shell sees it."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("kyc")), *args],
        env=env,
        stdin=follower,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    assert process.wait(timeout=120) == 0, output.decode(errors="replace")
    return output.decode(errors="replace")


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "KYC_DATA_DIR": str(tmp_path / "data"),
        "KYC_LIST_ENTRY_RANGES": SMALL_LIST_RANGES_ENV,
        "COLUMNS": "100",
    }
    env.pop("KYC_DATABASE_URL", None)
    return env


@pytest.mark.slow
def test_batch_shows_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    env = _environment(tmp_path)
    subprocess.run(
        [Path(sys.executable).with_name("kyc"), "lists", "refresh", "--from-dir"]
        + [str(SAMPLES / "lists")],
        env=env,
        check=True,
        capture_output=True,
    )
    rows = tmp_path / "in.csv"
    rows.write_text("id,name,kind\n" + "".join(f"{i},Name {i},person\n" for i in range(300)))
    text = _on_a_terminal(["screen", "batch", str(rows), "--out", str(tmp_path / "o.csv")], env)
    assert "300/300 rows" in text
    # The stage lines stay; the begin lines are the bar's, not repeated.
    assert "batch screening of in.csv: screening done in" in text
    assert "screening (300 rows)" not in text
    assert "300 rows screened" in text


def test_register_import_on_a_terminal_ends_each_file_with_a_line(tmp_path: Path) -> None:
    text = _on_a_terminal(["registry", "import", str(SAMPLES / "kbo")], _environment(tmp_path))
    for name in ("code.csv", "enterprise.csv", "denomination.csv", "address.csv"):
        assert f"register import of kbo: {name} done in" in text
    assert "register import of kbo: quality suite done in" in text
    assert "imported as register version 1" in text


def test_batch_shows_no_progress_bar_when_piped(cli, tmp_path: Path) -> None:
    cli("lists", "refresh", "--from-dir", str(SAMPLES / "lists"))
    code, out, err = cli(
        "screen", "batch", str(SAMPLES / "screen_batch.csv"), "--out", str(tmp_path / "o.csv")
    )
    assert code == 0 and "6/6" not in out + err
    assert "batch screening of screen_batch.csv: screening (6 rows)" in err


def test_list_refresh_logs_a_line_per_stage_when_piped(cli) -> None:
    code, out, err = cli("lists", "refresh", "--from-dir", str(SAMPLES / "lists"))
    assert code == 0
    lines = err.splitlines()
    for stage in ("parsing", "quality suite (5 entries)", "storing (5 entries)", "activating"):
        assert any(line.endswith(f"eu list import: {stage}") for line in lines), stage
    assert any("delta screening of change set 1: screening done in" in line for line in lines)
    # Stage lines are the log: on standard error, each with its time.
    assert "list import" not in out
    assert all(line[:4].isdigit() for line in lines if "list import" in line)


def test_rescreen_logs_its_stages(cli) -> None:
    cli("lists", "refresh", "--from-dir", str(SAMPLES / "lists"))
    cli("registry", "import", str(SAMPLES / "kbo"))
    cli("customers", "import", str(SAMPLES / "customers.csv"))
    code, out, err = cli("rescreen")
    assert code == 0, err
    assert "rescreen: partitions (1 partitions)" in err
    # A line per partition committed, for a log's reader (a terminal's bar counts them).
    assert "rescreen: partition 1 of 1 committed: 7 companies, 16 subjects" in err
    assert "rescreen: finishing the run done in" in err
    # The partition's own stages are not repeated in the run's log.
    assert "register and mandate checks" not in err


def test_the_count_is_told_in_the_stage_unit() -> None:
    progress = Progress()
    rows = progress.add_task("rows", total=5000, unit="subjects", completed=1200)
    read = progress.add_task("bytes", total=3_400_000, unit="bytes", completed=1_200_000)
    open_ended = progress.add_task("open", total=None, unit="", completed=7)
    count = StageCount()
    assert count.render(progress.tasks[rows]).plain == "1,200/5,000 subjects"
    assert count.render(progress.tasks[read]).plain == "1.2 MB/3.4 MB"
    assert count.render(progress.tasks[open_ended]).plain == "7"
