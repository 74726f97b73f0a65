from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from kyc.app.runtime import Runtime
from kyc.store.db import (
    SchemaOutOfDate,
    alembic_config,
    current_revision,
    ensure_schema,
    head_revision,
    make_engine,
)
from kyc.store.models import Base


def test_migrations_create_exactly_the_models(runtime: Runtime) -> None:
    with runtime.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    assert current_revision(runtime.engine) == head_revision()


def test_sqlite_runs_in_wal_mode(runtime: Runtime) -> None:
    if runtime.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with runtime.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_audit_events_refuse_update_and_delete_in_the_database(runtime: Runtime) -> None:
    with runtime.sessions() as session, session.begin():
        runtime.auditor().record(session, action="test", purpose="audit", outcome="ok")  # type: ignore[arg-type]
    for statement in ("UPDATE audit_events SET outcome = 'forged'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"), runtime.engine.begin() as connection:
            connection.execute(text(statement))


def test_outdated_schema_is_refused_with_advice(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
        connection.execute(text("INSERT INTO alembic_version VALUES ('0000')"))
    with pytest.raises(SchemaOutOfDate, match="kyc db upgrade"):
        ensure_schema(engine)


def test_empty_database_gets_the_schema(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new' / 'kyc.db'}")
    ensure_schema(engine)
    assert "audit_events" in inspect(engine).get_table_names()


def test_threads_opening_one_new_database_together(tmp_path) -> None:
    import threading

    engine = make_engine(f"sqlite:///{tmp_path / 'shared.db'}")
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            ensure_schema(engine)
        except BaseException as error:  # collected, for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert current_revision(engine) == head_revision()


def test_processes_opening_one_new_database_together(tmp_path) -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    kyc = str(Path(sys.executable).with_name("kyc"))
    env = {**os.environ, "KYC_DATA_DIR": str(tmp_path / "data")}
    env.pop("KYC_DATABASE_URL", None)
    processes = [
        subprocess.Popen(
            [kyc, "audit", "verify"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(3)
    ]
    results = [
        (p.wait(timeout=120), p.stderr.read().decode() if p.stderr else "") for p in processes
    ]
    for process in processes:
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
    assert results == [(0, "")] * 3


def test_the_head_read_from_the_files_is_alembics(tmp_path: Path) -> None:
    from alembic.script import ScriptDirectory

    engine = make_engine(f"sqlite:///{tmp_path / 'kyc.db'}")
    assert head_revision() == ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
