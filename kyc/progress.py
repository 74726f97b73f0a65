"""How far a long job has come.

A job that can run for minutes (a list import, a register import, a rescreen) runs in
stages. Each stage is logged as it begins (at debug level) and as it ends, with its count
and time: the lines an operator reads in a flow's log or a cron mail. A listener — a
progress bar when a person watches a terminal — hears how far the current stage is.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Protocol

LOG = logging.getLogger("kyc.progress")
# Where the stages of a job's inner parts go when the job reports them itself (each
# partition of a rescreen has the same stages: the run reports one line per partition).
SILENT = logging.getLogger("kyc.progress.silent")
SILENT.addHandler(logging.NullHandler())
SILENT.propagate = False


class ProgressListener(Protocol):
    def begin(self, description: str, total: int | None, unit: str) -> None: ...

    def advance(self, amount: int) -> None: ...

    def end(self) -> None: ...


@dataclass
class Stages:
    """The stages of one job; ``with`` ends the last one (or logs where it stopped)."""

    job: str
    log: logging.Logger | logging.LoggerAdapter[logging.Logger] = LOG
    listener: ProgressListener | None = None
    clock: Callable[[], float] = time.monotonic
    _stage: str | None = field(default=None, init=False)
    _unit: str = field(default="", init=False)
    _count: int = field(default=0, init=False)
    _started: float = field(default=0.0, init=False)

    def begin(self, stage: str, total: int | None = None, unit: str = "") -> None:
        """End the stage under way, if any, and begin ``stage`` (of ``total`` ``unit``)."""
        self.end()
        self._stage, self._unit, self._count, self._started = stage, unit, 0, self.clock()
        size = f" ({total:,} {unit})" if total is not None and unit else ""
        # A debug line: a flow's log keeps the ends (with count and time); a command's
        # log on standard error shows both (kyc.cli.progress).
        self.log.debug("%s: %s%s", self.job, stage, size, extra={"stage_event": "begin"})
        if self.listener is not None:
            self.listener.begin(f"{self.job}: {stage}", total, unit)

    def step(self, message: str, *args: object) -> None:
        """A line on a step of the stage under way (a log's reader sees each; a terminal's
        bar counts them)."""
        self.log.info("%s: " + message, self.job, *args, extra={"stage_event": "step"})

    def advance(self, amount: int = 1) -> None:
        self._count += amount
        if self.listener is not None:
            self.listener.advance(amount)

    def end(self) -> None:
        if self._stage is None:
            return
        done = f", {self._count:,} {self._unit}" if self._count and self._unit else ""
        elapsed = self.clock() - self._started
        self.log.info(
            "%s: %s done in %.1f s%s",
            self.job,
            self._stage,
            elapsed,
            done,
            extra={"stage_event": "end"},
        )
        self._close()

    def __enter__(self) -> Stages:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if error is None:
            self.end()
        elif self._stage is not None:
            self.log.info(
                "%s: stopped during %s", self.job, self._stage, extra={"stage_event": "stopped"}
            )
            self._close()

    def _close(self) -> None:
        self._stage = None
        if self.listener is not None:
            self.listener.end()
