"""Importing a list file: keep it, read it, pass it through the gates, activate it.

Every file is kept (``<data>/lists/<source>/<sha256>.xml``) and recorded as a version,
whatever becomes of it, so that an auditor can see each attempt and replay any
screening. Only an accepted version passing the age and shrink guards (or forced, with
a reason) becomes active; activation stores its change set.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.audit import Auditor
from kyc.lists.gates import Gates, check_quality, hold_reason
from kyc.lists.versions import (
    ACCEPTED,
    HELD,
    REJECTED,
    NewVersion,
    activate,
    active_versions,
    store_version,
    version_ref,
)
from kyc.model import ParsedList
from kyc.progress import Stages
from kyc.purposes import Purpose
from kyc.store.models import ListChangeSet, ListVersion
from sanctions_sources.base import ListFormatError, Source
from sanctions_sources.kept import write_kept_file


class ListNotActivated(ValueError):
    """The file was stored as a version, but did not become active; says why."""

    def __init__(self, version: ListVersion, what: str, hint: str = "") -> None:
        super().__init__(
            f"{version.source} list version {version.id} ({version.file_name}) {what}: "
            f"{version.status_reason}{hint}"
        )
        self.version_id = version.id
        self.status = version.status


class ListRejected(ListNotActivated):
    def __init__(self, version: ListVersion) -> None:
        super().__init__(version, "rejected")


class ListHeld(ListNotActivated):
    def __init__(self, version: ListVersion) -> None:
        super().__init__(
            version,
            "held",
            f". To use it anyway: kyc lists activate {version.id} --reason TEXT",
        )


@dataclass(frozen=True)
class ListImportResult:
    source: str
    version_id: int
    sha256: str
    published_at: datetime | None
    entry_count: int
    unnamed_entries: tuple[str, ...]
    created: bool
    change_set: ListChangeSet | None = None

    def summary(self) -> str:
        published = f"{self.published_at:%Y-%m-%d %H:%M} UTC" if self.published_at else "?"
        if not self.created:
            state = "already imported (no change)"
        elif self.change_set is not None:
            c = self.change_set
            state = (
                f"imported and activated ({c.added} added, {c.removed} removed, "
                f"{c.changed} changed)"
            )
        else:
            state = "imported"
        return (
            f"{self.source}: version {self.version_id} {state}; published {published}, "
            f"{self.entry_count} entries, sha256 {self.sha256[:12]}…"
        )


def gates_for(source: Source, entry_range: tuple[int, int], max_shrink: float) -> Gates:
    return Gates(source.id_pattern, entry_range[0], entry_range[1], max_shrink)


@dataclass
class ListImporter:
    session: Session
    auditor: Auditor
    now: datetime
    keep_dir: Path
    stages: Stages = field(default_factory=lambda: Stages("list import"))

    def run(
        self,
        source: Source,
        path: Path,
        gates: Gates,
        *,
        force_reason: str | None = None,
        fetch_id: int | None = None,
    ) -> ListImportResult:
        """Import ``path`` as a version of ``source``.

        Raises :class:`ListRejected` or :class:`ListHeld` when the version was stored
        but not activated; the active version is then unchanged. The same bytes twice
        is a no-op (and the same refusal as the first time).
        """
        self.stages.begin(f"reading {path.name}")
        body = _read(source, path)
        digest = hashlib.sha256(body).hexdigest()
        existing = self.session.scalar(
            select(ListVersion).where(
                ListVersion.source == source.key, ListVersion.sha256 == digest
            )
        )
        if existing is not None:
            return self._again(existing)
        kept = write_kept_file(self.keep_dir / source.key, f"{digest}{source.kept_suffix}", body)
        new = NewVersion(source.key, digest, path.name, fetch_id)
        self.stages.begin("parsing")
        try:
            parsed = source.parse(kept)
        except ListFormatError as error:
            raise ListRejected(self._reject(new, error.reason, None, None)) from error
        return self._gate(new, parsed, gates, force_reason)

    def _again(self, version: ListVersion) -> ListImportResult:
        if version.status == REJECTED:
            raise ListRejected(version)
        return _result(version, created=False)

    def _gate(
        self, new: NewVersion, parsed: ParsedList, gates: Gates, force_reason: str | None
    ) -> ListImportResult:
        entries = len(parsed.entries)
        self.stages.begin("quality suite", entries, "entries")
        outcome = check_quality(parsed, gates)
        report = write_kept_file(
            self.keep_dir / new.source, f"{new.sha256}.quality.html", outcome.html.encode()
        )
        if not outcome.passed:
            reason = "; ".join(outcome.reasons)
            raise ListRejected(self._reject(new, reason, outcome.summary, report.name, parsed))
        self.stages.begin("storing", entries, "entries")
        active = active_versions(self.session, [new.source]).get(new.source)
        held = hold_reason(parsed, active, gates)
        if held and not force_reason:
            version = self._store(new, parsed, HELD, held, outcome.summary, report.name)
            self._audit("list.held", version, {"reason": held})
            raise ListHeld(version)
        version = self._store(new, parsed, ACCEPTED, held, outcome.summary, report.name)
        self._audit("list.imported", version, {"record_findings": list(outcome.findings)})
        reason = f"forced: {force_reason} (despite: {held})" if held else "imported"
        self.stages.begin("activating")
        change_set = activate(
            self.session,
            version,
            auditor=self.auditor,
            now=self.now,
            reason=reason,
            entries=parsed.entries,
        )
        return _result(version, created=True, change_set=change_set)

    def _store(
        self,
        new: NewVersion,
        parsed: ParsedList,
        status: str,
        reason: str | None,
        summary: dict[str, object],
        report_file: str,
    ) -> ListVersion:
        return store_version(
            self.session,
            new,
            status=status,
            now=self.now,
            parsed=parsed,
            reason=reason,
            quality=dict(summary),
            report_file=report_file,
        )

    def _reject(
        self,
        new: NewVersion,
        reason: str,
        summary: dict[str, object] | None,
        report_file: str | None,
        parsed: ParsedList | None = None,
    ) -> ListVersion:
        version = store_version(
            self.session,
            new,
            status=REJECTED,
            now=self.now,
            parsed=parsed,
            reason=reason,
            quality=dict(summary) if summary else None,
            report_file=report_file,
        )
        self._audit("list.rejected", version, {"reason": reason})
        return version

    def _audit(self, action: str, version: ListVersion, details: dict[str, object]) -> None:
        self.auditor.record(
            self.session,
            action=action,
            purpose=Purpose.LIST_MAINTENANCE,
            outcome=version.status,
            subject_ref=f"list:{version.source}:{version.id}",
            list_versions={version.source: version_ref(version)},
            details={"file": version.file_name, "entries": version.entry_count, **details},
        )


def _read(source: Source, path: Path) -> bytes:
    if not path.exists():
        raise ListFormatError(source.key, path, "no such file or directory")
    try:
        body = source.read_bytes(path)
    except OSError as error:
        raise ListFormatError(source.key, path, f"cannot be read ({error.strerror})") from error
    return body


def _result(
    version: ListVersion, *, created: bool, change_set: ListChangeSet | None = None
) -> ListImportResult:
    return ListImportResult(
        source=version.source,
        version_id=version.id,
        sha256=version.sha256,
        published_at=version.published_at,
        entry_count=version.entry_count,
        unnamed_entries=_unnamed(version),
        created=created,
        change_set=change_set,
    )


def _unnamed(version: ListVersion) -> tuple[str, ...]:
    return tuple((version.quality or {}).get("unnamed_entries", []))
