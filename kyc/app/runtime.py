"""The runtime every use case runs in: settings, engine, sessions, clock, and the
matcher and name comparison the settings describe."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from kyc.audit import Auditor, Clock, utc_now
from kyc.matching.base import IndexedList, Matcher
from kyc.matching.cache import MatcherCache
from kyc.progress import LOG, ProgressListener, Stages
from kyc.settings import Settings
from kyc.store.db import ensure_schema, make_engine, session_factory

if TYPE_CHECKING:
    from kyc.registry.verify import NameComparer


class UsageError(ValueError):
    """A command was given something it cannot use (a missing setting, an unreadable file)."""


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    readers: sessionmaker[Session]
    clock: Clock = field(default=utc_now)
    # Where long jobs report their stages: a flow's logger, a terminal's progress bar.
    progress_log: logging.Logger | logging.LoggerAdapter[logging.Logger] = LOG
    progress_listener: ProgressListener | None = None

    @classmethod
    def open(
        cls, settings: Settings, clock: Clock = utc_now, *, check_schema: bool = True
    ) -> Runtime:
        """Connect, and create the schema when the database is empty (unless told not to
        look at the schema at all, as ``kyc db upgrade`` does)."""
        engine = make_engine(settings.effective_database_url)
        if check_schema:
            ensure_schema(engine)
        return cls(
            settings,
            engine,
            session_factory(engine),
            session_factory(engine, read_only=True),
            clock,
        )

    def auditor(self, actor: str | None = None) -> Auditor:
        return Auditor(
            actor or self.settings.actor, self.settings.effective_legal_bases, self.clock
        )

    def stages(self, job: str) -> Stages:
        return Stages(job, self.progress_log, self.progress_listener)

    def close(self) -> None:
        self.engine.dispose()

    def stored_matchers(self) -> MatcherCache:
        """Matchers built before, kept under the data directory (kyc.matching.cache)."""
        weights = asdict(self.settings.weights())
        return MatcherCache(self.settings.data_dir / "cache" / "matchers", {"weights": weights})


def name_comparer(settings: Settings) -> NameComparer:
    """Two names scored as the matcher scores them, with the weights of the settings
    (without building a matcher: the register checks compare names one pair at a time)."""
    from kyc.matching.engine import compare_names  # see default_matcher

    weights = settings.weights()
    return lambda a, b, kind: compare_names(a, b, kind, weights)


def matcher_builder(settings: Settings) -> Callable[[Sequence[IndexedList]], Matcher]:
    """The matcher, with the weights of the settings."""
    from kyc.matching.engine import build_matcher  # see default_matcher

    weights = settings.weights()
    return lambda lists: build_matcher(lists, weights)


# Mandates are judged on the calendar day in Belgium, whatever the machine's time zone.
BRUSSELS = ZoneInfo("Europe/Brussels")


def today(runtime: Runtime) -> date:
    return runtime.clock().astimezone(BRUSSELS).date()
