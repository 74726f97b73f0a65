"""Use cases of the data subject's rights: naming the subject of a request. Every
search is audited (purpose ``data_subject_request``), whatever it found, and never with
the name or number it was given."""

from __future__ import annotations

from dataclasses import dataclass

from kyc.app.runtime import Runtime
from kyc.purposes import Purpose
from kyc.review.decisions import subject_name
from kyc.rights.subjects import SubjectAmbiguous, SubjectNotNamed, SubjectSelector, find_subject
from kyc.store.db import transaction


@dataclass(frozen=True)
class FoundSubject:
    subject_id: str
    kind: str
    name: str


def find(runtime: Runtime, selector: SubjectSelector) -> FoundSubject:
    refusal: SubjectNotNamed | None = None
    found: FoundSubject | None = None
    with transaction(runtime.sessions) as session:
        try:
            subject_id = find_subject(session, selector, runtime.settings.nn_key)
        except SubjectNotNamed as error:
            refusal = error
        else:
            found = FoundSubject(subject_id, *subject_name(session, subject_id))
        runtime.auditor().record(
            session,
            action="privacy.subject_sought",
            purpose=Purpose.DATA_SUBJECT_REQUEST,
            outcome=_outcome(refusal),
            subject_ref=found.subject_id if found else None,
            details={"named_by": selector.named_by},
        )
    if refusal is not None:
        raise refusal
    assert found is not None
    return found


def _outcome(refusal: SubjectNotNamed | None) -> str:
    if refusal is None:
        return "found"
    return "ambiguous" if isinstance(refusal, SubjectAmbiguous) else "not_found"
