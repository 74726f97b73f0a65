"""Screening: subjects × active list versions → hits that remember analysts' decisions.

Nothing here rejects a customer: a score at or above the review threshold opens a hit
for a person to decide (GDPR Art. 22); below it nothing is stored as a hit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kyc.audit import Auditor
from kyc.matching.base import Match
from kyc.matching.parallel import screen_all
from kyc.model import ScreeningSubject
from kyc.privacy import fingerprint
from kyc.progress import Stages
from kyc.purposes import Purpose
from kyc.review.kinds import DecisionStatus
from kyc.screening_context import ScreeningContext
from kyc.store.models import Decision, Hit, ScreenedInput, ScreeningRun

BAND_REVIEW = "review"


class HitState(StrEnum):
    OPEN = "open"
    PROPOSED = "proposed"  # a decision waits for a second person's approval
    DECIDED = "decided"
    CLOSED = "closed"


def band_for(score: float, threshold: float) -> str | None:
    """The score band: ``review`` at or above the threshold, otherwise none (not a hit)."""
    return BAND_REVIEW if score >= threshold else None


def subject_fingerprint(subject: ScreeningSubject) -> str:
    return fingerprint(
        subject.kind, subject.name, subject.first_name, subject.last_name, subject.birth_date
    )


def subject_attributes(subject: ScreeningSubject) -> dict[str, Any]:
    return {
        "kind": str(subject.kind),
        "name": subject.name,
        "first_name": subject.first_name,
        "last_name": subject.last_name,
        "birth_date": str(subject.birth_date) if subject.birth_date else None,
        "nationality": subject.nationality,
        "country": subject.country,
    }


def _digest(attributes: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(attributes, sort_keys=True).encode()).hexdigest()


@dataclass
class ScreeningOutcome:
    run_id: int
    subjects: int = 0
    matches: int = 0
    opened: list[int] = field(default_factory=list)
    reopened: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    still_decided: list[int] = field(default_factory=list)
    hits_by_subject: dict[str, list[int]] = field(default_factory=dict)

    @property
    def to_review(self) -> int:
        return len(self.opened) + len(self.reopened)


@dataclass
class Screener:
    """Screens stored subjects and records what it found, for one run."""

    session: Session
    context: ScreeningContext
    auditor: Auditor
    threshold: float
    now: datetime
    stages: Stages = field(default_factory=lambda: Stages("screening"))
    # The hits of the subjects being screened, read at once (see _hits_of).
    _known: dict[str, list[Hit]] = field(default_factory=dict, init=False)

    def run(self, subjects: Sequence[ScreeningSubject], kind: str) -> ScreeningOutcome:
        record = self.start(kind)
        outcome = self.screen(record, subjects)
        self.finish(record, outcome)
        return outcome

    def start(self, kind: str) -> ScreeningRun:
        """The run's record, with the list versions and matcher it screens with."""
        record = ScreeningRun(
            kind=kind,
            actor=self.auditor.actor,
            started_at=self.now,
            matcher=self.context.matcher.name,
            matcher_version=self.context.matcher.version,
            matcher_parameters=self.context.matcher.parameters,
            threshold=self.threshold,
            list_versions=self.context.versions_ref,
            scope=self.context.delta.describe() if self.context.delta else {},
        )
        self.session.add(record)
        self.session.flush()
        return record

    def screen(self, run: ScreeningRun, subjects: Sequence[ScreeningSubject]) -> ScreeningOutcome:
        """Screen ``subjects`` in ``run`` (the whole run, or one partition of it)."""
        outcome = ScreeningOutcome(run_id=run.id)
        self._known = _hits_of(self.session, [s.subject_id for s in subjects])
        # One process: the session is not shared; the matcher still takes whole chunks.
        screened = screen_all(self.context.matcher, subjects, self.threshold, workers=1)
        self.stages.begin("screening", len(subjects), "subjects")
        for subject, matches in screened:
            self._record_subject(run, subject, matches, outcome)
            self.stages.advance()
        return outcome

    def finish(self, run: ScreeningRun, outcome: ScreeningOutcome) -> None:
        """The run ends: its totals stored and its completion recorded."""
        run.finished_at = self.auditor.clock()
        run.subjects_screened = outcome.subjects
        run.hits_found = outcome.matches
        self._audit_run(run, outcome)

    def _record_subject(
        self,
        run: ScreeningRun,
        subject: ScreeningSubject,
        matches: list[Match],
        outcome: ScreeningOutcome,
    ) -> None:
        attributes = subject_attributes(subject)
        digest = _digest(attributes)
        self.session.add(
            ScreenedInput(
                run_id=run.id,
                subject_id=subject.subject_id,
                digest=digest,
                attributes=attributes,
                matches=[[m.source, m.entry_id, m.score] for m in matches],
            )
        )
        subject_fp = subject_fingerprint(subject)
        kind = str(subject.kind)
        hit_ids = [self._record_match(run, match, subject_fp, kind, outcome) for match in matches]
        self._close_missing(subject.subject_id, {(m.source, m.entry_id) for m in matches}, outcome)
        outcome.subjects += 1
        outcome.matches += len(matches)
        outcome.hits_by_subject[subject.subject_id] = hit_ids
        self._audit(
            "screening.subject",
            "potential_match" if matches else "no_match",
            subject.subject_id,
            {"run_id": run.id, "input_sha256": digest, "hit_ids": hit_ids},
        )

    @property
    def _matcher_ref(self) -> str:
        return f"{self.context.matcher.name}/{self.context.matcher.version}"

    def _audit(self, action: str, outcome: str, subject_ref: str, details: dict[str, Any]) -> None:
        """Every screening event names the list versions and the matcher it used."""
        self.auditor.record(
            self.session,
            action=action,
            purpose=Purpose.SANCTIONS_SCREENING,
            outcome=outcome,
            subject_ref=subject_ref,
            list_versions=self.context.versions_ref,
            matcher_version=self._matcher_ref,
            details=details,
        )

    def _record_match(
        self,
        run: ScreeningRun,
        match: Match,
        subject_fp: str,
        subject_kind: str,
        outcome: ScreeningOutcome,
    ) -> int:
        hit = next(
            (h for h in self._known.get(match.subject_id, [])
             if (h.source, h.entry_id) == (match.source, match.entry_id)),
            None,
        )  # fmt: skip
        entry_fp = self.context.entry_fingerprints[(match.source, match.entry_id)]
        if hit is None:
            hit = Hit(
                subject_id=match.subject_id,
                subject_kind=subject_kind,
                source=match.source,
                entry_id=match.entry_id,
                first_seen_at=self.now,
            )
            self.session.add(hit)
            self._known.setdefault(hit.subject_id, []).append(hit)
            transition = "opened"
            hit.state = HitState.OPEN
        else:
            proposed = hit.state == HitState.PROPOSED
            transition = _next_state(hit, subject_fp, entry_fp)
            if proposed and hit.state != HitState.PROPOSED:
                self._withdraw_proposal(hit)
        self._refresh(hit, match, run, subject_fp, entry_fp)
        self.session.flush()
        self._note(hit, transition, outcome)
        return hit.id

    def _refresh(
        self, hit: Hit, match: Match, run: ScreeningRun, subject_fp: str, entry_fp: str
    ) -> None:
        hit.score = match.score
        hit.band = BAND_REVIEW  # every stored hit is at or above the review threshold
        hit.entry_name = match.entry_name
        hit.matched_name = match.matched_name
        hit.explanation = match.explanation()
        hit.matcher = self.context.matcher.name
        hit.matcher_version = self.context.matcher.version
        hit.list_version_id = match.list_version_id
        hit.last_run_id = run.id
        hit.subject_fingerprint = subject_fp
        hit.entry_fingerprint = entry_fp
        hit.last_seen_at = self.now
        hit.closed_reason = None

    def _note(self, hit: Hit, transition: str, outcome: ScreeningOutcome) -> None:
        if transition == "opened":
            outcome.opened.append(hit.id)
        elif transition.startswith("reopened"):
            outcome.reopened.append(hit.id)
        elif transition == "still_decided":
            outcome.still_decided.append(hit.id)
        if transition in ("updated", "still_decided"):
            return
        self._audit(
            f"hit.{transition.split(':')[0]}",
            hit.state,
            hit.subject_id,
            {
                "hit_id": hit.id,
                "source": hit.source,
                "entry_id": hit.entry_id,
                "score": hit.score,
                "band": hit.band,
                "reason": transition.partition(":")[2] or None,
            },
        )

    def _close_missing(
        self, subject_id: str, found: set[tuple[str, str]], outcome: ScreeningOutcome
    ) -> None:
        current = [
            h for h in self._known.get(subject_id, [])
            if h.state != HitState.CLOSED and h.source in self.context.versions
        ]  # fmt: skip
        for hit in current:
            pair = (hit.source, hit.entry_id)
            if pair in found or not self.context.covers(*pair):
                continue
            if hit.state == HitState.PROPOSED:
                self._withdraw_proposal(hit)
            hit.state = HitState.CLOSED
            hit.closed_reason = self._closing_reason(hit)
            outcome.closed.append(hit.id)
            self._audit(
                "hit.closed",
                HitState.CLOSED,
                hit.subject_id,
                {"hit_id": hit.id, "reason": hit.closed_reason},
            )

    def _withdraw_proposal(self, hit: Hit) -> None:
        """A proposal made on what the pair no longer is can no longer be approved."""
        self.session.execute(
            update(Decision)
            .where(Decision.hit_id == hit.id, Decision.status == DecisionStatus.PROPOSED)
            .values(status=DecisionStatus.WITHDRAWN)
        )

    def _closing_reason(self, hit: Hit) -> str:
        version = self.context.versions[hit.source]
        delta = self.context.delta
        left = (
            hit.entry_id in delta.removed
            if delta is not None
            else (hit.source, hit.entry_id) not in self.context.entry_fingerprints
        )
        if left:
            return f"the entry left the {hit.source} list (version {version.id})"
        return "the pair no longer scores at or above the review threshold"

    def _audit_run(self, run: ScreeningRun, outcome: ScreeningOutcome) -> None:
        self._audit(
            f"screening.{run.kind}",
            "completed",
            f"run:{run.id}",
            {
                "run_id": run.id,
                "subjects": outcome.subjects,
                "threshold": self.threshold,
                "opened": len(outcome.opened),
                "reopened": len(outcome.reopened),
                "closed": len(outcome.closed),
            },
        )


