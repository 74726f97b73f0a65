"""What besides the name moves a score: birth date, country, gender."""

from __future__ import annotations

from collections.abc import Sequence

from kyc.matching.base import Feature
from kyc.matching.weights import Weights
from kyc.model import PartialDate


def birth_date_feature(
    subject: PartialDate | None, listed: Sequence[PartialDate], weights: Weights
) -> Feature | None:
    if subject is None or not listed:
        return None
    shown = ", ".join(str(d) for d in listed)
    if any(_same_day(subject, d) for d in listed):
        return Feature("birth_date", weights.birth_exact, f"{subject} is a listed birth date")
    if any(_swapped(subject, d) for d in listed):
        return Feature(
            "birth_date",
            weights.birth_swapped,
            f"{subject} matches {shown} with day and month swapped",
        )
    if any(subject.year in d.years() for d in listed):
        return Feature("birth_date", weights.birth_year, f"born in a listed year ({shown})")
    if any(abs(subject.year - year) <= 1 for d in listed for year in d.years()):
        return Feature("birth_date", 0.0, f"{subject} is a year off {shown}")
    return Feature("birth_date", -weights.birth_conflict, f"{subject} conflicts with {shown}")


def _same_day(a: PartialDate, b: PartialDate) -> bool:
    return a.day is not None and (a.year, a.month, a.day) == (b.year, b.month, b.day)


def _swapped(a: PartialDate, b: PartialDate) -> bool:
    return (
        a.day is not None
        and b.day is not None
        and (a.year, a.month, a.day)
        == (
            b.year,
            b.day,
            b.month,
        )
    )


def country_feature(
    subject: Sequence[str], listed: Sequence[str], weights: Weights
) -> Feature | None:
    """Nationality or country, as ISO codes (callers normalise names to codes)."""
    mine, theirs = set(subject) - {""}, set(listed) - {""}
    if not mine or not theirs:
        return None
    if mine & theirs:
        return Feature(
            "country", weights.country_match, f"shares {', '.join(sorted(mine & theirs))}"
        )
    return Feature(
        "country",
        -weights.country_conflict,
        f"{', '.join(sorted(mine))} not among {', '.join(sorted(theirs))}",
    )


def gender_feature(subject: str | None, listed: str | None, weights: Weights) -> Feature | None:
    if not subject or not listed:
        return None
    a, b = subject[0].lower(), listed[0].lower()
    if a in "mf" and b in "mf" and a != b:
        return Feature("gender", -weights.gender_conflict, f"{subject} / listed {listed}")
    return None
