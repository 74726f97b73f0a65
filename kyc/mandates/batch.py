"""What checking the mandates of many companies at once reads before it starts: each
company's representatives, each pair's latest check and who is restricted, in a few
queries for the whole batch instead of a few per company."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kyc.rights.restriction import restricted_among
from kyc.store.models import MandateCheck, Representation

_IN_CHUNK = 5000  # ids named per IN list (SQLite allows 32,766 parameters)


@dataclass(frozen=True)
class MandateRows:
    links: dict[str, list[Representation]]  # by company, in the order they were declared
    latest: dict[tuple[str, str], MandateCheck]  # by (company, person)
    restricted: frozenset[str]


def read_mandate_rows(session: Session, company_ids: Sequence[str]) -> MandateRows:
    links: dict[str, list[Representation]] = defaultdict(list)
    latest: dict[tuple[str, str], MandateCheck] = {}
    for start in range(0, len(company_ids), _IN_CHUNK):
        chunk = list(company_ids[start : start + _IN_CHUNK])
        found = select(Representation).where(Representation.company_subject_id.in_(chunk))
        for link in session.scalars(found.order_by(Representation.id)):
            links[link.company_subject_id].append(link)
        newest = (
            select(func.max(MandateCheck.id))
            .where(MandateCheck.company_subject_id.in_(chunk))
            .group_by(MandateCheck.company_subject_id, MandateCheck.person_subject_id)
        )
        for check in session.scalars(select(MandateCheck).where(MandateCheck.id.in_(newest))):
            latest[(check.company_subject_id, check.person_subject_id)] = check
    people = [link.person_subject_id for each in links.values() for link in each]
    return MandateRows(dict(links), latest, frozenset(restricted_among(session, people)))
