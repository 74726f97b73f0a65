"""The tests' clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class StepClock:
    """A clock that moves forward one second per reading: ordered, reproducible times."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now
