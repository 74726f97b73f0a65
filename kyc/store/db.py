"""Engines, sessions and schema migrations. Nothing global: callers own their engine."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
READ_ONLY = "kyc_read_only"


class SchemaOutOfDate(RuntimeError):
    pass


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite files get WAL, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy emits BEGIN itself (below), instead of the driver's deferred one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # The timeout first: switching to WAL needs a lock another connection may hold.
    cursor.execute("PRAGMA busy_timeout=30000")
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        cursor.execute("PRAGMA journal_mode=WAL")  # persists in the file once set
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # A deferred transaction that reads and then writes can fail to upgrade its lock
    # when another process wrote meanwhile; taking the write lock up front makes
    # concurrent writers (say, two audit appends) wait for each other instead. Readers
    # (see read_only) begin deferred: in WAL mode they see one snapshot and block nobody.
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


# Alembic keeps its migration context in module globals: one upgrade at a time per
# process (threads of a flow may open the same empty database together).
_UPGRADE_LOCK = threading.Lock()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` (``kyc db upgrade``)."""
    with _UPGRADE_LOCK:
        _upgrade_unlocked(engine, revision)


def _upgrade_unlocked(engine: Engine, revision: str = "head") -> None:
    from alembic import command  # loaded only to migrate: see head_revision

    command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, as Alembic records it (None before any)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(_VERSION_TABLE):
            return None
        return connection.execute(text(f"SELECT version_num FROM {_VERSION_TABLE}")).scalar()


_VERSION_TABLE = "alembic_version"
_REVISION = re.compile(r'^revision: str = "([^"]+)"', re.MULTILINE)
_REVISES = re.compile(r'^down_revision: str \| None = (?:"([^"]+)"|None)', re.MULTILINE)


def head_revision() -> str:
    """The newest migration: the one no other revises. Read from the migration files
    (Alembic itself takes a third of a second to load, which every command would pay
    to check the schema); a test holds it equal to Alembic's own answer."""
    revisions, revised = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found, revises = _REVISION.search(source), _REVISES.search(source)
        if found is None or revises is None:
            raise RuntimeError(f"migration {path.name} names no revision or down_revision")
        revisions.add(found.group(1))
        if revises.group(1):
            revised.add(revises.group(1))
    heads = revisions - revised
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


_SCHEMA_WAIT_SECONDS = 30.0


def ensure_schema(engine: Engine) -> None:
    """Create the schema on an empty database; refuse to run on an outdated one.

    Tables without a recorded revision usually mean another process is creating the
    schema right now: wait for it before calling the database unknown.
    """
    head = head_revision()
    deadline = time.monotonic() + _SCHEMA_WAIT_SECONDS
    while True:
        with _UPGRADE_LOCK:
            current = current_revision(engine)
            if current == head:
                return
            if current is None and not inspect(engine).get_table_names():
                _upgrade_unlocked(engine)
                return
        if current is not None or time.monotonic() > deadline:
            raise SchemaOutOfDate(
                f"the database schema is at {current or 'an unknown revision'}, "
                f"the code expects {head}: run `kyc db upgrade`"
            )
        time.sleep(0.2)


def session_factory(engine: Engine, *, read_only: bool = False) -> sessionmaker[Session]:
    """Sessions for writing (the default) or for reading only, which on SQLite neither
    wait for nor block a writer."""
    bind = engine.execution_options(**{READ_ONLY: True}) if read_only else engine
    return sessionmaker(bind, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work is committed on success and rolled back on any error."""
    with factory() as session, session.begin():
        yield session
