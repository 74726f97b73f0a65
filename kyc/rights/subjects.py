"""One way to name the data subject of a request, whatever the right: the pseudonymous
subject id, a national number (found through its keyed hash: the number itself is never
stored), or a name with a birth date. A name that fits several people names none: the
candidates are listed and nothing is done."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from pydantic import SecretStr
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kyc.identifiers import parse_national_number
from kyc.privacy import national_number_hash
from kyc.store.models import Company, Person, Representation, Subject


class SubjectNotNamed(ValueError):
    """The request does not name one data subject; the message says why."""


@dataclass(frozen=True)
class SubjectSelector:
    subject_id: str | None = None
    national_number: SecretStr | None = None
    name: str | None = None
    birth_date: date | None = None

    def __post_init__(self) -> None:
        ways = [self.subject_id, self.national_number, self.name]
        if sum(way is not None for way in ways) != 1:
            raise SubjectNotNamed(
                "name the data subject one way: --subject ID, --national-number NN, "
                "or --name TEXT with --birth-date YYYY-MM-DD"
            )
        if (self.name is None) != (self.birth_date is None):
            raise SubjectNotNamed("--name and --birth-date go together")
        if self.name is not None and not _folded(self.name):
            raise SubjectNotNamed("--name is empty")

    @property
    def named_by(self) -> str:
        """How the subject was named (what the audit trail may say of the request)."""
        if self.subject_id is not None:
            return "subject"
        return "national_number" if self.national_number is not None else "name_and_birth_date"


@dataclass(frozen=True)
class Candidate:
    """A person a name and birth date may mean, as an operator tells them apart."""

    subject_id: str
    name: str
    birth_date: str | None
    companies: tuple[str, ...]

    def line(self) -> str:
        born = f", born {self.birth_date}" if self.birth_date else ""
        of = f", representative of {', '.join(self.companies)}" if self.companies else ""
        return f"{self.subject_id}: {self.name}{born}{of}"


class SubjectAmbiguous(SubjectNotNamed):
    def __init__(self, candidates: list[Candidate]) -> None:
        lines = "".join(f"\n  {c.line()}" for c in candidates)
        super().__init__(
            f"{len(candidates)} people fit that name and birth date; name one with "
            f"--subject:{lines}"
        )
        self.candidates = candidates


def find_subject(session: Session, selector: SubjectSelector, nn_key: SecretStr | None) -> str:
    """The subject id the selector names, or :class:`SubjectNotNamed` saying why not."""
    if selector.subject_id is not None:
        if session.get(Subject, selector.subject_id) is None:
            raise SubjectNotNamed(f"there is no subject {selector.subject_id}")
        return selector.subject_id
    if selector.national_number is not None:
        number = parse_national_number(selector.national_number.get_secret_value())
        digest = national_number_hash(number, nn_key)
        found = session.scalar(select(Person.subject_id).where(Person.nn_hash == digest))
        if found is None:
            # The number is not repeated: it must not reach a terminal or a log.
            raise SubjectNotNamed("no person is stored with that national number")
        return found
    assert selector.name is not None and selector.birth_date is not None
    candidates = _by_name(session, selector.name, selector.birth_date)
    if not candidates:
        raise SubjectNotNamed("no person is stored with that name and birth date")
    if len(candidates) > 1:
        raise SubjectAmbiguous(candidates)
    return candidates[0].subject_id


def _by_name(session: Session, name: str, born: date) -> list[Candidate]:
    wanted = _folded(name)
    persons = session.scalars(
        select(Person)
        .where(
            or_(
                Person.birth_date == born.isoformat(),
                Person.birth_date == str(born.year),  # only the year was declared
                Person.nn_birth_date == born,
            )
        )
        .order_by(Person.subject_id)
    ).all()
    return [
        _candidate(session, person)
        for person in persons
        if wanted
        in (
            _folded(f"{person.first_name} {person.last_name}"),
            _folded(f"{person.last_name} {person.first_name}"),
        )
    ]


def _candidate(session: Session, person: Person) -> Candidate:
    companies = session.scalars(
        select(Company.name)
        .join(Representation, Representation.company_subject_id == Company.subject_id)
        .where(Representation.person_subject_id == person.subject_id)
        .order_by(Company.name)
    ).all()
    return Candidate(
        person.subject_id,
        f"{person.first_name} {person.last_name}",
        person.birth_date or (str(person.nn_birth_date) if person.nn_birth_date else None),
        tuple(companies),
    )


def _folded(text: str) -> str:
    """Case, accents and spacing set aside: ``Émile  DUPONT`` is ``emile dupont``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.replace("-", " ").split())
