"""A small register written row by row: enterprises of chosen forms and situations, and
the functions held in them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import count

from sqlalchemy.orm import Session

from kyc.store.models import KboDenomination, KboEnterprise, KboFunction, RegisterExtract

_serial = count(1)


def enterprise_number(seed: int) -> str:
    """A valid enterprise number (mod-97 check digits) for ``seed``."""
    base = 4_000_000 + seed
    return f"{base:08d}{97 - base % 97:02d}"


def extract(session: Session) -> RegisterExtract:
    row = RegisterExtract(
        extract_number=1,
        extract_type="full",
        snapshot_date=date(2026, 11, 1),
        extract_timestamp="01-11-2026 03:00:00",
        format_version="1.0.0",
        sha256=f"{next(_serial):064x}",
        imported_at=datetime(2026, 11, 2, tzinfo=UTC),
        row_counts={},
    )
    session.add(row)
    session.flush()
    return row


def company(
    session: Session,
    seed: int,
    legal_form: str | None = "610",
    situation: str = "000",
    kind: str = "2",
    name: str | None = None,
) -> str:
    number = enterprise_number(seed)
    session.add(
        KboEnterprise(
            enterprise_number=number,
            status="AC",
            juridical_situation=situation,
            type_of_enterprise=kind,
            juridical_form=legal_form,
            juridical_form_cac=None,
            start_date=date(2010, 1, 1),
        )
    )
    if name is not None:
        session.add(
            KboDenomination(
                entity_number=number, language="2", type_of_denomination="001", denomination=name
            )
        )
    return number


def function(
    session: Session,
    number: str,
    code: str,
    first: str | None = None,
    last: str | None = None,
    *,
    holder: str | None = None,
    begin: date = date(2015, 1, 1),
    end: date | None = None,
    birth: date | None = None,
    representative: tuple[str, str] | None = None,
) -> None:
    session.add(
        KboFunction(
            enterprise_number=number,
            function_code=code,
            begin=begin,
            end=end,
            first_name=first,
            last_name=last,
            holder_enterprise_number=holder,
            birth_date=birth,
            representative_first_name=representative[0] if representative else None,
            representative_last_name=representative[1] if representative else None,
            source="csv",
        )
    )
