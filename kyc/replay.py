"""Replay of a past screening run (point in time): the inputs it screened, the exact list
versions (or, for a delta run, the entries its change set screened) and the matcher
parameters stored with it, screened again by the matcher installed now — and compared,
subject by subject, with the entries and scores the run found.

A difference is explained when its cause is known: the installed matcher is another
version than the run's, or the subject's inputs were erased under retention (then it is
not replayed). Anything else is reported as unexplained.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.lists import load_lists
from kyc.matching.base import IndexedList, Matcher
from kyc.matching.parallel import screen_all
from kyc.model import EntryKind, PartialDate, ScreeningSubject
from kyc.screening_context import open_delta_context
from kyc.store.models import ListVersion, ScreenedInput, ScreeningRun

# Scores are stored as floats: equal to this many places is the same score.
SCORE_PLACES = 9
MatcherFactory = Callable[[Sequence[IndexedList], Mapping[str, Any] | None], Matcher]


class ReplayRefused(ValueError):
    """The run cannot be replayed; the message says why."""


@dataclass(frozen=True)
class Difference:
    subject_id: str
    source: str
    entry_id: str
    stored_score: float | None  # None: the run did not find the pair
    replayed_score: float | None  # None: the replay does not find it
    reason: str

    def line(self) -> str:
        def shown(score: float | None) -> str:
            return "not found" if score is None else f"{score:.6f}"

        return (
            f"{self.subject_id} ~ {self.source} {self.entry_id}: run {shown(self.stored_score)}, "
            f"replay {shown(self.replayed_score)} ({self.reason})"
        )


@dataclass
class ReplayReport:
    run_id: int
    kind: str
    matcher: str
    threshold: float
    subjects: int = 0
    replayed: int = 0
    erased: int = 0
    pairs: int = 0
    differences: list[Difference] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.differences

    @property
    def unexplained(self) -> list[Difference]:
        return [d for d in self.differences if d.reason == UNEXPLAINED]

    def lines(self) -> list[str]:
        verdict = "identical hits" if self.identical else f"{len(self.differences)} differences"
        lines = [
            f"run {self.run_id} ({self.kind}, {self.matcher}, threshold {self.threshold}): "
            f"{self.replayed} of {self.subjects} subjects replayed, {self.pairs} hits — "
            f"{verdict}"
        ]
        lines += [f"  note: {note}" for note in self.notes]
        lines += [f"  {difference.line()}" for difference in self.differences]
        return lines


UNEXPLAINED = "unexplained: same inputs, lists and matcher version"


def replay_run(session: Session, run_id: int, build: MatcherFactory) -> ReplayReport:
    run = session.get(ScreeningRun, run_id)
    if run is None:
        raise ReplayRefused(f"there is no screening run {run_id}")
    matcher = _matcher(session, run, build)
    report = ReplayReport(run.id, run.kind, f"{run.matcher}/{run.matcher_version}", run.threshold)
    other_version = matcher.version != run.matcher_version
    if other_version:
        report.notes.append(
            f"the installed matcher is version {matcher.version}, the run used "
            f"{run.matcher_version}: differences may come from it"
        )
    if run.matcher_parameters is None:
        report.notes.append("the run predates stored matcher parameters: today's are used")
    inputs = session.scalars(
        select(ScreenedInput).where(ScreenedInput.run_id == run.id).order_by(ScreenedInput.id)
    ).all()
    report.subjects = len(inputs)
    kept = [i for i in inputs if i.attributes]
    report.erased = len(inputs) - len(kept)
    if report.erased:
        report.notes.append(
            f"{report.erased} subjects' inputs were erased under retention or at their "
            "request: they cannot be replayed"
        )
    reason = "the installed matcher is another version" if other_version else UNEXPLAINED
    subjects = [_subject(i) for i in kept]
    for screened, (_, matches) in zip(
        kept, screen_all(matcher, subjects, run.threshold, workers=1), strict=True
    ):
        replayed = {(m.source, m.entry_id): m.score for m in matches}
        report.replayed += 1
        report.pairs += len(replayed)
        report.differences += _compare(screened, replayed, reason)
    return report


def _matcher(session: Session, run: ScreeningRun, build: MatcherFactory) -> Matcher:
    parameters = run.matcher_parameters

    def builder(lists: Sequence[IndexedList]) -> Matcher:
        return build(lists, parameters)

    change_set = (run.scope or {}).get("change_set_id")
    if change_set is not None:
        return open_delta_context(session, int(change_set), builder).matcher
    versions = {}
    for source, ref in run.list_versions.items():
        version = session.get(ListVersion, ref["version_id"])
        if version is None or version.sha256 != ref.get("sha256"):
            raise ReplayRefused(f"run {run.id}: the {source} list version it used is not stored")
        versions[source] = version
    return builder(load_lists(session, versions))


def _subject(screened: ScreenedInput) -> ScreeningSubject:
    a = screened.attributes
    return ScreeningSubject(
        subject_id=screened.subject_id,
        kind=EntryKind(a["kind"]),
        name=a["name"],
        first_name=a.get("first_name"),
        last_name=a.get("last_name"),
        birth_date=PartialDate.parse(a["birth_date"]) if a.get("birth_date") else None,
        nationality=a.get("nationality"),
        country=a.get("country"),
    )


def _compare(
    screened: ScreenedInput, replayed: dict[tuple[str, str], float], reason: str
) -> list[Difference]:
    if screened.matches is None:
        return []  # stored before runs kept their matches: nothing to compare with
    stored = {(source, entry): float(score) for source, entry, score in screened.matches}
    differences = []
    for pair in sorted(set(stored) | set(replayed)):
        before, after = stored.get(pair), replayed.get(pair)
        if before is not None and after is not None:
            if round(before, SCORE_PLACES) == round(after, SCORE_PLACES):
                continue
        source, entry_id = pair
        differences.append(Difference(screened.subject_id, source, entry_id, before, after, reason))
    return differences
