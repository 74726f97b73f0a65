"""Use cases of sanctions lists: a file imported, a source fetched or refreshed, a
version activated, two versions compared."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.app.runtime import Runtime, UsageError
from kyc.app.screening import delta_rescreen
from kyc.lists import (
    HistoryRow,
    ListImporter,
    ListImportResult,
    ListNotActivated,
    activate,
    diff,
    gates_for,
    history,
    list_versions,
    load_entries,
)
from kyc.lists.fetches import last_download, record_download, record_failure
from kyc.screening import ScreeningOutcome
from kyc.store.db import transaction
from kyc.store.models import ListChangeSet, ListVersion
from sanctions_sources.fetch import (
    Download,
    FetchError,
    download,
    download_members,
    find_local_file,
    http_session,
)
from sanctions_sources.registry import get_source


def import_list(
    runtime: Runtime,
    source_key: str,
    path: Path,
    *,
    force_reason: str | None = None,
    fetch_id: int | None = None,
) -> ListImportResult:
    """Import a list file. A version that is stored but not activated (rejected, held)
    is committed — the attempt is part of the record — and then raised."""
    settings = runtime.settings
    source = get_source(source_key)
    gates = gates_for(source, settings.entry_range(source.key), settings.list_max_shrink)
    refusal: ListNotActivated | None = None
    stages = runtime.stages(f"{source.key} list import")
    with stages, runtime.sessions() as session, session.begin():
        importer = ListImporter(
            session, runtime.auditor(), runtime.clock(), settings.raw_lists_dir, stages
        )
        try:
            result = importer.run(source, path, gates, force_reason=force_reason, fetch_id=fetch_id)
        except ListNotActivated as error:
            refusal = error
        else:
            stages.begin("committing")
            return result
    raise refusal


@dataclass(frozen=True)
class NotModified:
    source: str
    url: str

    def summary(self) -> str:
        return f"{self.source}: not modified since the last download ({self.url})"


def fetch_list(
    runtime: Runtime,
    source_key: str,
    from_dir: Path | None = None,
    *,
    force_reason: str | None = None,
) -> ListImportResult | NotModified:
    """Take the newest file from ``from_dir`` (or ``KYC_LISTS_DIR``), else download it
    (conditionally, when a previous download left validators), then import it."""
    settings = runtime.settings
    source = get_source(source_key)
    directory = from_dir or settings.lists_dir
    if directory is not None:
        path = find_local_file(source, directory)
        return import_list(runtime, source_key, path, force_reason=force_reason)
    fetched, fetch_id = _download(
        runtime, source_key, settings.list_urls.get(source_key, source.default_url)
    )
    if fetched.path is None:
        return NotModified(source_key, fetched.url)
    return import_list(
        runtime, source_key, fetched.path, force_reason=force_reason, fetch_id=fetch_id
    )


def _download(runtime: Runtime, source_key: str, url: str) -> tuple[Download, int]:
    settings = runtime.settings
    source = get_source(source_key)
    with runtime.readers() as session:
        previous = last_download(session, source_key, url)
    timeout, max_bytes = settings.http_timeout, settings.max_download_bytes
    if not url:
        raise FetchError(
            source_key,
            "no download address is known for this source: set KYC_LIST_URLS or use --from-dir",
        )
    try:
        with http_session(settings.http_retries) as http:
            if source.member_urls is not None and source_key not in settings.list_urls:
                fetched = download_members(
                    source,
                    source.member_urls,
                    http,
                    settings.raw_lists_dir,
                    timeout=timeout,
                    max_bytes=max_bytes,
                )
            else:
                fetched = download(
                    source,
                    url,
                    http,
                    settings.raw_lists_dir,
                    etag=previous.etag if previous else None,
                    last_modified=previous.last_modified if previous else None,
                    timeout=timeout,
                    max_bytes=max_bytes,
                )
    except FetchError as error:
        with transaction(runtime.sessions) as session:
            record_failure(session, source_key, url, error.reason, runtime.clock())
        raise
    with transaction(runtime.sessions) as session:
        return fetched, record_download(session, source_key, fetched).id


@dataclass
class RefreshReport:
    """Each source's outcome; refusals are kept, not raised, so one bad list does not
    stop the others."""

    results: list[ListImportResult | NotModified] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    delta_runs: list[ScreeningOutcome] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [r.summary() for r in self.results] + [f"NOT ACTIVATED: {r}" for r in self.refusals]


def refresh_lists(
    runtime: Runtime, sources: Sequence[str] | None = None, from_dir: Path | None = None
) -> RefreshReport:
    """Fetch every configured source; after each activation, screen the changes."""
    report = RefreshReport()
    for key in sources or runtime.settings.list_sources:
        try:
            result = fetch_list(runtime, key, from_dir)
        except (ListNotActivated, FetchError) as error:
            report.refusals.append(str(error))
            continue
        report.results.append(result)
        if isinstance(result, ListImportResult) and result.change_set is not None:
            report.delta_runs.append(delta_rescreen(runtime, result.change_set.id))
    return report


def activate_version(
    runtime: Runtime, version_id: int, reason: str
) -> tuple[ListChangeSet, ScreeningOutcome]:
    """A person's decision to make a (held, or earlier) version active; then the delta
    rescreen, as after any activation."""
    with transaction(runtime.sessions) as session:
        version = session.get(ListVersion, version_id)
        if version is None:
            raise UsageError(f"there is no list version {version_id}")
        change_set = activate(
            session, version, auditor=runtime.auditor(), now=runtime.clock(), reason=reason
        )
    return change_set, delta_rescreen(runtime, change_set.id)


def diff_versions(
    runtime: Runtime, old: int | None, new: int | None, source: str | None = None
) -> dict[str, Any]:
    """Added, removed and changed entries between two versions of one source.

    Without ids: the newest activation (of ``source``) against what it replaced; with
    only ``new``: against the version that was active before ``new`` was activated.
    """
    with runtime.readers() as session:
        old, new = _diff_pair(session, old, new, source)
        versions = {v: session.get(ListVersion, v) for v in (old, new)}
        missing = [str(v) for v, row in versions.items() if row is None]
        if missing:
            raise UsageError(f"there is no list version {', '.join(missing)}")
        sources = {row.source for row in versions.values() if row is not None}
        if len(sources) != 1:
            raise UsageError(f"versions {old} and {new} are of different lists")
        changes = diff(load_entries(session, old), load_entries(session, new))
    return {
        "source": sources.pop(),
        "old": old,
        "new": new,
        "added": changes.added,
        "removed": changes.removed,
        "changed": changes.changed,
    }


def _diff_pair(
    session: Session, old: int | None, new: int | None, source: str | None
) -> tuple[int, int]:
    if old is not None and new is not None:
        return old, new
    query = select(ListChangeSet).order_by(ListChangeSet.id.desc())
    if new is not None:
        query = query.where(ListChangeSet.version_id == new)
    elif source is not None:
        query = query.join(ListVersion, ListVersion.id == ListChangeSet.version_id).where(
            ListVersion.source == source
        )
    change_set = session.scalar(query.limit(1))
    if change_set is None or change_set.previous_version_id is None:
        raise UsageError("no earlier version to compare with: give both version ids")
    return change_set.previous_version_id, change_set.version_id


def stored_versions(runtime: Runtime) -> list[tuple[ListVersion, bool]]:
    """Every stored version, newest first, with whether it is active."""
    with runtime.readers() as session:
        return list_versions(session)


def activation_history(runtime: Runtime, source: str | None) -> list[HistoryRow]:
    """Which version of each list was active when: one row per activation."""
    with runtime.readers() as session:
        return history(session, source)
