"""The README cannot drift from the code: settings table, commands, sample walk-through."""

from __future__ import annotations

import re

from typer.main import get_command

from kyc.cli import app
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
