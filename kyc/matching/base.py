"""The matcher interface the screening depends on; implementations live beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from kyc.model import ListEntry, ScreeningSubject


@dataclass(frozen=True, slots=True)
class Feature:
    """One reason a score is what it is: a readable detail and its signed contribution."""

    name: str
    contribution: float
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"feature": self.name, "contribution": self.contribution, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Match:
    """The best alias of one list entry for one subject."""

    subject_id: str
    source: str
    entry_id: str
    list_version_id: int
    entry_name: str
    matched_name: str
    score: float
    features: tuple[Feature, ...] = field(default=())

    def explanation(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "matched_name": self.matched_name,
            "features": [f.to_dict() for f in self.features],
        }


@dataclass(frozen=True, slots=True)
class IndexedList:
    """The entries of one active list version."""

    source: str
    version_id: int
    entries: Sequence[ListEntry]


class Matcher(Protocol):
    name: str
    version: str

    @property
    def parameters(self) -> dict[str, Any]:
        """What shapes its scores besides the lists and its code (its weights): stored
        with each run, so that a replay builds the same matcher."""
        ...

    def screen(self, subject: ScreeningSubject, threshold: float) -> list[Match]:
        """Every entry whose best alias scores at or above ``threshold``, best first."""
        ...

    def screen_many(
        self, subjects: Sequence[ScreeningSubject], threshold: float
    ) -> list[list[Match]]:
        """``screen`` for each subject, in order; far cheaper per subject in bulk."""
        ...

    def compare_names(self, query: str, candidate: str, kind: str) -> tuple[float, str]:
        """Score two names of the same kind; with a one-line explanation."""
        ...
