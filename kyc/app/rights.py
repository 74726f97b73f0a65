"""Use cases of the data subject's rights: find, access, rectify, restrict, unrestrict,
erase. Each names its subject one way (:class:`SubjectSelector`) and is audited under
``data_subject_request`` whatever it found or refused — never with the name or number
it was given, only how the subject was named."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy.orm import Session

from kyc.app.pipeline import pipeline
from kyc.app.runtime import Runtime, today
from kyc.pages import as_json, render_page
from kyc.privacy import fingerprint
from kyc.purposes import Purpose
from kyc.review.decisions import subject_name
from kyc.rights.access import AccessPolicy, subject_record
from kyc.rights.erasure import ErasureOutcome, erase
from kyc.rights.holds import companies_of_person
from kyc.rights.rectification import Rectified, rectify
from kyc.rights.restriction import (
    Restriction,
    RightRefused,
    checked_reason,
    restrict,
    restriction_of,
    unrestrict,
)
from kyc.rights.subjects import SubjectAmbiguous, SubjectNotNamed, SubjectSelector, find_subject
from kyc.store.db import transaction
from kyc.store.models import Company

T = TypeVar("T")


@dataclass(frozen=True)
class FoundSubject:
    subject_id: str
    kind: str
    name: str
    restriction: Restriction | None = None


def on_subject(
    runtime: Runtime,
    selector: SubjectSelector,
    request: str,
    act: Callable[[Session, str], T],
    done: Callable[[T], str] = lambda _result: "done",
) -> T:
    """Find the subject and act on it in one transaction. A subject not named, or an act
    refused, changes nothing but the event that records the request and its outcome."""
    refusal: Exception | None = None
    result: T | None = None
    with transaction(runtime.sessions) as session:
        subject_id: str | None = None
        try:
            subject_id = find_subject(session, selector, runtime.settings.nn_key)
            with session.begin_nested():
                result = act(session, subject_id)
        except (SubjectNotNamed, RightRefused) as error:
            refusal = error
        runtime.auditor().record(
            session,
            action=f"privacy.{request}",
            purpose=Purpose.DATA_SUBJECT_REQUEST,
            outcome=_outcome(refusal) or done(result),  # type: ignore[arg-type]
            subject_ref=subject_id,
            details={"named_by": selector.named_by},
        )
    if refusal is not None:
        raise refusal
    assert result is not None
    return result


def _outcome(refusal: Exception | None) -> str | None:
    if refusal is None:
        return None
    if isinstance(refusal, SubjectAmbiguous):
        return "ambiguous"
    return "not_found" if isinstance(refusal, SubjectNotNamed) else "refused"


def find(runtime: Runtime, selector: SubjectSelector) -> FoundSubject:
    return on_subject(
        runtime,
        selector,
        "subject_sought",
        lambda session, subject_id: FoundSubject(
            subject_id, *subject_name(session, subject_id), restriction_of(session, subject_id)
        ),
        done=lambda _found: "found",
    )


@dataclass(frozen=True)
class AccessAnswer:
    subject_id: str
    json_path: Path
    html_path: Path
    restricted: bool


def export(runtime: Runtime, selector: SubjectSelector, out_dir: Path) -> AccessAnswer:
    """Everything held about the subject, as JSON and as a page, under ``out_dir``."""

    def answer(session: Session, subject_id: str) -> AccessAnswer:
        record = subject_record(
            session,
            subject_id,
            purposes=runtime.settings.purposes,
            today=today(runtime),
            now=runtime.clock(),
            policy=AccessPolicy(runtime.settings.access_names_reviewers),
        )
        return _write_answer(out_dir, subject_id, record)

    return on_subject(runtime, selector, "access_exported", answer)


def _write_answer(out_dir: Path, subject_id: str, record: dict[str, object]) -> AccessAnswer:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise RightRefused(f"{out_dir}: cannot write the answer there ({error})") from error
    json_path = out_dir / f"access-{subject_id}.json"
    html_path = out_dir / f"access-{subject_id}.html"
    subject = record["subject"]
    assert isinstance(subject, dict)
    page = render_page(
        f"What is held about data subject {subject_id}",
        "The answer to a request of access (GDPR Art. 15) for the Peppol KYC check and "
        "sanctions screening: the personal data, its sources, every screening, hit, "
        "decision and check, the purposes and legal bases, how long it is kept, who may "
        "receive it, and what is withheld and why.",
        [(key.replace("_", " ").capitalize(), value) for key, value in record.items()],
        subject.get("restriction"),
    )
    json_path.write_text(as_json(record) + "\n", encoding="utf-8")
    html_path.write_text(page, encoding="utf-8")
    return AccessAnswer(subject_id, json_path, html_path, bool(subject.get("restricted")))


def restrict_subject(runtime: Runtime, selector: SubjectSelector, reason: str) -> Restriction:
    return on_subject(
        runtime,
        selector,
        "restriction_requested",
        lambda session, subject_id: restrict(
            session, subject_id, reason, auditor=runtime.auditor(), now=runtime.clock()
        ),
    )


def unrestrict_subject(runtime: Runtime, selector: SubjectSelector, reason: str) -> Restriction:
    return on_subject(
        runtime,
        selector,
        "unrestriction_requested",
        lambda session, subject_id: unrestrict(
            session, subject_id, reason, auditor=runtime.auditor(), now=runtime.clock()
        ),
    )


def erase_subject(runtime: Runtime, selector: SubjectSelector, reason: str) -> ErasureOutcome:
    """Erase, or refuse under a retention rule and restrict instead (both recorded)."""
    return on_subject(
        runtime,
        selector,
        "erasure_requested",
        lambda session, subject_id: erase(
            session,
            subject_id,
            reason,
            today=today(runtime),
            purposes=runtime.settings.purposes,
            auditor=runtime.auditor(),
            now=runtime.clock(),
        ),
        done=lambda outcome: "refused" if outcome.refused else "erased",
    )


@dataclass(frozen=True)
class RectificationAnswer:
    rectified: Rectified
    run_id: int
    open_hits: int
    mandates: tuple[str, ...]

    def lines(self) -> list[str]:
        r = self.rectified
        if not r.changed:
            head = f"{r.subject_id}: {r.field} already held that value; screened again"
        else:
            head = f"{r.subject_id}: {r.field} rectified"
        return [
            head,
            f"  screened again in run {self.run_id}: {self.open_hits} hits to review",
            *(f"  mandate {line}" for line in self.mandates),
        ]


def rectify_subject(
    runtime: Runtime, selector: SubjectSelector, field: str, value: str, reason: str
) -> RectificationAnswer:
    """Correct one field, then screen the subject again and re-check what it may move, in
    the same transaction; the trail gets the field and the fingerprints before and after
    (never the values) and a fingerprint of the reason."""

    def act(session: Session, subject_id: str) -> RectificationAnswer:
        why = checked_reason(reason)
        done = rectify(session, subject_id, field, value, today=today(runtime))
        person = done.kind == "person"
        companies = companies_of_person(session, subject_id) if person else [subject_id]
        held = [c for c in companies if session.get(Company, c) is not None]
        outcome, mandates = pipeline(runtime, session).screen_again(
            done.subject, held, subject_id if person else None
        )
        runtime.auditor().record(
            session,
            action="privacy.rectified",
            purpose=Purpose.DATA_SUBJECT_REQUEST,
            outcome="rectified" if done.changed else "unchanged",
            subject_ref=subject_id,
            details={
                "field": field,
                "old_fingerprint": done.old_fingerprint,
                "new_fingerprint": done.new_fingerprint,
                "reason_sha256": fingerprint(why),
                "run_id": outcome.run_id,
            },
        )
        return RectificationAnswer(
            done, outcome.run_id, outcome.to_review, tuple(m.line() for m in mandates)
        )

    return on_subject(runtime, selector, "rectification_requested", act)
