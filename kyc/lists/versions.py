"""List versions in the store: write them, activate them, read the active ones.

A version is never changed once stored. Which version is active is an append-only
history (``list_activations``): the newest activation of a source wins. Activating is
one insert, so a screening that read the active set keeps one consistent view while a
newer version is activated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from kyc.audit import Auditor
from kyc.lists.changes import ChangeSet, diff, store_change_set
from kyc.matching.base import IndexedList
from kyc.model import ListEntry, ParsedList
from kyc.privacy import fingerprint
from kyc.purposes import Purpose
from kyc.store.models import ListActivation, ListChangeSet, ListEntryRow, ListVersion

ACCEPTED, HELD, REJECTED = "accepted", "held", "rejected"
_INSERT_BATCH = 2000


class ActivationRefused(ValueError):
    pass


def entry_fingerprint(entry: ListEntry) -> str:
    """Changes when the entry's names or birth data change (re-opens cleared hits)."""
    names = sorted(f"{n.full}|{n.quality}" for n in entry.names)
    births = sorted(str(d) for d in entry.birth_dates)
    return fingerprint(entry.kind, *names, "|", *births)


def version_ref(version: ListVersion) -> dict[str, Any]:
    """How events and hits name a list version: id, publication date and digest."""
    return {
        "version_id": version.id,
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "sha256": version.sha256,
    }


def versions_ref(versions: Mapping[str, ListVersion]) -> dict[str, Any]:
    return {key: version_ref(version) for key, version in sorted(versions.items())}


@dataclass(frozen=True)
class NewVersion:
    """What is known of a file before it is stored."""

    source: str
    sha256: str
    file_name: str
    fetch_id: int | None = None


def store_version(
    session: Session,
    new: NewVersion,
    *,
    status: str,
    now: datetime,
    parsed: ParsedList | None = None,
    reason: str | None = None,
    quality: dict[str, Any] | None = None,
    report_file: str | None = None,
) -> ListVersion:
    """Write a version row, and its entries when it may ever become active."""
    version = ListVersion(
        source=new.source,
        published_at=parsed.published_at if parsed else None,
        sha256=new.sha256,
        entry_count=len(parsed.entries) if parsed else 0,
        unnamed_count=len(parsed.unnamed_entries) if parsed else 0,
        file_name=new.file_name,
        imported_at=now,
        status=status,
        status_reason=reason,
        quality=quality,
        report_file=report_file,
        fetch_id=new.fetch_id,
    )
    session.add(version)
    session.flush()
    if parsed is not None and status != REJECTED:
        _store_entries(session, version.id, parsed.entries)
    return version


def _store_entries(session: Session, version_id: int, entries: Iterable[ListEntry]) -> None:
    batch: list[dict[str, Any]] = []
    for entry in entries:
        batch.append(
            {
                "version_id": version_id,
                "entry_id": entry.entry_id,
                "kind": str(entry.kind),
                "display_name": entry.display_name,
                "fingerprint": entry_fingerprint(entry),
                "data": entry.to_dict(),
            }
        )
        if len(batch) == _INSERT_BATCH:
            session.execute(insert(ListEntryRow), batch)
            batch = []
    if batch:
        session.execute(insert(ListEntryRow), batch)


def activate(
    session: Session,
    version: ListVersion,
    *,
    auditor: Auditor,
    now: datetime,
    reason: str,
    entries: Sequence[ListEntry] | None = None,
) -> ListChangeSet:
    """Make ``version`` the active one of its source and store what that changed."""
    if version.status == REJECTED:
        raise ActivationRefused(
            f"{version.source} list version {version.id} was rejected ({version.status_reason}) "
            "and can never be active"
        )
    previous = active_versions(session, [version.source]).get(version.source)
    if previous is not None and previous.id == version.id:
        raise ActivationRefused(f"{version.source} list version {version.id} is already active")
    new_entries = entries if entries is not None else load_entries(session, version.id)
    old_entries = load_entries(session, previous.id) if previous else []
    changes: ChangeSet = diff(old_entries, new_entries)
    activation = ListActivation(
        source=version.source,
        version_id=version.id,
        activated_at=now,
        actor=auditor.actor,
        reason=reason,
    )
    session.add(activation)
    session.flush()
    change_set = store_change_set(
        session, activation, previous.id if previous else None, changes, now
    )
    auditor.record(
        session,
        action="list.activated",
        purpose=Purpose.LIST_MAINTENANCE,
        outcome="active",
        subject_ref=f"list:{version.source}:{version.id}",
        list_versions={version.source: version_ref(version)},
        details={
            "reason": reason,
            "previous_version_id": previous.id if previous else None,
            "change_set_id": change_set.id,
            **changes.counts(),
        },
    )
    return change_set


