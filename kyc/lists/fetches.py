"""The record of list downloads: for conditional requests and for replaying a screening."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.store.models import ListFetch
from sanctions_sources.fetch import Download

DOWNLOADED, NOT_MODIFIED, FAILED = "downloaded", "not_modified", "failed"


def last_download(session: Session, source: str, url: str) -> ListFetch | None:
    """The newest successful download of ``url``: its validators make the next request
    conditional."""
    return session.scalar(
        select(ListFetch)
        .where(ListFetch.source == source, ListFetch.url == url)
        .where(ListFetch.outcome.in_((DOWNLOADED, NOT_MODIFIED)))
        .order_by(ListFetch.id.desc())
        .limit(1)
    )


def record_download(session: Session, source: str, fetched: Download) -> ListFetch:
    record = ListFetch(
        source=source,
        url=fetched.url,
        requested_at=fetched.fetched_at,
        outcome=NOT_MODIFIED if fetched.not_modified else DOWNLOADED,
        status_code=fetched.status_code,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        sha256=fetched.sha256,
        size=fetched.size,
        file_name=fetched.path.name if fetched.path else None,
    )
    session.add(record)
    session.flush()
    return record


def record_failure(session: Session, source: str, url: str, error: str, now: datetime) -> None:
    session.add(ListFetch(source=source, url=url, requested_at=now, outcome=FAILED, error=error))
