"""Keeping the index of the customers' names (kyc.store.models.names) in step with them:
a subject whose names are new or changed is queued, and indexed before the next delta
screening (kyc.store.name_search); one whose names are erased leaves it at once."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from kyc.store.models import NameKey, NameShape, NamesToIndex, SubjectNameKey

_IN_CHUNK = 5000  # ids per IN list (SQLite allows 32,766 parameters)


def names_changed(session: Session, subject_ids: Iterable[str]) -> None:
    """Queue subjects to be indexed again (a subject already queued stays so once)."""
    ids = list(dict.fromkeys(subject_ids))
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        queued = set(
            session.scalars(
                select(NamesToIndex.subject_id).where(NamesToIndex.subject_id.in_(chunk))
            )
        )
        session.add_all(NamesToIndex(subject_id=i) for i in chunk if i not in queued)


def forget_names(session: Session, subject_ids: Iterable[str]) -> int:
    """Take subjects out of the index (their names are erased or about to be); how many
    of their keys were let go."""
    ids = list(dict.fromkeys(subject_ids))
    released = 0
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        found = session.execute(delete(SubjectNameKey).where(SubjectNameKey.subject_id.in_(chunk)))
        released += int(found.rowcount or 0)  # type: ignore[attr-defined]
        session.execute(delete(NameShape).where(NameShape.subject_id.in_(chunk)))
        session.execute(delete(NamesToIndex).where(NamesToIndex.subject_id.in_(chunk)))
    return released


def drop_unheld_keys(session: Session) -> int:
    """Delete the keys no subject holds any more (pieces of names of nobody's); how many."""
    held = exists().where(SubjectNameKey.key_id == NameKey.id)
    result = session.execute(delete(NameKey).where(~held))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
