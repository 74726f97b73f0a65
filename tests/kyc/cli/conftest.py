"""What the command tests share: the ``kyc`` command run in this process."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kyc.cli import app
from tests.conftest import SMALL_LIST_RANGES_ENV, TEST_NN_KEY


@pytest.fixture
def cli(tmp_path: Path, database_url: str):
    runner = CliRunner()
    env = {
        "KYC_DATA_DIR": str(tmp_path / "data"),
        "KYC_DATABASE_URL": database_url,
        "KYC_NN_KEY": TEST_NN_KEY,
        "KYC_LIST_ENTRY_RANGES": SMALL_LIST_RANGES_ENV,
    }

    def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        result = runner.invoke(app, list(args), env=env, input=stdin)
        return result.exit_code, result.stdout, result.stderr

    return invoke
