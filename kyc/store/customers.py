"""Persistence of customers: companies, representatives and their pseudonymous subjects."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kyc.customers import ValidCustomer, ValidRepresentative
from kyc.model import EntryKind, PartialDate, ScreeningSubject
from kyc.privacy import national_number_hash
from kyc.store.models import Company, Person, Representation, Subject
from kyc.store.name_index import names_changed


class CustomerConflict(ValueError):
    pass


@dataclass(frozen=True)
class StoredCustomer:
    company_subject_id: str
    person_subject_ids: tuple[str, ...]
    created: bool
    changed: bool


def new_subject(session: Session, kind: EntryKind, now: datetime) -> Subject:
    subject = Subject(id=uuid.uuid4().hex, kind=str(kind), created_at=now)
    session.add(subject)
    session.flush()  # the rows that point at it are inserted after it
    return subject


def _assign(row: object, values: dict[str, object]) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed


def upsert_customer(
    session: Session, customer: ValidCustomer, nn_key: SecretStr | None, now: datetime
) -> StoredCustomer:
    """Create or update a customer; its declared representatives replace the previous set."""
    company = session.scalar(
        select(Company).where(Company.enterprise_number == customer.enterprise_number)
    )
    _refuse_foreign_ref(session, customer)
    created = company is None
    if company is None:
        subject = new_subject(session, EntryKind.ORGANIZATION, now)
        company = Company(subject_id=subject.id, enterprise_number=customer.enterprise_number)
        session.add(company)
    address = customer.address
    changed = _assign(
        company,
        {
            "customer_ref": customer.customer_ref,
            "name": customer.name,
            "street": address.street,
            "house_number": address.house_number,
            "box": address.box,
            "postcode": address.postcode,
            "municipality": address.municipality,
            "country": address.country,
            "peppol_id": customer.peppol_id,
        },
    )
    if changed or created:
        company.updated_at = now
        names_changed(session, [company.subject_id])
    people, people_changed = _replace_representatives(
        session, company.subject_id, customer.representatives, nn_key, now
    )
    return StoredCustomer(company.subject_id, people, created, changed or people_changed)


def _refuse_foreign_ref(session: Session, customer: ValidCustomer) -> None:
    if not customer.customer_ref:
        return
    owner = session.scalar(select(Company).where(Company.customer_ref == customer.customer_ref))
    if owner is not None and owner.enterprise_number != customer.enterprise_number:
        raise CustomerConflict(
            f"customer_ref {customer.customer_ref!r} already belongs to enterprise "
            f"{owner.enterprise_number}"
        )


def _replace_representatives(
    session: Session,
    company_id: str,
    declared: Sequence[ValidRepresentative],
    nn_key: SecretStr | None,
    now: datetime,
) -> tuple[tuple[str, ...], bool]:
    links = {
        link.person_subject_id: link
        for link in session.scalars(
            select(Representation).where(Representation.company_subject_id == company_id)
        )
    }
    persons = list(session.scalars(select(Person).where(Person.subject_id.in_(links))))
    kept: list[str] = []
    changed = False
    for rep in declared:
        nn_hash = national_number_hash(rep.national_number, nn_key) if rep.national_number else None
        person = _find_person(persons, rep, nn_hash)
        if person is None:
            person = Person(subject_id=new_subject(session, EntryKind.PERSON, now).id)
            session.add(person)
            persons.append(person)
        if _assign(person, _person_values(rep, nn_hash)) or person.updated_at is None:
            person.updated_at = now
            names_changed(session, [person.subject_id])
            changed = True
        link = links.get(person.subject_id)
        if link is None:
            link = Representation(
                company_subject_id=company_id, person_subject_id=person.subject_id
            )
            session.add(link)
            links[person.subject_id] = link
        proxy = rep.proxy.model_dump(mode="json") if rep.proxy else None
        changed |= _assign(link, {"role": rep.role, "proxy": proxy})
        kept.append(person.subject_id)
    for person_id, link in links.items():
        if person_id not in kept:
            session.delete(link)
            changed = True
    return tuple(kept), changed


def _person_values(rep: ValidRepresentative, nn_hash: str | None) -> dict[str, object]:
    values: dict[str, object] = {
        "first_name": rep.first_name,
        "last_name": rep.last_name,
        "birth_date": str(rep.birth_date) if rep.birth_date else None,
        "nationality": rep.nationality,
    }
    if rep.national_number is not None:
        values["nn_hash"] = nn_hash
        values["nn_birth_date"] = rep.national_number.birth_date
    return values


def _find_person(
    persons: Iterable[Person], rep: ValidRepresentative, nn_hash: str | None
) -> Person | None:
    """The stored representative this declaration is about: same national number, else
    same name (a corrected birth date updates the person rather than adding one)."""
    people = list(persons)
    for person in people:
        if nn_hash is not None and person.nn_hash == nn_hash:
            return person
    wanted = (rep.first_name.casefold(), rep.last_name.casefold())
    namesakes = [p for p in people if (p.first_name.casefold(), p.last_name.casefold()) == wanted]
    birth = str(rep.birth_date) if rep.birth_date else None
    for person in namesakes:
        if person.birth_date == birth:
            return person
    return namesakes[0] if namesakes else None


# --- reading subjects back for screening -------------------------------------------


def company_subject(company: Company) -> ScreeningSubject:
    return ScreeningSubject(
        subject_id=company.subject_id,
        kind=EntryKind.ORGANIZATION,
        name=company.name,
        country=company.country,
    )


def person_subject(person: Person) -> ScreeningSubject:
    return ScreeningSubject(
        subject_id=person.subject_id,
        kind=EntryKind.PERSON,
        name=f"{person.first_name} {person.last_name}".strip(),
        first_name=person.first_name,
        last_name=person.last_name,
        birth_date=PartialDate.parse(person.birth_date) if person.birth_date else None,
        nationality=person.nationality,
    )


def customer_subjects(session: Session, company_ids: Sequence[str]) -> list[ScreeningSubject]:
    """The companies and their current representatives, ready to screen (in two queries
    a thousand companies: a rescreen partition asks for thousands)."""
    subjects: list[ScreeningSubject] = []
    for start in range(0, len(company_ids), _IN_CHUNK):
        chunk = list(company_ids[start : start + _IN_CHUNK])
        people: dict[str, list[Person]] = {}
        for company_id, person in session.execute(
            select(Representation.company_subject_id, Person)
            .join(Person, Person.subject_id == Representation.person_subject_id)
            .where(Representation.company_subject_id.in_(chunk))
            .order_by(Person.last_name, Person.first_name)
        ):
            people.setdefault(company_id, []).append(person)
        for company in session.scalars(
            select(Company).where(Company.subject_id.in_(chunk)).order_by(Company.subject_id)
        ):
            subjects.append(company_subject(company))
            subjects.extend(person_subject(p) for p in people.get(company.subject_id, []))
    return subjects


_IN_CHUNK = 1000  # companies named per IN list (SQLite allows 32,766 parameters)


def representatives_of(session: Session, company_id: str) -> list[Person]:
    return list(
        session.scalars(
            select(Person)
            .join(Representation, Representation.person_subject_id == Person.subject_id)
            .where(Representation.company_subject_id == company_id)
            .order_by(Person.last_name, Person.first_name)
        )
    )


def customers_among(session: Session, subject_ids: Iterable[str]) -> list[ScreeningSubject]:
    """The subjects among ``subject_ids`` that are customers now: companies in
    relationship, and the people representing one (in the order of their ids)."""
    ids = sorted(set(subject_ids))
    subjects: list[ScreeningSubject] = []
    in_relationship = Company.relationship_ended_on.is_(None)
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        companies = session.scalars(
            select(Company).where(Company.subject_id.in_(chunk), in_relationship)
        )
        represents = (
            select(Representation.person_subject_id)
            .join(Company, Company.subject_id == Representation.company_subject_id)
            .where(Representation.person_subject_id.in_(chunk), in_relationship)
        )
        persons = session.scalars(select(Person).where(Person.subject_id.in_(represents)))
        subjects += [company_subject(c) for c in companies]
        subjects += [person_subject(p) for p in persons]
    return sorted(subjects, key=lambda subject: subject.subject_id)


def customer_count(session: Session) -> int:
    """The companies in relationship, and the people representing one."""
    in_relationship = Company.relationship_ended_on.is_(None)
    companies = session.scalar(select(func.count()).select_from(Company).where(in_relationship))
    people = session.scalar(
        select(func.count(Representation.person_subject_id.distinct()))
        .join(Company, Company.subject_id == Representation.company_subject_id)
        .where(in_relationship)
    )
    return int(companies or 0) + int(people or 0)


def all_company_ids(session: Session) -> list[str]:
    """The customers in relationship: those whose relationship ended are not screened."""
    query = select(Company.subject_id).where(Company.relationship_ended_on.is_(None))
    return list(session.scalars(query.order_by(Company.subject_id)))


@dataclass(frozen=True)
class Preloaded:
    """A partition's rows, held while its checks run (the session keeps a row only as
    long as somebody holds it)."""

    companies: list[Company]
    persons: list[Person]


def preload_partition(session: Session, company_ids: Sequence[str]) -> Preloaded:
    """Read a partition's companies and their representatives in two queries, into the
    session: the checks that follow get each row by its key from the session instead of
    one query apiece."""
    ids = list(company_ids)
    companies = list(session.scalars(select(Company).where(Company.subject_id.in_(ids))))
    persons = session.scalars(
        select(Person)
        .join(Representation, Representation.person_subject_id == Person.subject_id)
        .where(Representation.company_subject_id.in_(ids))
    ).all()
    return Preloaded(companies, list(persons))
