"""Long commands, watched: on a terminal a progress bar for the stage under way and a
line as each stage ends; elsewhere (a cron job, a pipe) a timestamped line per stage on
standard error, the command's log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich import filesize
from rich.highlighter import NullHighlighter
from rich.logging import RichHandler
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from kyc.cli.common import err
from kyc.progress import LOG

if TYPE_CHECKING:
    from kyc.app.runtime import Runtime


class StageCount(ProgressColumn):
    """How much of the stage is done, in its unit: 1,200/5,000 subjects, 1.2/3.4 GB."""

    def render(self, task: Task) -> Text:
        unit = task.fields.get("unit", "")
        if unit == "bytes":
            done = filesize.decimal(int(task.completed))
            total = filesize.decimal(int(task.total)) if task.total is not None else "?"
            return Text(f"{done}/{total}")
        total = f"/{task.total:,.0f}" if task.total is not None else ""
        return Text(f"{task.completed:,.0f}{total} {unit}".rstrip())


class TerminalBar:
    """One bar at a time, for the stage under way; it disappears when the stage ends."""

    def __init__(self) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            StageCount(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
        )
        self._task: TaskID | None = None

    def begin(self, description: str, total: int | None, unit: str) -> None:
        self.end()
        self._progress.start()
        self._task = self._progress.add_task(description, total=total, unit=unit)

    def advance(self, amount: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, amount)

    def end(self) -> None:
        if self._task is not None:
            self._progress.refresh()  # the stage's last count, drawn once before it goes
            self._progress.remove_task(self._task)
            self._task = None

    def stop(self) -> None:
        self.end()
        self._progress.stop()


def _stage_lines() -> logging.Handler:
    if err.is_terminal:
        # The bar names the stage under way: the terminal keeps a line per stage ended.
        handler: logging.Handler = RichHandler(
            console=err,
            show_time=False,
            show_level=False,
            show_path=False,
            highlighter=NullHighlighter(),
        )
        # Nor a line per step of a stage (a rescreen's partitions): the bar counts them.
        handler.addFilter(
            lambda record: getattr(record, "stage_event", None) not in ("begin", "step")
        )
        return handler
    handler = logging.StreamHandler()  # the standard error of this command
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    return handler


@contextmanager
def watched(runtime: Runtime) -> Iterator[None]:
    """Report the stages of the jobs ``runtime`` runs while inside."""
    handler = _stage_lines()
    level, propagate = LOG.level, LOG.propagate
    LOG.addHandler(handler)
    LOG.setLevel(logging.DEBUG)  # the begin lines too
    LOG.propagate = False  # the line is written here, not again by a root handler
    bar = TerminalBar() if err.is_terminal else None
    runtime.progress_listener = bar
    try:
        yield
    finally:
        if bar is not None:
            bar.stop()
        runtime.progress_listener = None
        LOG.removeHandler(handler)
        LOG.setLevel(level)
        LOG.propagate = propagate
