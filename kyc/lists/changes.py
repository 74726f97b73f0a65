"""Change sets: what one list version adds, removes and changes against another.

Entries are the same entry when their ``entry_id`` is (UN ``REFERENCE_NUMBER``, EU
``logicalId``, and so on); an entry changed when any compared field differs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from kyc.model import ListEntry
from kyc.store.models import ListActivation, ListChange, ListChangeSet

COMPARED_FIELDS = ("kind", "names", "birth_dates", "nationalities", "identifiers", "programmes")
ADDED, REMOVED, CHANGED = "added", "removed", "changed"


def comparable(entry: ListEntry) -> dict[str, Any]:
    """The compared fields, order-free: a reordering in the file is not a change."""
    return {
        "kind": str(entry.kind),
        "names": sorted({(n.full, str(n.quality)) for n in entry.names}),
        "birth_dates": sorted({str(d) for d in entry.birth_dates}),
        "nationalities": sorted(set(entry.nationalities)),
        "identifiers": sorted({(i.kind, i.number, i.country or "") for i in entry.identifiers}),
        "programmes": sorted(set(entry.programmes)),
    }


@dataclass
class ChangeSet:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)

    @property
    def screen_again(self) -> set[str]:
        """The entries a delta rescreen compares customers with."""
        return {*self.added, *self.changed}

    def counts(self) -> dict[str, int]:
        return {ADDED: len(self.added), REMOVED: len(self.removed), CHANGED: len(self.changed)}


def diff(old: Iterable[ListEntry], new: Iterable[ListEntry]) -> ChangeSet:
    before = {entry.entry_id: comparable(entry) for entry in old}
    after = {entry.entry_id: comparable(entry) for entry in new}
    result = ChangeSet(
        added=sorted(after.keys() - before.keys()),
        removed=sorted(before.keys() - after.keys()),
    )
    for entry_id in sorted(after.keys() & before.keys()):
        fields = [f for f in COMPARED_FIELDS if before[entry_id][f] != after[entry_id][f]]
        if fields:
            result.changed[entry_id] = fields
    return result


def store_change_set(
    session: Session,
    activation: ListActivation,
    previous_version_id: int | None,
    changes: ChangeSet,
    now: datetime,
) -> ListChangeSet:
    record = ListChangeSet(
        activation_id=activation.id,
        version_id=activation.version_id,
        previous_version_id=previous_version_id,
        created_at=now,
        **changes.counts(),
    )
    session.add(record)
    session.flush()
    rows = [
        *({"entry_id": e, "change": ADDED, "fields": []} for e in changes.added),
        *({"entry_id": e, "change": REMOVED, "fields": []} for e in changes.removed),
        *({"entry_id": e, "change": CHANGED, "fields": f} for e, f in changes.changed.items()),
    ]
    if rows:
        session.execute(insert(ListChange), [{**row, "change_set_id": record.id} for row in rows])
    return record


def load_change_set(session: Session, change_set_id: int) -> tuple[ListChangeSet, ChangeSet]:
    record = session.get_one(ListChangeSet, change_set_id)
    changes = ChangeSet()
    for row in session.scalars(
        select(ListChange).where(ListChange.change_set_id == change_set_id).order_by(ListChange.id)
    ):
        if row.change == ADDED:
            changes.added.append(row.entry_id)
        elif row.change == REMOVED:
            changes.removed.append(row.entry_id)
        else:
            changes.changed[row.entry_id] = list(row.fields)
    return record, changes
