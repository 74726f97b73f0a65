"""The command starts fast: ``kyc --help`` and a command's argument checks load none of
the heavy libraries, and the use cases load only what every one of them needs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = (
    "alembic", "dns", "great_expectations", "numba", "numpy", "pandas", "prefect",
    "pydantic", "rapidfuzz", "requests", "rigour", "scipy", "sqlalchemy",
)  # fmt: skip
# What the use cases need whatever they do (the store, the settings) is loaded with them;
# the matcher's numerical libraries and the migrations only by those that use them.
ONLY_WHERE_USED = {"alembic", "great_expectations", "numba", "numpy", "pandas", "prefect", "scipy"}


def loaded_by(module: str) -> set[str]:
    """The heavy libraries a new interpreter has loaded once it imported ``module``."""
    script = (
        f"import sys, json; import {module}; "
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    )
    return set(json.loads(result.stdout))


def test_the_command_line_loads_no_heavy_library() -> None:
    assert loaded_by("kyc.cli") == set()


@pytest.mark.parametrize(
    "area", ["audit", "customers", "lists", "mandates", "register", "runtime", "screening"]
)
def test_the_use_cases_load_the_matcher_and_migrations_only_when_used(area: str) -> None:
    assert loaded_by(f"kyc.app.{area}") & ONLY_WHERE_USED == set()


def test_the_runtime_loads_only_the_store_and_the_settings() -> None:
    assert loaded_by("kyc.app.runtime") == {"sqlalchemy", "pydantic"}
