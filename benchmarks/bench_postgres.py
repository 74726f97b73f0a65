"""The PostgreSQL server the benchmarks also measure: a fresh schema for one run, dropped
after it (``KYC_BENCH_POSTGRES_DSN``, default the CI server)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import psycopg

POSTGRES_DSN = os.environ.get("KYC_BENCH_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test")


@contextmanager
def postgres_schema() -> Iterator[str | None]:
    """A SQLAlchemy URL whose search path is a new schema, or None when no server
    answers; the schema is dropped on leaving."""
    try:
        with psycopg.connect(POSTGRES_DSN, autocommit=True, connect_timeout=3) as admin:
            schema = f"kyc_bench_{uuid.uuid4().hex[:10]}"
            admin.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.OperationalError:
        yield None
        return
    base = POSTGRES_DSN.replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield f"{base}?options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(POSTGRES_DSN, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
