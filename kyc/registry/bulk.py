"""Loading millions of rows the way each database loads fastest.

PostgreSQL gets ``COPY … FROM STDIN`` (psycopg streams the rows); SQLite, and any other
database, the driver's ``executemany`` of one prepared ``INSERT`` — neither goes through
the ORM, whose per-row bookkeeping would cost more than the database itself. Both run
on the session's own connection, inside its transaction: an import that fails leaves
the register as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

Row = tuple[Any, ...]
BulkInsert = Callable[[Table, Sequence[str], Sequence[Row]], None]


class RowsRefused(ValueError):
    """The database refused a row (a key already present): its own words, on one line."""


def bulk_inserter(session: Session) -> BulkInsert:
    """The fastest way to append rows to a table on this session's database."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return lambda table, columns, rows: _copy(session, table, columns, rows)
    placeholder = "?" if connection.dialect.paramstyle == "qmark" else "%s"

    def insert(table: Table, columns: Sequence[str], rows: Sequence[Row]) -> None:
        if rows:
            values = ", ".join([placeholder] * len(columns))
            statement = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({values})"
            try:
                session.connection().exec_driver_sql(statement, list(rows))
            except IntegrityError as error:
                raise RowsRefused(" ".join(str(error.orig).split())) from error

    return insert


def _copy(session: Session, table: Table, columns: Sequence[str], rows: Sequence[Row]) -> None:
    if not rows:
        return
    driver = session.connection().connection.driver_connection
    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    import psycopg  # the PostgreSQL driver: present wherever this path runs

    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(row)
    except psycopg.errors.IntegrityError as error:
        raise RowsRefused(" ".join(str(error).split())) from error


def refresh_statistics(session: Session, tables: Sequence[str]) -> None:
    """After a bulk load on PostgreSQL, let the planner know the tables' new sizes: without
    statistics it scans millions of rows where an index would find a few (an UPDATE's
    deletes took ten times longer). SQLite uses its indexes without them."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        for table in tables:
            connection.exec_driver_sql(f"ANALYZE {table}")
