"""What every flow task does first: read the settings and open the store."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from prefect import get_run_logger
from prefect.exceptions import MissingContextError

from kyc.app.runtime import Runtime
from kyc.progress import LOG
from kyc.settings import load_settings


@contextmanager
def runtime() -> Iterator[Runtime]:
    # Opened inside each task: connections do not cross threads or processes.
    opened = Runtime.open(load_settings())
    opened.progress_log = _run_log()
    try:
        yield opened
    finally:
        opened.close()


def _run_log() -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    """The run's log, where the stages of a long job belong (kept by the Prefect server)."""
    try:
        return get_run_logger()
    except MissingContextError:
        return LOG
