"""Shared fixtures: sample and real-data paths, and one database per test on each backend.

Database tests run on SQLite and, when a server answers, on PostgreSQL (a fresh schema
per test). On a user's machine without PostgreSQL those runs skip with the reason; under
CI (``CI=true``) an unreachable server fails them instead.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from kyc.app.runtime import Runtime
from kyc.audit import Auditor
from kyc.purposes import load_purposes
from kyc.settings import Settings
from tests.clock import StepClock
from tests.snapshots import Snapshot, is_fresh, restore, schema_of, settings_key, take

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
REALDATA = ROOT.parent / "shared" / "realdata"
POSTGRES_DSN = os.environ.get("KYC_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test")
TEST_NN_KEY = "test-key-0123456789abcdef"
# The samples hold a handful of entries: far below a real list's plausible size.
SMALL_LIST_RANGES = {key: (1, 100_000) for key in ("eu", "un", "ofac", "uk", "be")}
SMALL_LIST_RANGES_ENV = json.dumps(SMALL_LIST_RANGES)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tests first: spread over the workers from the start, none is left
    running alone at the end of the suite."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def realdata(relative: str) -> Path:
    """A published file from ../shared/realdata, or skip when that folder is absent."""
    path = REALDATA / relative
    if not path.exists():
        pytest.skip(f"{path} is absent: the real published files are not next to this clone")
    return path


@pytest.fixture(scope="session")
def postgres_available() -> bool:
    try:
        psycopg.connect(POSTGRES_DSN, connect_timeout=3).close()
    except psycopg.Error as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but PostgreSQL does not answer at {POSTGRES_DSN}: {error}")
        return False
    return True


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_available: bool
) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kyc.db'}"
        return
    if not postgres_available:
        pytest.skip(f"no PostgreSQL answers at {POSTGRES_DSN} (set KYC_TEST_POSTGRES_DSN)")
    url = new_schema("kyc_test")
    try:
        yield url
    finally:
        drop_schema(url)


def new_schema(prefix: str) -> str:
    """A fresh PostgreSQL schema, as the URL of a database whose search path it is."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    base = POSTGRES_DSN.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}?options={quote(f'-csearch_path={schema}')}"


def drop_schema(url: str) -> None:
    with psycopg.connect(POSTGRES_DSN, autocommit=True) as admin:
        admin.execute(f'DROP SCHEMA "{schema_of(url)}" CASCADE')


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        nn_key=TEST_NN_KEY,
        list_entry_ranges=SMALL_LIST_RANGES,
    )


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    opened = Runtime.open(settings, clock=StepClock())
    try:
        yield opened
        assert_every_event_names_a_purpose(opened.engine)
    finally:
        opened.close()


def assert_every_event_names_a_purpose(engine: Engine) -> None:
    """Every audit event the test wrote names a purpose of the table, with its basis:
    run after every test with a database, and on the demo's."""
    table = load_purposes()
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT DISTINCT purpose, legal_basis FROM audit_events")
        ).all()
    for purpose, basis in found:
        assert purpose in {str(p) for p in table.purposes}, f"an event names {purpose!r}"
        assert basis == table[purpose].legal_basis, f"{purpose}: basis {basis!r}"


@pytest.fixture
def session(runtime: Runtime) -> Iterator[Session]:
    with runtime.sessions() as session, session.begin():
        yield session


@pytest.fixture
def auditor() -> Auditor:
    return Auditor("test-suite", load_purposes().legal_bases(), StepClock())


def load_samples(runtime: Runtime) -> None:
    """The sample lists, register and customers, loaded as a user would."""
    from kyc.app import customers as customer_jobs
    from kyc.app import lists as list_jobs
    from kyc.app import register as register_jobs

    list_jobs.import_list(runtime, "eu", SAMPLES / "lists" / "eu_sample.xml")
    list_jobs.import_list(runtime, "un", SAMPLES / "lists" / "un_sample.xml")
    register_jobs.import_register(runtime, SAMPLES / "kbo")
    report = customer_jobs.import_customer_file(runtime, SAMPLES / "customers.csv")
    assert not report.rejected


@pytest.fixture(scope="session")
def _snapshots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Snapshot]]:
    """The template databases of this test process, removed at its end."""
    built: dict[str, Snapshot] = {}
    yield built
    for snapshot in built.values():
        url = snapshot.template.settings.effective_database_url
        snapshot.template.close()
        if not url.startswith("sqlite"):
            drop_schema(url)


def _template(settings: Settings, root: Path) -> Runtime:
    if settings.effective_database_url.startswith("sqlite"):
        url = f"sqlite:///{root / 'kyc.db'}"
    else:
        url = new_schema("kyc_template")
    copy = settings.model_copy(update={"data_dir": root / "data", "database_url": url})
    return Runtime.open(copy, clock=StepClock())


@pytest.fixture
def loaded(
    runtime: Runtime,
    _snapshots: dict[str, Snapshot],
    tmp_path_factory: pytest.TempPathFactory,
) -> Runtime:
    """A runtime whose database holds the sample lists, register and customers (copied
    from a template this process loaded once: see tests/snapshots.py)."""
    key = settings_key("samples", runtime.settings)
    if key not in _snapshots:
        template = _template(runtime.settings, tmp_path_factory.mktemp("template"))
        _snapshots[key] = take(template, load_samples)
    snapshot = _snapshots[key]
    if is_fresh(runtime, snapshot):
        restore(snapshot, runtime)
    else:  # the test stored or read the clock before: load as a user would
        load_samples(runtime)
    return runtime


@pytest.fixture
def twins(
    runtime: Runtime,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Iterator[tuple[Runtime, Runtime]]:
    """Two databases holding the same generated customer base row for row: the test
    module's ``COMPANIES`` customers, rescreened in partitions of its ``SIZE``."""
    from tests.rescreen_support import same_customers

    companies, size = request.module.COMPANIES, request.module.SIZE
    with same_customers(runtime, tmp_path, tmp_path_factory, companies, size) as pair:
        yield pair


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2, with the least work it allows: the production parameters cost a
    tenth of a second per hash by design, which a suite of hundreds of logins need not
    pay (a hash carries its parameters: the app verifies these as it would its own)."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(
        "kyc.access.accounts._HASHER", PasswordHasher(time_cost=1, memory_cost=1024)
    )


# Accounts the review tests act as (the password is the tests' own, long enough).
TEST_PASSWORD = "a test password, long enough"
REVIEWERS = {"ana": "analyst", "bob": "approver", "carl": "approver", "aud": "auditor"}


@pytest.fixture
def reviewers(runtime: Runtime) -> Runtime:
    """The runtime with an analyst (ana), two approvers (bob, carl) and an auditor (aud)."""
    from kyc.app import users as user_jobs

    for name, role in REVIEWERS.items():
        user_jobs.add_user(runtime, name, role, TEST_PASSWORD)
    return runtime


def decided(runtime: Runtime, hit_id: int, decision: str, reason: str = "checked") -> None:
    """A decision taken under four eyes: ana proposes, bob approves (accounts made here
    when the test has none)."""
    from kyc.app import review as review_jobs
    from kyc.app import users as user_jobs
    from kyc.review.kinds import DecisionKind

    with runtime.readers() as session:
        known = {a.name for a in user_jobs.accounts.list_users(session)}
    for name in ("ana", "bob"):
        if name not in known:
            user_jobs.add_user(runtime, name, REVIEWERS[name], TEST_PASSWORD)
    review_jobs.propose(
        runtime, hit_id, decision=DecisionKind(decision), reason=reason, reviewer="ana"
    )
    review_jobs.approve(runtime, hit_id, approver="bob")
