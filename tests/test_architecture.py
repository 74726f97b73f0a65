"""The house rules that a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast
import hashlib
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REALDATA, ROOT

DOMAIN_PACKAGES = ("kyc", "sanctions_sources")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", DOMAIN_PACKAGES)
def test_domain_code_never_imports_the_orchestrator(package: str) -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / package).rglob("*.py")
        if any(
            name == m or m.startswith(f"{name}.")
            for m in _imports(path)
            for name in ("prefect", "flows")
        )
    ]
    assert offenders == []


def test_no_published_file_is_copied_into_the_project() -> None:
    if not REALDATA.exists():
        pytest.skip(f"{REALDATA} is absent")
    published = {
        hashlib.sha256(p.read_bytes()).hexdigest()
        for p in REALDATA.rglob("*")
        if p.is_file() and p.stat().st_size > 2048
    }
    tracked = (
        subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    copies = [
        name
        for name in tracked
        if name
        and (ROOT / name).is_file()
        and hashlib.sha256((ROOT / name).read_bytes()).hexdigest() in published
    ]
    assert copies == []


def _reads_environment_at_import(path: Path) -> bool:
    """Whether a statement outside any function or class touches os.environ/os.getenv."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"):
                return True
    return False


def test_settings_are_never_read_at_import_time() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for package in (*DOMAIN_PACKAGES, "flows")
        for path in (ROOT / package).rglob("*.py")
        if _reads_environment_at_import(path)
    ]
    assert offenders == []


def test_test_tree_mirrors_the_packages() -> None:
    """Each package has its test folder; each list source its test module."""
    for package in (*DOMAIN_PACKAGES, "flows"):
        for directory in (ROOT / package).rglob("*"):
            if not (directory.is_dir() and (directory / "__init__.py").exists()):
                continue
            relative = directory.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            if relative.parent.name == "sanctions_sources":
                expected = ROOT / "tests" / "sanctions_sources" / f"test_{relative.name}.py"
                assert expected.is_file(), f"{expected.relative_to(ROOT)} is missing"
            else:
                assert (ROOT / "tests" / relative).is_dir(), f"tests/{relative} is missing"


# Where a database session may be opened: the application layer, and the store that
# makes the session factories. Everything else is given a session.
SESSION_OPENERS = ("kyc/app", "kyc/store")
_OPENING_CALLS = {"transaction", "session_factory", "sessionmaker", "sessions", "readers"}


def _opens_sessions(path: Path) -> list[int]:
    """The lines calling a session factory (``runtime.sessions()``, ``transaction(…)``,
    ``Session(engine)``…) or handing one on (``transaction(runtime.sessions)``)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            called = node.func
            name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            # SQLAlchemy's Session(engine); requests.Session() is an HTTP session.
            if name in _OPENING_CALLS or isinstance(called, ast.Name) and name == "Session":
                lines.append(node.lineno)
        elif isinstance(node, ast.Attribute) and node.attr in ("sessions", "readers"):
            lines.append(node.lineno)
    return lines


def test_sessions_are_opened_only_in_the_application_layer() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for package in (*DOMAIN_PACKAGES, "flows")
        for path in sorted((ROOT / package).rglob("*.py"))
        if not str(path.relative_to(ROOT)).startswith(SESSION_OPENERS)
        for line in _opens_sessions(path)
    ]
    assert offenders == []


def test_the_rule_finds_a_session_opened_elsewhere(tmp_path: Path) -> None:
    sample = tmp_path / "command.py"
    sample.write_text(
        "def run(runtime):\n"
        "    with runtime.readers() as session:\n"
        "        return session\n"
        "def decide(runtime):\n"
        "    with transaction(runtime.sessions) as session:\n"
        "        return session\n"
    )
    assert sorted(set(_opens_sessions(sample))) == [2, 5]


# The bottom floor: what the settings may build on (plain data and identifiers).
BOTTOM = {"kyc.settings", "kyc.purposes", "kyc.weights", "kyc.identifiers", "kyc.model"}


def test_the_settings_depend_on_nothing_above_them() -> None:
    for module in BOTTOM:
        path = ROOT / (module.replace(".", "/") + ".py")
        ours = {m for m in _imports(path) if m == "kyc" or m.startswith("kyc.")}
        assert ours <= BOTTOM, f"{module} imports {sorted(ours - BOTTOM)}"
