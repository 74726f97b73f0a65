"""The runtime every use case runs in: settings, engine, sessions, clock, and the
matcher and name comparison the settings describe."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pydantic import SecretStr
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from kyc.audit import Auditor, Clock, utc_now
from kyc.matching.base import IndexedList, Matcher
from kyc.matching.cache import MatcherCache
from kyc.progress import LOG, ProgressListener, Stages
from kyc.settings import Settings
from kyc.store.db import ensure_schema, make_engine, session_factory, transaction
from kyc.store.models import AuditHead

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
    # The key that signs the chain head at the end of a job (the settings' key, or one a
    # flow read from a Prefect Secret block), and the head when the job began.
    signing_key: SecretStr | None = None
    head_at_start: int | None = None

    @classmethod
    def open(
        cls, settings: Settings, clock: Clock = utc_now, *, check_schema: bool = True
    ) -> Runtime:
        """Connect, and create the schema when the database is empty (unless told not to
        look at the schema at all, as ``kyc db upgrade`` does)."""
        engine = make_engine(settings.effective_database_url)
        if check_schema:
            ensure_schema(engine)
        runtime = cls(
            settings,
            engine,
            session_factory(engine),
            session_factory(engine, read_only=True),
            clock,
            signing_key=settings.audit_signing_key,
        )
        if check_schema:
            runtime.head_at_start = runtime.audit_head()
        return runtime

    def audit_head(self) -> int:
        with self.readers() as session:
            return session.execute(select(AuditHead.last_seq)).scalar_one()

    def finish(self, job: str) -> str | None:
        """At the end of a job: sign the chain head if the job added events (a checkpoint,
        stored and appended to the checkpoint file). Returns what to tell the user: that
        checkpoints are off, when they are and the job wrote to the trail."""
        if self.head_at_start is None or self.audit_head() == self.head_at_start:
            return None
        if self.signing_key is None:
            return (
                "audit checkpoints are off: set KYC_AUDIT_SIGNING_KEY (or "
                "KYC_AUDIT_SIGNING_KEY_BLOCK) so that a cut tail of the trail shows"
            )
        from kyc.checkpoints import append_to_file, load_signing_key, sign_head

        key = load_signing_key(self.signing_key)
        with transaction(self.sessions) as session:
            checkpoint = sign_head(session, key, job, self.clock())
        if checkpoint is not None:
            append_to_file(self.settings.checkpoint_file, checkpoint)
        self.head_at_start = checkpoint.seq if checkpoint else self.head_at_start
        return None

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
