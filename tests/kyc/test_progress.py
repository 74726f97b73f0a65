"""The stages of a long job: logged as each begins and ends, heard by a listener."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pytest

from kyc.progress import LOG, Stages


@dataclass
class Heard:
    calls: list[tuple[object, ...]] = field(default_factory=list)

    def begin(self, description: str, total: int | None, unit: str) -> None:
        self.calls.append(("begin", description, total, unit))

    def advance(self, amount: int) -> None:
        self.calls.append(("advance", amount))

    def end(self) -> None:
        self.calls.append(("end",))


class Ticks:
    """A clock that moves 2 seconds each time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 2.0
        return self.now


def test_each_stage_is_logged_as_it_begins_and_ends(caplog: pytest.LogCaptureFixture) -> None:
    heard = Heard()
    caplog.set_level(logging.DEBUG, logger=LOG.name)
    with Stages("rescreen", listener=heard, clock=Ticks()) as stages:
        stages.begin("checks", 3, "companies")
        stages.advance()
        stages.advance(2)
        stages.begin("committing")
    assert [r.getMessage() for r in caplog.records] == [
        "rescreen: checks (3 companies)",
        "rescreen: checks done in 2.0 s, 3 companies",
        "rescreen: committing",
        "rescreen: committing done in 2.0 s",
    ]
    assert [r.stage_event for r in caplog.records] == [
        "begin",
        "end",
        "begin",
        "end",
    ]
    assert heard.calls == [
        ("begin", "rescreen: checks", 3, "companies"),
        ("advance", 1),
        ("advance", 2),
        ("end",),
        ("begin", "rescreen: committing", None, ""),
        ("end",),
    ]


def test_an_error_logs_the_stage_it_stopped_in(caplog: pytest.LogCaptureFixture) -> None:
    heard = Heard()
    caplog.set_level(logging.DEBUG, logger=LOG.name)
    with pytest.raises(RuntimeError), Stages("import", listener=heard) as stages:
        stages.begin("enterprise.csv", 100, "bytes")
        raise RuntimeError("disk full")
    assert caplog.records[-1].getMessage() == "import: stopped during enterprise.csv"
    assert heard.calls[-1] == ("end",)


def test_stages_can_go_to_another_log(caplog: pytest.LogCaptureFixture) -> None:
    """A flow hands its run's logger, so the lines are kept with the run."""
    run_log = logging.getLogger("test.run")
    caplog.set_level(logging.DEBUG, logger="test.run")
    with Stages("lists", log=run_log) as stages:
        stages.begin("parsing")
    assert {r.name for r in caplog.records} == {"test.run"}
    assert [r.levelno for r in caplog.records] == [logging.DEBUG, logging.INFO]
