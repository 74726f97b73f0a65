"""The register rows a batch of checks needs, read in a few queries for the whole batch.

A rescreen partition verifies thousands of companies and checks their representatives'
mandates; asking the register once per company and table would cost more than the
checks themselves. Rows for enterprises outside the batch (a function held by another
legal person) are still asked for one by one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.registry.extract import latest_extract
from kyc.store.models import (
    KboAddress,
    KboCode,
    KboDenomination,
    KboEnterprise,
    KboFunction,
    RegisterExtract,
)

SEAT = "REGO"
_IN_CHUNK = 5000  # rows named per IN list (SQLite allows 32,766 parameters)
R = TypeVar("R")


@dataclass
class RegisterRows:
    numbers: frozenset[str]
    extract: RegisterExtract | None
    enterprises: dict[str, KboEnterprise] = field(default_factory=dict)
    seats: dict[str, list[KboAddress]] = field(default_factory=dict)
    denominations: dict[str, list[KboDenomination]] = field(default_factory=dict)
    functions: dict[str, list[KboFunction]] = field(default_factory=dict)

    def holds(self, number: str) -> bool:
        return number in self.numbers


def read_register_rows(session: Session, numbers: Iterable[str]) -> RegisterRows:
    """The enterprises, seat addresses, denominations and functions of ``numbers``."""
    wanted = sorted(set(numbers))
    rows = RegisterRows(frozenset(wanted), latest_extract(session))
    for chunk in _chunks(wanted):
        for enterprise in session.scalars(
            select(KboEnterprise).where(KboEnterprise.enterprise_number.in_(chunk))
        ):
            rows.enterprises[enterprise.enterprise_number] = enterprise
        seats = select(KboAddress).where(
            KboAddress.entity_number.in_(chunk), KboAddress.type_of_address == SEAT
        )
        _group(rows.seats, session.scalars(seats.order_by(KboAddress.id)), "entity_number")
        names = select(KboDenomination).where(KboDenomination.entity_number.in_(chunk))
        _group(rows.denominations, session.scalars(names.order_by(KboDenomination.id)),
               "entity_number")  # fmt: skip
        functions = select(KboFunction).where(KboFunction.enterprise_number.in_(chunk))
        _group(rows.functions,
               session.scalars(functions.order_by(KboFunction.begin, KboFunction.id)),
               "enterprise_number")  # fmt: skip
    return rows


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]


def _group(into: dict[str, list[R]], found: Iterable[R], key: str) -> None:
    grouped: dict[str, list[R]] = defaultdict(list)
    for row in found:
        grouped[getattr(row, key)].append(row)
    into.update(grouped)


def code_labels(session: Session, category: str, code: str | None) -> dict[str, str]:
    """The code's description in each language the register gives it (NL, FR, DE, EN)."""
    if not code:
        return {}
    rows = session.execute(
        select(KboCode.language, KboCode.description).where(
            KboCode.category == category, KboCode.code == code
        )
    )
    return {language: description for language, description in rows}


@dataclass
class RegisterReader:
    """What the company and mandate checks read of the register: from ``rows`` read for
    a whole batch when they hold the enterprise, else from the session."""

    session: Session
    rows: RegisterRows | None = None
    # The code table's labels, read once per reader: a batch asks for the same few.
    _labels: dict[tuple[str, str | None], dict[str, str]] = field(default_factory=dict, init=False)

    def extract(self) -> RegisterExtract | None:
        return self.rows.extract if self.rows is not None else latest_extract(self.session)

    def enterprise(self, number: str) -> KboEnterprise | None:
        if self.rows is not None and self.rows.holds(number):
            return self.rows.enterprises.get(number)
        return self.session.get(KboEnterprise, number)

    def seat(self, number: str) -> KboAddress | None:
        if self.rows is not None and self.rows.holds(number):
            seats = self.rows.seats.get(number)
            return seats[0] if seats else None
        query = select(KboAddress).where(
            KboAddress.entity_number == number, KboAddress.type_of_address == SEAT
        )
        return self.session.scalars(query.order_by(KboAddress.id)).first()

    def denominations(self, number: str) -> list[KboDenomination]:
        if self.rows is not None and self.rows.holds(number):
            return list(self.rows.denominations.get(number, []))
        query = select(KboDenomination).where(KboDenomination.entity_number == number)
        return list(self.session.scalars(query.order_by(KboDenomination.id)))

    def functions(self, number: str) -> list[KboFunction]:
        if self.rows is not None and self.rows.holds(number):
            return list(self.rows.functions.get(number, []))
        query = select(KboFunction).where(KboFunction.enterprise_number == number)
        return list(self.session.scalars(query.order_by(KboFunction.begin, KboFunction.id)))

    def labels(self, category: str, code: str | None) -> dict[str, str]:
        key = (category, code)
        if key not in self._labels:
            self._labels[key] = code_labels(self.session, category, code)
        return self._labels[key]
