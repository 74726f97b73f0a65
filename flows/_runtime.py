"""What every flow task does first: read the settings and open the store."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from prefect import get_run_logger
from prefect.blocks.system import Secret
from prefect.exceptions import MissingContextError
from prefect.runtime import flow_run
from pydantic import SecretStr

from kyc.app.runtime import Runtime
from kyc.progress import LOG
from kyc.settings import load_settings


@contextmanager
def runtime(*, sign: bool = True) -> Iterator[Runtime]:
    """Opened inside each task: connections do not cross threads or processes. A task
    that is one part of a job (a rescreen's partition) leaves the signing of the chain
    head to the job's last task (``sign=False``)."""
    settings = load_settings()
    opened = Runtime.open(settings)
    opened.progress_log = _run_log()
    if opened.signing_key is None and settings.audit_signing_key_block:
        opened.signing_key = _secret(settings.audit_signing_key_block)
    try:
        yield opened
    finally:
        try:
            notice = opened.finish(f"flow {flow_run.flow_name or 'run'}") if sign else None
            if notice:
                opened.progress_log.warning(notice)
        finally:
            opened.close()


def _secret(block: str) -> SecretStr:
    """The signing key from a Prefect Secret block (never logged)."""
    secret = cast(Secret[str], Secret.load(block, _sync=True))  # type: ignore[call-arg]
    return SecretStr(str(secret.get()))


def _run_log() -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    """The run's log, where the stages of a long job belong (kept by the Prefect server)."""
    try:
        return get_run_logger()
    except MissingContextError:
        return LOG
