"""The index of the customers' names: kept in step with them, searched in reverse."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kyc.customers import AddressIn, ValidCustomer, ValidRepresentative
from kyc.matching.reverse import Probes
from kyc.matching.weights import DEFAULT_WEIGHTS
from kyc.model import EntryKind, EntryName, ListEntry
from kyc.rights.purge import purge_subjects
from kyc.rights.rectification import rectify
from kyc.store.customers import upsert_customer
from kyc.store.models import NameKey, NamesToIndex, SubjectNameKey
from kyc.store.name_search import index_queued, queued, reached_subjects

NOW = datetime(2026, 12, 6, tzinfo=UTC)


def _customer(number: str, name: str, *people: tuple[str, str]) -> ValidCustomer:
    representatives = tuple(
        ValidRepresentative(first, last, None, None, "director", None) for first, last in people
    )
    return ValidCustomer(None, None, number, name, AddressIn(), None, representatives)


def _probes(*names: tuple[str, EntryKind]) -> Probes:
    entries = [ListEntry(str(i), kind, (EntryName(name),)) for i, (name, kind) in enumerate(names)]
    return Probes.of(entries, DEFAULT_WEIGHTS, 0.86)


def _count(session: Session, table: type) -> int:
    return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_new_customers_are_queued_then_indexed(session: Session) -> None:
    stored = upsert_customer(
        session,
        _customer("0403170701", "Ivanov Trading BV", ("Viktor", "Sokolov"), ("Jan", "Peeters")),
        None,
        NOW,
    )
    assert queued(session) == 3
    assert index_queued(session) == 3
    assert queued(session) == 0 and _count(session, SubjectNameKey) > 10
    viktor = stored.person_subject_ids[0]
    company = stored.company_subject_id
    # Misspelt, reordered, transliterated: the entries still reach them.
    assert reached_subjects(session, _probes(("Sokolow Wiktor", EntryKind.PERSON))) == {viktor}
    found = reached_subjects(session, _probes(("Ivanoff Trading", EntryKind.ORGANIZATION)))
    assert found == {company}
    # A name that is nobody's reaches nobody; a person's name does not reach companies.
    assert reached_subjects(session, _probes(("Kim Jong Un", EntryKind.PERSON))) == set()
    assert reached_subjects(session, _probes(("Viktor Sokolov", EntryKind.ORGANIZATION))) == set()


def test_a_changed_name_is_indexed_again(session: Session) -> None:
    stored = upsert_customer(
        session, _customer("0403170701", "Omega BV", ("Anna", "Janssens")), None, NOW
    )
    index_queued(session)
    upsert_customer(session, _customer("0403170701", "Omega BV", ("Anna", "Janssens")), None, NOW)
    assert queued(session) == 0  # nothing changed
    person = stored.person_subject_ids[0]
    assert reached_subjects(session, _probes(("Anna Janssens", EntryKind.PERSON))) == {person}
    rectify(session, person, "last_name", "Karimova", today=date(2026, 12, 6))
    assert queued(session) == 1
    index_queued(session)
    assert reached_subjects(session, _probes(("Anna Karimov", EntryKind.PERSON))) == {person}
    # Her former name is not hers any more; a first name alone is not enough.
    assert reached_subjects(session, _probes(("Anna Janssens", EntryKind.PERSON))) == set()


def test_an_erased_subject_leaves_the_index_and_its_keys_go(session: Session) -> None:
    stored = upsert_customer(
        session, _customer("0403170701", "Zeta BV", ("Abdul", "Rahman")), None, NOW
    )
    index_queued(session)
    keys = _count(session, NameKey)
    purge_subjects(session, [stored.person_subject_ids[0]], NOW)
    assert reached_subjects(session, _probes(("Abdul Rahman", EntryKind.PERSON))) == set()
    texts = set(session.scalars(select(NameKey.text)))
    assert "rahman" not in texts and _count(session, NameKey) < keys
    assert "zeta" in texts  # the company's keys stay
    assert _count(session, NamesToIndex) == 0
