"""Use case of retention: the daily run that erases what expired (kyc.rights.retention)."""

from __future__ import annotations

from datetime import date

from kyc.app.runtime import Runtime, UsageError, today
from kyc.rights.retention import RetentionReport, run_retention
from kyc.store.db import transaction


def run(runtime: Runtime, as_of: date | None = None, *, dry_run: bool = False) -> RetentionReport:
    """Erase the personal data whose retention ended before ``as_of`` (today)."""
    current = today(runtime)
    if as_of is not None and as_of > current and not dry_run:
        # Erasing ahead of time would cut data the law still asks to keep; a dry run may
        # look ahead.
        raise UsageError(
            f"--as-of {as_of} is in the future (today is {current}); only a --dry-run "
            "may look ahead"
        )
    stages = runtime.stages("retention")
    with stages, transaction(runtime.sessions) as session:
        return run_retention(
            session,
            as_of=as_of or current,
            dry_run=dry_run,
            purposes=runtime.settings.purposes,
            auditor=runtime.auditor(),
            now=runtime.clock(),
            stages=stages,
        )
