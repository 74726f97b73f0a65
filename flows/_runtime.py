"""What every flow task does first: read the settings and open the store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kyc.app.runtime import Runtime
from kyc.settings import load_settings


@contextmanager
def runtime() -> Iterator[Runtime]:
    # Opened inside each task: connections do not cross threads or processes.
    opened = Runtime.open(load_settings())
    try:
        yield opened
    finally:
        opened.close()
