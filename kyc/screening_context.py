"""What a screening compares subjects with: the active list versions (or only what one
activation changed), their entries' fingerprints, and a matcher built over them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kyc.lists import (
    active_versions,
    entry_fingerprint,
    load_change_set,
    load_entries,
    load_lists,
    version_identity,
    versions_ref,
)
from kyc.matching.base import IndexedList, Matcher
from kyc.matching.cache import MatcherCache
from kyc.model import ListEntry
from kyc.store.models import ListVersion


class NoActiveLists(RuntimeError):
    def __init__(self) -> None:
        super().__init__("no sanctions list is active: import one with `kyc lists import`")


@dataclass(frozen=True)
class DeltaScope:
    """A delta screening: only these entries of one new version are compared; hits on
    ``removed`` entries are closed."""

    source: str
    change_set_id: int
    screened: frozenset[str]
    removed: frozenset[str]
    entries: tuple[ListEntry, ...] = ()  # those screened: what the customers meet
    # Of the customers in relationship, how many the entries could reach (see
    # kyc.matching.reverse): only those are screened.
    customers: int | None = None
    reached: int | None = None

    def covers(self, source: str, entry_id: str) -> bool:
        return source == self.source and (entry_id in self.screened or entry_id in self.removed)

    def describe(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "change_set_id": self.change_set_id,
            "screened_entries": len(self.screened),
            "removed_entries": len(self.removed),
            "customers": self.customers,
            "reached": self.reached,
        }


@dataclass
class ScreeningContext:
    """A consistent view of the active list versions and a matcher built over them."""

    matcher: Matcher
    versions: dict[str, ListVersion]
    entry_fingerprints: dict[tuple[str, str], str]
    delta: DeltaScope | None = None

    @property
    def versions_ref(self) -> dict[str, Any]:
        return versions_ref(self.versions)

    def covers(self, source: str, entry_id: str) -> bool:
        """Whether this screening speaks for the pair (a full one, for every active entry)."""
        if self.delta is not None:
            return self.delta.covers(source, entry_id)
        return source in self.versions


MatcherBuilder = Callable[[Sequence[IndexedList]], Matcher]


def default_matcher(lists: Sequence[IndexedList]) -> Matcher:
    """The matcher with default weights (its code, numerical libraries and all, loads
    only when a matcher is built: commands that build none start faster)."""
    from kyc.matching.engine import build_matcher

    return build_matcher(lists)


def open_context(
    session: Session,
    sources: Sequence[str],
    build: MatcherBuilder = default_matcher,
    stored: MatcherCache | None = None,
) -> ScreeningContext:
    """The active versions of ``sources``, their entries, and a matcher over them (read
    back from ``stored`` when it was built before)."""
    versions = _active(session, sources)
    lists = load_lists(session, versions)
    fingerprints = {
        (indexed.source, entry.entry_id): entry_fingerprint(entry)
        for indexed in lists
        for entry in indexed.entries
    }
    matcher = _matcher(versions, lambda: lists, build, stored)
    return ScreeningContext(matcher, versions, fingerprints)


def open_matcher(
    session: Session,
    sources: Sequence[str],
    build: MatcherBuilder = default_matcher,
    stored: MatcherCache | None = None,
) -> tuple[Matcher, dict[str, ListVersion]]:
    """Only the matcher over the active versions, and those versions: the entries are
    read only if the matcher must be built."""
    versions = _active(session, sources)
    return _matcher(versions, lambda: load_lists(session, versions), build, stored), versions


def _active(session: Session, sources: Sequence[str]) -> dict[str, ListVersion]:
    versions = active_versions(session, sources)
    if not versions:
        raise NoActiveLists()
    return versions


def _matcher(
    versions: dict[str, ListVersion],
    lists: Callable[[], Sequence[IndexedList]],
    build: MatcherBuilder,
    stored: MatcherCache | None,
) -> Matcher:
    if stored is None:
        return build(lists())
    return stored.get(version_identity(versions), lambda: build(lists()))


def open_delta_context(
    session: Session, change_set_id: int, build: MatcherBuilder = default_matcher
) -> ScreeningContext:
    """Only the entries an activation added or changed, in the version it activated."""
    record, changes = load_change_set(session, change_set_id)
    version = session.get_one(ListVersion, record.version_id)
    entries = load_entries(session, version.id, changes.screen_again)
    scope = DeltaScope(
        version.source,
        change_set_id,
        frozenset(changes.screen_again),
        frozenset(changes.removed),
        tuple(entries),
    )
    lists = [IndexedList(version.source, version.id, entries)]
    fingerprints = {(version.source, e.entry_id): entry_fingerprint(e) for e in entries}
    return ScreeningContext(build(lists), {version.source: version}, fingerprints, scope)