_IN_CHUNK = 5000  # subjects named per IN list (SQLite allows 32,766 parameters)


def _hits_of(session: Session, subject_ids: Sequence[str]) -> dict[str, list[Hit]]:
    """Every hit of these subjects, whatever its state, read in one query a chunk (a
    screening looks at each subject's hits: one query apiece would cost more)."""
    known: dict[str, list[Hit]] = {}
    for start in range(0, len(subject_ids), _IN_CHUNK):
        chunk = list(subject_ids[start : start + _IN_CHUNK])
        for hit in session.scalars(select(Hit).where(Hit.subject_id.in_(chunk))):
            known.setdefault(hit.subject_id, []).append(hit)
    return known


def subjects_with_hits(session: Session, source: str, entry_ids: Iterable[str]) -> set[str]:
    """The subjects holding a hit, in any state, on one of these entries of ``source``."""
    ids = sorted(entry_ids)
    found: set[str] = set()
    for start in range(0, len(ids), _IN_CHUNK):
        found.update(
            session.scalars(
                select(Hit.subject_id)
                .where(Hit.source == source, Hit.entry_id.in_(ids[start : start + _IN_CHUNK]))
                .distinct()
            )
        )
    return found


def _next_state(hit: Hit, subject_fp: str, entry_fp: str) -> str:
    """Where an existing pair goes when it matches again."""
    if hit.decision is None:
        if hit.state == HitState.CLOSED:
            hit.state = HitState.OPEN
            return "reopened:the pair matches again"
        if hit.state == HitState.PROPOSED and (
            hit.decided_subject_fingerprint != subject_fp
            or hit.decided_entry_fingerprint != entry_fp
        ):
            hit.state = HitState.OPEN  # the proposal was made on what the pair no longer is
            return "reopened:names or birth data changed since the proposal"
        return "updated"
    unchanged_subject = hit.decided_subject_fingerprint == subject_fp
    unchanged_entry = hit.decided_entry_fingerprint == entry_fp
    if unchanged_subject and unchanged_entry:
        was_closed = hit.state == HitState.CLOSED
        hit.state = HitState.DECIDED
        if was_closed:
            return "restored:the pair matches again, unchanged since the decision"
        return "still_decided"
    hit.state = HitState.OPEN
    hit.decision = None
    changed = "the subject's" if not unchanged_subject else "the list entry's"
    return f"reopened:{changed} names or birth data changed since the decision"
