"""Alembic environment: runs on the engine handed over by ``kyc.store.db``, or on the
configured ``KYC_DATABASE_URL`` when called through the ``alembic`` command."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, text

from kyc.settings import load_settings
from kyc.store.db import make_engine
from kyc.store.models import Base

config = context.config
engine: Engine = config.attributes.get("engine") or make_engine(
    load_settings().effective_database_url
)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        # One transaction for the whole upgrade, on SQLite too: another process sees the
        # schema either absent or complete, never half made.
        transactional_ddl=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Two processes finding the same empty database migrate one after the other.
            connection.execute(text("SELECT pg_advisory_xact_lock(7207201)"))
        context.run_migrations()
    connection.commit()
