"""Deleting or anonymising a data subject's personal data, for retention and erasure.

What goes: the person's or company's row, the representations that link them, the
attributes each screening run read (kept: their SHA-256, and which entries matched with
which score, so that the trail and a replay still say what happened), the details of
hit explanations (which words of the subject's name met which alias), reviewers' free-
text reasons, and the messages of mandate and company check findings (kept: their
codes and verdicts). What stays is what the trail needs and holds no personal data: the
pseudonymous subject id, hashes, verdicts, scores and list entries (published data).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, case, delete, or_, select, update
from sqlalchemy.orm import Session

from kyc.store.models import (
    CheckDecision,
    Company,
    CompanyCheck,
    Decision,
    Hit,
    MandateCheck,
    Person,
    Representation,
    ScreenedInput,
    Subject,
)
from kyc.store.name_index import drop_unheld_keys, forget_names

ERASED = "[erased]"
# Rows per statement: an IN list stays well under every database's parameter limit.
CHUNK = 500


@dataclass
class PurgeCounts:
    """Rows deleted or anonymised, per category (what a retention run's event records)."""

    persons: int = 0
    companies: int = 0
    representations: int = 0
    screened_inputs: int = 0
    hit_explanations: int = 0
    decision_reasons: int = 0
    check_decision_reasons: int = 0
    mandate_checks: int = 0
    company_checks: int = 0
    name_keys: int = 0  # the subjects' keys in the index of names (kyc.store.name_index)

    def add(self, other: PurgeCounts) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    @property
    def total(self) -> int:
        return sum(self.as_dict().values())


def chunks(ids: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def purge_subjects(session: Session, subject_ids: Sequence[str], now: datetime) -> PurgeCounts:
    """Delete or anonymise the personal data of ``subject_ids`` everywhere; mark each
    subject erased. The caller decides that nothing holds the data any more."""
    counts = PurgeCounts()
    for chunk in chunks(sorted(set(subject_ids))):
        counts.add(_purge_chunk(session, chunk, now))
    drop_unheld_keys(session)
    return counts


def _purge_chunk(session: Session, ids: Sequence[str], now: datetime) -> PurgeCounts:
    counts = PurgeCounts()
    counts.screened_inputs = _count(
        session,
        update(ScreenedInput).where(ScreenedInput.subject_id.in_(ids)).values(attributes={}),
    )
    counts.hit_explanations = _anonymise_explanations(session, ids)
    hit_ids = select(Hit.id).where(Hit.subject_id.in_(ids))
    counts.decision_reasons = _count(
        session,
        update(Decision)
        .where(Decision.hit_id.in_(hit_ids), Decision.reason != ERASED)
        .values(reason=ERASED, rejection_reason=_erased_if_set(Decision.rejection_reason)),
    )
    counts.check_decision_reasons = _count(
        session,
        update(CheckDecision)
        .where(
            or_(
                CheckDecision.company_subject_id.in_(ids),
                CheckDecision.person_subject_id.in_(ids),
            ),
            CheckDecision.reason != ERASED,
        )
        .values(reason=ERASED, rejection_reason=_erased_if_set(CheckDecision.rejection_reason)),
    )
    counts.mandate_checks = _anonymise_findings(
        session,
        MandateCheck,
        or_(MandateCheck.company_subject_id.in_(ids), MandateCheck.person_subject_id.in_(ids)),
    )
    counts.company_checks = _anonymise_findings(
        session, CompanyCheck, CompanyCheck.subject_id.in_(ids)
    )
    counts.representations = _count(
        session,
        delete(Representation).where(
            or_(
                Representation.company_subject_id.in_(ids),
                Representation.person_subject_id.in_(ids),
            )
        ),
    )
    counts.name_keys = forget_names(session, ids)
    counts.persons = _count(session, delete(Person).where(Person.subject_id.in_(ids)))
    counts.companies = _count(session, delete(Company).where(Company.subject_id.in_(ids)))
    session.execute(
        update(Subject)
        .where(Subject.id.in_(ids))
        .values(
            erased_at=now,
            restricted_since=None,
            restriction_reason=None,
            restriction_ground=None,
        )
    )
    return counts


def _count(session: Session, statement: Any) -> int:
    result = session.execute(statement.execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _erased_if_set(column: Any) -> Any:
    return case((column.is_(None), None), else_=ERASED)


def _anonymise_explanations(session: Session, ids: Sequence[str]) -> int:
    """Keep each feature's name and contribution; drop its detail (the subject's words)."""
    changes = []
    for hit_id, explanation in session.execute(
        select(Hit.id, Hit.explanation).where(Hit.subject_id.in_(ids))
    ):
        anonymous = _anonymous_explanation(explanation)
        if anonymous != explanation:
            changes.append({"row_id": hit_id, "explanation": anonymous})
    return _update_by_id(session, Hit, "explanation", changes)


def _anonymous_explanation(explanation: dict[str, Any]) -> dict[str, Any]:
    features = [
        {"feature": f.get("feature"), "contribution": f.get("contribution"), "detail": ERASED}
        for f in explanation.get("features", [])
    ]
    return {**explanation, "features": features}


def _anonymise_findings(session: Session, table: Any, where: Any) -> int:
    """Keep each finding's code and severity; drop its message (it may name people)."""
    changes = []
    for row_id, findings in session.execute(select(table.id, table.findings).where(where)):
        anonymous = [
            {"code": f.get("code"), "severity": f.get("severity"), "message": ERASED}
            for f in findings
        ]
        if anonymous != findings:
            changes.append({"row_id": row_id, "findings": anonymous})
    return _update_by_id(session, table, "findings", changes)


def _update_by_id(session: Session, model: Any, column: str, changes: list[dict[str, Any]]) -> int:
    """One executemany for the rows that change (on the table: the ORM's version
    counter of hits is for reviewers' edits, not for this)."""
    if changes:
        table = model.__table__
        statement = update(table).where(table.c.id == bindparam("row_id"))
        session.execute(statement.values({column: bindparam(column)}), changes)
    return len(changes)
