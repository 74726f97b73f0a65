"""Databases built once per test process and copied into each test that asks for one.

Loading the samples (two lists through their quality suites, a register extract through
its own, the customers and their mandate checks) costs seconds; a hundred and more
tests start from that state, on both backends. The first test of a process builds it
in a template database; the others get its rows copied, row for row, into their own
fresh database, with the data directory's files and the clock where the build left it.
The copy is exact (ids, hashes, audit chain), so a test sees what loading would make.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Integer, Table, text

from kyc.app.runtime import Runtime
from kyc.settings import Settings
from kyc.store.models import Base
from tests.clock import StepClock


@dataclass(frozen=True)
class Snapshot:
    template: Runtime
    data_dir: Path
    # The template's state before the build (its clock, its row count) and after.
    clock_start: datetime
    rows_start: int
    clock_now: datetime


def settings_key(name: str, settings: Settings) -> str:
    """The settings that shape what a build stores (not where it stores it)."""
    shaping = settings.model_dump(mode="json", exclude={"data_dir", "database_url"})
    digest = hashlib.sha256(json.dumps(shaping, sort_keys=True, default=str).encode())
    return f"{name}:{_backend(settings)}:{digest.hexdigest()[:16]}"


def take(template: Runtime, build: Callable[[Runtime], object]) -> Snapshot:
    """Build into ``template``, a fresh database with a StepClock of its own."""
    clock = template.clock
    if not isinstance(clock, StepClock):
        raise TypeError("a template's clock must be a StepClock")
    start, rows = clock.now, _rows(template)
    build(template)
    return Snapshot(template, template.settings.data_dir, start, rows, clock.now)


def is_fresh(runtime: Runtime, snapshot: Snapshot) -> bool:
    """Whether ``runtime`` is where the template was before its build: same clock
    reading, nothing stored. Otherwise a copy would lose or contradict what is there."""
    clock = runtime.clock
    return (
        isinstance(clock, StepClock)
        and clock.now == snapshot.clock_start
        and _rows(runtime) == snapshot.rows_start
    )


def _rows(runtime: Runtime) -> int:
    counts = " + ".join(f'(SELECT COUNT(*) FROM "{t.name}")' for t in Base.metadata.sorted_tables)
    with runtime.engine.connect() as connection:
        return int(connection.execute(text(f"SELECT {counts}")).scalar_one())


def restore(snapshot: Snapshot, runtime: Runtime) -> None:
    """Copy the snapshot's rows and files into ``runtime``'s fresh database."""
    source = snapshot.template.settings
    if _backend(source) == "sqlite":
        _copy_sqlite(runtime, Path(source.effective_database_url.split("///", 1)[1]))
    else:
        _copy_postgresql(runtime, schema_of(source.effective_database_url))
    if snapshot.data_dir.exists():
        shutil.copytree(snapshot.data_dir, runtime.settings.data_dir, dirs_exist_ok=True)
    assert isinstance(runtime.clock, StepClock)
    runtime.clock.now = snapshot.clock_now


def _backend(settings: Settings) -> str:
    return "sqlite" if settings.effective_database_url.startswith("sqlite") else "postgresql"


def schema_of(url: str) -> str:
    """The schema a test database URL sets as its search path."""
    return url.rsplit("search_path%3D", 1)[1]


def _copy_statements(source: str) -> list[str]:
    """Empty the fresh tables (a migration may have seeded one), then copy every row."""
    tables = Base.metadata.sorted_tables
    statements = [f'DELETE FROM "{table.name}"' for table in reversed(tables)]
    for table in tables:
        columns = ", ".join(f'"{c.name}"' for c in table.columns)
        statements.append(
            f'INSERT INTO "{table.name}" ({columns}) SELECT {columns} FROM {source}."{table.name}"'
        )
    return statements


def _copy_sqlite(runtime: Runtime, template_file: Path) -> None:
    # ATTACH and the foreign-key switch are refused inside a transaction: the driver's
    # own connection, left in autocommit by kyc.store.db, runs them around one.
    raw = runtime.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.execute("ATTACH DATABASE ? AS template", (str(template_file),))
        cursor.execute("BEGIN IMMEDIATE")
        for statement in _copy_statements("template"):
            cursor.execute(statement)
        cursor.execute("COMMIT")
        cursor.execute("DETACH DATABASE template")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        raw.close()


def _copy_postgresql(runtime: Runtime, schema: str) -> None:
    with runtime.engine.begin() as connection:
        for statement in _copy_statements(f'"{schema}"'):
            connection.execute(text(statement))
        for table in Base.metadata.sorted_tables:
            if _serial_id(table):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'
                    )
                )


def _serial_id(table: Table) -> bool:
    column = table.columns.get("id")
    return (
        column is not None
        and column.primary_key
        and isinstance(column.type, Integer)
        and column.autoincrement in (True, "auto")
        and len(table.primary_key.columns) == 1
    )
