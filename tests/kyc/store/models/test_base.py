"""What every table shares: datetimes stored as UTC, every table reachable from the package."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.dialects import sqlite

import kyc.store.models as models
from kyc.store.models import Base, UtcDateTime


def test_datetimes_are_stored_as_utc_and_come_back_aware() -> None:
    column, dialect = UtcDateTime(), sqlite.dialect()
    brussels = datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    assert column.process_bind_param(brussels, dialect) == datetime(2026, 12, 3, 9, 0)
    stored = datetime(2026, 12, 3, 9, 0)
    assert column.process_result_value(stored, dialect) == datetime(2026, 12, 3, 9, tzinfo=UTC)
    with pytest.raises(ValueError, match="naive datetimes are not stored"):
        column.process_bind_param(datetime(2026, 12, 3, 9, 0), dialect)


def test_every_table_has_its_class_in_the_package() -> None:
    """Alembic and the tests read the package: a table defined in a module it does not
    import would be missing from both."""
    exported = {getattr(models, name) for name in models.__all__ if name != "NAMING"}
    mapped = {mapper.class_ for mapper in Base.registry.mappers}
    assert mapped <= exported
    assert {m.local_table.name for m in Base.registry.mappers} == set(Base.metadata.tables)
