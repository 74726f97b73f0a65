"""Rectification (GDPR Art. 16): one field of a person's or a company's data corrected.

The value is checked as an import would check it; the trail records which field, why
(the request is audited elsewhere), and the subject's fingerprints before and after —
never the values. The caller screens the subject again and re-checks the mandates the
change may move, at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from kyc.customers.schema import clean_text
from kyc.identifiers import holds_national_number
from kyc.model import PartialDate, ScreeningSubject
from kyc.rights.restriction import RightRefused, live_subject
from kyc.screening import subject_fingerprint
from kyc.store.customers import company_subject, person_subject
from kyc.store.models import Company, Person
from kyc.store.name_index import names_changed


def _text(limit: int) -> Callable[[str, date], str]:
    def checked(value: str, today: date) -> str:
        text = clean_text(value)
        if not isinstance(text, str) or not text:
            raise ValueError("an empty value cannot replace it")
        if len(text) > limit:
            raise ValueError(f"at most {limit} characters")
        return text

    return checked


def _birth_date(value: str, today: date) -> str:
    born = PartialDate.parse(value)
    earliest = date(born.year, born.month or 1, born.day or 1)
    if earliest > today:
        raise ValueError(f"{value} is in the future")
    return str(born)


def _country(value: str, today: date) -> str:
    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise ValueError("a two-letter ISO 3166 country code is needed")
    return code


PERSON_FIELDS: dict[str, Callable[[str, date], str]] = {
    "first_name": _text(200),
    "last_name": _text(200),
    "birth_date": _birth_date,
    "nationality": _country,
}
COMPANY_FIELDS: dict[str, Callable[[str, date], str]] = {
    "name": _text(300),
    "street": _text(200),
    "house_number": _text(32),
    "box": _text(32),
    "postcode": _text(16),
    "municipality": _text(100),
    "country": _country,
}


@dataclass(frozen=True)
class Rectified:
    subject_id: str
    kind: str
    field: str
    old_fingerprint: str
    new_fingerprint: str
    changed: bool
    subject: ScreeningSubject


def rectify(session: Session, subject_id: str, field: str, value: str, *, today: date) -> Rectified:
    """Set ``field`` to ``value`` on the subject's stored data; nothing else changes."""
    live_subject(session, subject_id)
    row: Person | Company | None = session.get(Person, subject_id)
    fields, kind = PERSON_FIELDS, "person"
    if row is None:
        row, fields, kind = session.get(Company, subject_id), COMPANY_FIELDS, "organization"
    if row is None:
        raise RightRefused(f"{subject_id}: no personal data is stored for it")
    if field not in fields:
        raise RightRefused(
            f"a {kind}'s {field!r} cannot be rectified here; one of: {', '.join(fields)}"
        )
    if holds_national_number(value):
        raise RightRefused("the value holds a national number, which is never stored as text")
    try:
        checked = fields[field](value, today)
    except ValueError as error:
        raise RightRefused(f"{field}: {error}") from error
    before = _subject(row)
    changed = getattr(row, field) != checked
    setattr(row, field, checked)
    if changed:
        names_changed(session, [subject_id])
    session.flush()
    after = _subject(row)
    return Rectified(
        subject_id,
        kind,
        field,
        subject_fingerprint(before),
        subject_fingerprint(after),
        changed,
        after,
    )


def _subject(row: Person | Company) -> ScreeningSubject:
    return person_subject(row) if isinstance(row, Person) else company_subject(row)
