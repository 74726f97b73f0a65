"""What the tests of the data subject's rights share: finding a planted text in every
text column of every table, and moving the tests' clock."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, Engine, String, Text, select

from kyc.app.runtime import Runtime
from kyc.store.models import Base


def text_columns_holding(engine: Engine, needles: list[str]) -> list[str]:
    """Every ``table.column`` whose text (or JSON) holds one of ``needles``, case aside."""
    wanted = [n.casefold() for n in needles]
    found: list[str] = []
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
            if not columns:
                continue
            for row in connection.execute(select(*columns)):
                for column, value in zip(columns, row, strict=True):
                    text = str(value).casefold()
                    found += [f"{table.name}.{column.name}" for n in wanted if n in text]
    return sorted(set(found))


def move_clock(runtime: Runtime, to: datetime) -> None:
    runtime.clock.now = to.astimezone(UTC)  # type: ignore[attr-defined]