def active_versions(
    session: Session, sources: Sequence[str] | None = None
) -> dict[str, ListVersion]:
    """The active version of each source: the newest activation wins."""
    newest = select(func.max(ListActivation.id)).group_by(ListActivation.source)
    query = (
        select(ListVersion)
        .join(ListActivation, ListActivation.version_id == ListVersion.id)
        .where(ListActivation.id.in_(newest))
    )
    if sources is not None:
        query = query.where(ListVersion.source.in_(sources))
    return {version.source: version for version in session.scalars(query)}


def load_entries(
    session: Session, version_id: int, entry_ids: Iterable[str] | None = None
) -> list[ListEntry]:
    query = select(ListEntryRow.data).where(ListEntryRow.version_id == version_id)
    if entry_ids is not None:
        query = query.where(ListEntryRow.entry_id.in_(list(entry_ids)))
    rows = session.scalars(query.order_by(ListEntryRow.id))
    return [ListEntry.from_dict(data) for data in rows]


def load_lists(session: Session, versions: Mapping[str, ListVersion]) -> list[IndexedList]:
    """The entries of each of these versions (the active ones, say).

    Versions never change once stored, so having picked the active set first, the
    entries read afterwards belong to it even if a newer version is activated meanwhile.
    """
    return [
        IndexedList(source=key, version_id=version.id, entries=load_entries(session, version.id))
        for key, version in sorted(versions.items())
    ]


def version_identity(versions: Mapping[str, ListVersion]) -> dict[str, list[object]]:
    """What identifies the content of each version (for naming a matcher built on it)."""
    return {
        source: [version.id, version.sha256, version.entry_count]
        for source, version in versions.items()
    }


def list_versions(session: Session) -> list[tuple[ListVersion, bool]]:
    """Every stored version, newest first, with whether it is active."""
    active = {v.id for v in active_versions(session).values()}
    versions = session.scalars(select(ListVersion).order_by(ListVersion.id.desc()))
    return [(version, version.id in active) for version in versions]


@dataclass(frozen=True)
class HistoryRow:
    source: str
    version_id: int
    published_at: datetime | None
    sha256: str
    active_from: datetime
    active_until: datetime | None
    actor: str
    reason: str


def history(session: Session, source: str | None = None) -> list[HistoryRow]:
    """Which version of each source was active when: one row per activation."""
    query = (
        select(ListActivation, ListVersion)
        .join(ListVersion, ListVersion.id == ListActivation.version_id)
        .order_by(ListActivation.source, ListActivation.id)
    )
    if source is not None:
        query = query.where(ListActivation.source == source)
    rows = [(activation, version) for activation, version in session.execute(query)]
    result: list[HistoryRow] = []
    for index, (activation, version) in enumerate(rows):
        following = rows[index + 1][0] if index + 1 < len(rows) else None
        same_source = following is not None and following.source == activation.source
        result.append(
            HistoryRow(
                source=activation.source,
                version_id=version.id,
                published_at=version.published_at,
                sha256=version.sha256,
                active_from=activation.activated_at,
                active_until=following.activated_at if following and same_source else None,
                actor=activation.actor,
                reason=activation.reason,
            )
        )
    return result


def active_at(session: Session, moment: datetime) -> dict[str, int]:
    """The version id of each source that was active at ``moment``."""
    return {
        row.source: row.version_id
        for row in history(session)
        if row.active_from <= moment and (row.active_until is None or moment < row.active_until)
    }
