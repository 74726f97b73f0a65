"""The README cannot drift from the code: settings table, commands, sample walk-through."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command

from kyc.cli import app
from kyc.purposes import load_purposes
from kyc.settings import Settings
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()


def test_the_two_commands_come_first() -> None:
    first_section = README.split("## ", 2)[1]
    assert "make demo" in first_section and "make test" in first_section


def test_every_setting_is_in_the_configuration_table() -> None:
    documented = set(re.findall(r"^\| `(KYC_[A-Z_]+)` \|", README, flags=re.MULTILINE))
    assert documented == {f"KYC_{name.upper()}" for name in Settings.model_fields}


def _leaf_commands(group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _leaf_commands(command, (*prefix, name))
        else:
            yield " ".join((*prefix, name))


def test_every_documented_command_exists_and_every_command_is_documented() -> None:
    existing = set(_leaf_commands(get_command(app)))
    documented = set(re.findall(r"^\| `kyc ([a-z-]+(?: [a-z-]+)?)", README, flags=re.MULTILINE))
    assert documented == existing


@pytest.mark.slow
def test_the_walkthrough_runs_as_written(tmp_path: Path) -> None:
    """The sample walk-through, command by command, as a user pastes it into a shell."""
    block = README.split("A walk-through on the samples", 1)[1].split("```sh\n", 1)[1]
    commands = block.split("```", 1)[0].replace("/tmp/kyc", str(tmp_path / "kyc"))
    script = "\n".join(line for line in commands.splitlines() if "bin/activate" not in line)
    bin_dir = str(Path(sys.executable).parent)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("KYC_")  # only what the walk-through sets
    }
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "audit chain verified" in done.stdout


def test_the_purpose_table_is_the_readme_s() -> None:
    """The README's table of purposes and retention rules says what the package's does."""
    table = load_purposes()
    section = README.split("## Privacy and audit", 1)[1].split("\n## ", 1)[0]
    purposes = re.findall(
        r"^\| `([a-z_]+)` \|[^|]+\|[^|]+\| (yes|no) \| `([a-z_]+)` \|$", section, re.M
    )
    assert {p: (restricted, kept) for p, restricted, kept in purposes} == {
        str(p): ("yes" if rule.under_restriction else "no", rule.retention.key)
        for p, rule in table.purposes.items()
    }
    rules = re.findall(r"^\| (`[a-z_]+`(?:, `[a-z_]+`)*) \| [^|]+ \|$", section, re.M)
    assert {key for cell in rules for key in re.findall(r"`([a-z_]+)`", cell)} == set(
        table.retention
    )
