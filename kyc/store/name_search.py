"""The index of the customers' names, made and searched (kyc.matching.reverse): the
queued subjects' names are analysed into keys, and a delta screening's entries find the
subjects holding a key they touch."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from kyc.matching.reverse import Probes
from kyc.matching.reverse_bound import Touches, reached
from kyc.matching.reverse_keys import KeyType, name_keys, subject_readings
from kyc.matching.reverse_shapes import encode_shapes
from kyc.model import EntryKind, ScreeningSubject
from kyc.store.customers import company_subject, person_subject
from kyc.store.models import (
    Company,
    NameKey,
    NameShape,
    NamesToIndex,
    Person,
    SubjectNameKey,
)

_BATCH = 2000  # subjects indexed per round
_IN_CHUNK = 5000  # values per IN list (SQLite allows 32,766 parameters)

StoredKey = tuple[str, str, str]  # (subject kind, key type, text)


def index_queued(session: Session) -> int:
    """Index every queued subject in this transaction; how many."""
    done = 0
    while indexed := index_batch(session):
        done += indexed
    return done


def index_batch(session: Session) -> int:
    """Index the next queued subjects, a batch of them (their keys replace those they
    had); how many (0: none was waiting)."""
    ids = list(
        session.scalars(
            select(NamesToIndex.subject_id).order_by(NamesToIndex.subject_id).limit(_BATCH)
        )
    )
    if ids:
        _index(session, ids)
    return len(ids)


def queued(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(NamesToIndex)) or 0)


def _index(session: Session, ids: Sequence[str]) -> None:
    keys: dict[str, set[StoredKey]] = {}
    shapes: list[dict[str, str]] = []
    for subject in named_subjects(session, ids):
        names = subject_readings(subject)
        kind = str(subject.kind)
        keys[subject.subject_id] = {(kind, str(t), text) for t, text in name_keys(names)}
        shapes.append({"subject_id": subject.subject_id, "shapes": encode_shapes(names)})
    session.execute(delete(SubjectNameKey).where(SubjectNameKey.subject_id.in_(ids)))
    session.execute(delete(NameShape).where(NameShape.subject_id.in_(ids)))
    key_ids = _key_ids(session, {key for held in keys.values() for key in held})
    rows = [
        {"subject_id": subject, "key_id": key_ids[key]}
        for subject, held in keys.items()
        for key in held
    ]
    if rows:
        session.execute(insert(SubjectNameKey), rows)
    if shapes:
        session.execute(insert(NameShape), shapes)
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
    """Every subject the prefilter could keep for one of the probes' aliases: those
    holding a key a probe touches, judged by the prefilter's bound in reverse."""
    found: set[str] = set()
    for kind in EntryKind:
        contacts = _contacts(session, probes, kind)
        if contacts.empty:
            continue
        held = _holders(session, contacts["key_id"].unique().tolist())
        touches = held.merge(contacts, on="key_id")
        owners, subjects = pd.factorize(touches["subject_id"])
        shapes = held.drop_duplicates("subject_id").set_index("subject_id")["shapes"]
        kept = reached(
            probes.bound(kind),
            probes.alias_table(),
            Touches(
                np.asarray(owners, dtype=np.int64),
                touches["reading"].to_numpy(np.int64),
                touches["path"].to_numpy(np.int8),
                touches["likeness"].to_numpy(np.float64),
                touches["gain"].to_numpy(np.float64),
            ),
            shapes.reindex(subjects).tolist(),
        )
        found.update(subjects[kept].tolist())
    return found


def _contacts(session: Session, probes: Probes, kind: EntryKind) -> pd.DataFrame:
    """Every (stored key, alias reading, path) a probe touches, for subjects of ``kind``."""
    frames = []
    for wanted, stored in probes.wanted():
        if wanted is not kind:
            continue
        ids, texts = _keys_of(session, probes, kind, stored)
        touches = probes.touches(kind, stored, texts, ids)
        frames.append(
            pd.DataFrame(
                {
                    "key_id": touches.owner,
                    "reading": touches.reading,
                    "path": touches.path,
                    "likeness": touches.likeness,
                    "gain": touches.gain,
                }
            )
        )
    return pd.concat(frames) if frames else pd.DataFrame()


def _keys_of(
    session: Session, probes: Probes, kind: EntryKind, stored: KeyType
) -> tuple[list[int], list[str]]:
    """The stored keys of one kind and type some probe may touch: those of a length that
    can reach the floor."""
    where = [NameKey.kind == str(kind), NameKey.type == str(stored)]
    shortest, longest = probes.lengths(kind, stored)
    rows = session.execute(
        select(NameKey.id, NameKey.text).where(
            *where, func.length(NameKey.text).between(shortest, longest)
        )
    )
    ids: list[int] = []
    texts: list[str] = []
    for key, text in rows:
        ids.append(key)
        texts.append(text)
    return ids, texts


def _holders(session: Session, key_ids: list[int]) -> pd.DataFrame:
    """(subject, key, the subject's shapes) for every subject holding one of the keys."""
    rows: list[tuple[str, int, str]] = []
    for start in range(0, len(key_ids), _IN_CHUNK):
        found = session.execute(
            select(SubjectNameKey.subject_id, SubjectNameKey.key_id, NameShape.shapes)
            .join(NameShape, NameShape.subject_id == SubjectNameKey.subject_id)
            .where(SubjectNameKey.key_id.in_(key_ids[start : start + _IN_CHUNK]))
        )
        rows += [(subject, key, shapes) for subject, key, shapes in found]
    return pd.DataFrame(rows, columns=["subject_id", "key_id", "shapes"])
