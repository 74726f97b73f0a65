"""The screening context a process keeps: the active lists and the matcher over them,
opened once per set of list versions (a rescreen's partitions, the onboarding API's
requests), checked against the active versions at each use."""

from __future__ import annotations

import json
import threading

from sqlalchemy.orm import Session

from kyc.app.runtime import Runtime, matcher_builder
from kyc.lists import active_versions, version_identity
from kyc.screening_context import ScreeningContext, open_context

# The lists and the matcher over them, kept for the next partition this process does
# (a worker does many; building or even reading back a full-size index costs seconds).
_CONTEXTS: dict[str, ScreeningContext] = {}
_CONTEXTS_LOCK = threading.Lock()


def shared_context(runtime: Runtime) -> ScreeningContext:
    """The active lists and their matcher, opened once per process and list versions."""
    settings = runtime.settings
    with runtime.readers() as session:
        versions = active_versions(session, settings.list_sources)
        key = json.dumps(
            [settings.effective_database_url, version_identity(versions), settings.weights()],
            sort_keys=True,
            default=str,
        )
        with _CONTEXTS_LOCK:
            if key not in _CONTEXTS:
                _CONTEXTS.clear()
                _CONTEXTS[key] = opened(runtime, session)
            return _CONTEXTS[key]


def opened(runtime: Runtime, session: Session) -> ScreeningContext:
    """The active lists and the matcher over them, as the settings shape it."""
    settings = runtime.settings
    return open_context(
        session, settings.list_sources, matcher_builder(settings), runtime.stored_matchers()
    )
