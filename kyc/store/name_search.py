"""The index of the customers' names, made and searched (kyc.matching.reverse): the
queued subjects' names are analysed into keys, and a delta screening's entries find the
subjects holding a key they touch."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from kyc.matching.reverse import EXACT, KeyType, Probes, subject_keys
from kyc.model import EntryKind, ScreeningSubject
from kyc.store.customers import company_subject, person_subject
from kyc.store.models import Company, NameKey, NamesToIndex, Person, SubjectNameKey

_BATCH = 2000  # subjects indexed per round
_IN_CHUNK = 5000  # values per IN list (SQLite allows 32,766 parameters)

StoredKey = tuple[str, str, str]  # (subject kind, key type, text)


def index_queued(session: Session, advance: Callable[[int], None] | None = None) -> int:
    """Index every queued subject (its keys replace those it had); how many."""
    done = 0
    while True:
        ids = list(
            session.scalars(
                select(NamesToIndex.subject_id).order_by(NamesToIndex.subject_id).limit(_BATCH)
            )
        )
        if not ids:
            return done
        _index(session, ids)
        done += len(ids)
        if advance is not None:
            advance(len(ids))


def queued(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(NamesToIndex)) or 0)


def _index(session: Session, ids: Sequence[str]) -> None:
    keys = {
        subject.subject_id: {(str(subject.kind), str(t), text) for t, text in subject_keys(subject)}
        for subject in named_subjects(session, ids)
    }
    session.execute(delete(SubjectNameKey).where(SubjectNameKey.subject_id.in_(ids)))
    key_ids = _key_ids(session, {key for held in keys.values() for key in held})
    rows = [
        {"subject_id": subject, "key_id": key_ids[key]}
        for subject, held in keys.items()
        for key in held
    ]
    if rows:
        session.execute(insert(SubjectNameKey), rows)
    session.execute(delete(NamesToIndex).where(NamesToIndex.subject_id.in_(ids)))


def named_subjects(session: Session, ids: Sequence[str]) -> list[ScreeningSubject]:
    """The subjects among ``ids`` that have names (the others were erased)."""
    companies = session.scalars(select(Company).where(Company.subject_id.in_(ids)))
    persons = session.scalars(select(Person).where(Person.subject_id.in_(ids)))
    return [
        *(company_subject(company) for company in companies),
        *(person_subject(person) for person in persons),
    ]


def _key_ids(session: Session, wanted: set[StoredKey]) -> dict[StoredKey, int]:
    """The id of each key, those not stored yet inserted."""
    found = _stored_ids(session, wanted)
    missing = [
        {"kind": kind, "type": type_, "text": text}
        for kind, type_, text in sorted(wanted - found.keys())
    ]
    if missing:
        session.execute(insert(NameKey), missing)
        found.update(_stored_ids(session, wanted - found.keys()))
    return found


def _stored_ids(session: Session, wanted: Iterable[StoredKey]) -> dict[StoredKey, int]:
    by_place: dict[tuple[str, str], list[str]] = {}
    for kind, type_, text in wanted:
        by_place.setdefault((kind, type_), []).append(text)
    found: dict[StoredKey, int] = {}
    for (kind, type_), texts in by_place.items():
        for start in range(0, len(texts), _IN_CHUNK):
            rows = session.execute(
                select(NameKey.id, NameKey.text).where(
                    NameKey.kind == kind,
                    NameKey.type == type_,
                    NameKey.text.in_(texts[start : start + _IN_CHUNK]),
                )
            )
            found.update(((kind, type_, text), key) for key, text in rows)
    return found


def reached_subjects(session: Session, probes: Probes) -> set[str]:
    """Every subject holding a key some probe touches."""
    keys: list[int] = []
    for kind, stored in probes.wanted():
        if stored in EXACT:
            keys += _exact_keys(session, kind, stored, probes.exact(kind, stored))
        else:
            keys += _spelt_keys(session, kind, stored, probes)
    subjects: set[str] = set()
    for start in range(0, len(keys), _IN_CHUNK):
        subjects.update(
            session.scalars(
                select(SubjectNameKey.subject_id)
                .where(SubjectNameKey.key_id.in_(keys[start : start + _IN_CHUNK]))
                .distinct()
            )
        )
    return subjects


def _exact_keys(session: Session, kind: EntryKind, stored: KeyType, texts: list[str]) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(texts), _IN_CHUNK):
        ids += session.scalars(
            select(NameKey.id).where(
                NameKey.kind == str(kind),
                NameKey.type == str(stored),
                NameKey.text.in_(texts[start : start + _IN_CHUNK]),
            )
        )
    return ids


def _spelt_keys(session: Session, kind: EntryKind, stored: KeyType, probes: Probes) -> list[int]:
    """The keys of one kind and type spelt like some probe: read only those of a length
    that can reach the floor, then compared (compiled) with every probe."""
    shortest, longest = probes.lengths(kind, stored)
    rows = session.execute(
        select(NameKey.id, NameKey.text).where(
            NameKey.kind == str(kind),
            NameKey.type == str(stored),
            func.length(NameKey.text).between(shortest, longest),
        )
    ).all()
    touched = probes.touched(kind, stored, [text for _id, text in rows])
    return [rows[i][0] for i in np.flatnonzero(touched).tolist()]
