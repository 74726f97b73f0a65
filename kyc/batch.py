"""The batch screening contract: ``kyc screen batch INPUT.csv --out HITS.csv``.

Input header ``id,name,kind,birth_date,nationality,country``; output header starts with
``subject_id,source,entry_id,entry_name,score,band`` (one row per subject and entry: the
best alias), then columns that may grow. The input is checked whole before screening
starts, then streamed; the output appears only when complete.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kyc.matching.base import Match, Matcher
from kyc.matching.parallel import screen_all
from kyc.model import EntryKind, PartialDate, ScreeningSubject
from kyc.screening import band_for

INPUT_COLUMNS = ("id", "name", "kind", "birth_date", "nationality", "country")
REQUIRED_INPUT_COLUMNS = ("id", "name", "kind")
OUTPUT_COLUMNS = (
    "subject_id",
    "source",
    "entry_id",
    "entry_name",
    "score",
    "band",
    "matched_name",
    "list_version",
    "matcher",
    "explanation",
)
_KINDS = {"person": EntryKind.PERSON, "organization": EntryKind.ORGANIZATION}


class BatchInputError(ValueError):
    pass


@dataclass(frozen=True)
class BatchInput:
    path: Path
    rows: int
    sha256: str


def check_input(path: Path) -> BatchInput:
    """Read the whole input once: header, every row's values; count rows, hash the bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as raw:
        for chunk in iter(lambda: raw.read(1 << 20), b""):
            digest.update(chunk)
    rows = sum(1 for _ in read_subjects(path))
    return BatchInput(path, rows, digest.hexdigest())


def read_subjects(path: Path) -> Iterator[ScreeningSubject]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in REQUIRED_INPUT_COLUMNS if c not in header]
            if missing:
                raise BatchInputError(f"{path}: missing columns: {', '.join(missing)}")
            for row in reader:
                yield _subject(path, reader.line_num, row)
    except UnicodeDecodeError as error:
        raise BatchInputError(f"{path}: not UTF-8 text ({error})") from error
    except csv.Error as error:
        raise BatchInputError(f"{path}: malformed CSV ({error})") from error


def _subject(path: Path, line: int, row: dict[str, str | None]) -> ScreeningSubject:
    def value(column: str) -> str:
        return (row.get(column) or "").strip()

    where = f"{path} line {line}"
    if None in row:
        raise BatchInputError(f"{where}: more values than columns")
    if not value("id"):
        raise BatchInputError(f"{where}: id is empty")
    if not value("name"):
        raise BatchInputError(f"{where} (id {value('id')}): name is empty")
    kind = _KINDS.get(value("kind").lower())
    if kind is None:
        raise BatchInputError(
            f"{where} (id {value('id')}): kind {value('kind')!r} is not person or organization"
        )
    birth = None
    if value("birth_date"):
        try:
            birth = PartialDate.parse(value("birth_date"))
        except ValueError as error:
            raise BatchInputError(f"{where} (id {value('id')}): birth_date: {error}") from error
    return ScreeningSubject(
        subject_id=value("id"),
        kind=kind,
        name=value("name"),
        birth_date=birth,
        nationality=value("nationality") or None,
        country=value("country") or None,
    )


def hit_row(match: Match, threshold: float, matcher: Matcher) -> dict[str, str]:
    return {
        "subject_id": match.subject_id,
        "source": match.source,
        "entry_id": match.entry_id,
        "entry_name": match.entry_name,
        # Scores are rounded to 6 decimals before comparing: repr() writes that exact value.
        "score": repr(match.score),
        "band": band_for(match.score, threshold) or "",
        "matched_name": match.matched_name,
        "list_version": str(match.list_version_id),
        "matcher": f"{matcher.name}/{matcher.version}",
        "explanation": json.dumps(match.explanation(), ensure_ascii=False, sort_keys=True),
    }


@dataclass(frozen=True)
class BatchSummary:
    rows: int
    hits: int
    subjects_with_hits: int


def screen_batch(
    checked: BatchInput,
    out: Path,
    matcher: Matcher,
    threshold: float,
    on_row: Callable[[], None] = lambda: None,
    workers: int | None = None,
) -> BatchSummary:
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=".partial-", suffix=".csv")
    hits = flagged = 0
    try:
        with os.fdopen(handle, "w", newline="", encoding="utf-8") as stream:
            writer = csv.DictWriter(stream, fieldnames=OUTPUT_COLUMNS)
            writer.writeheader()
            screened = screen_all(matcher, read_subjects(checked.path), threshold, workers)
            for _subject, matches in screened:
                writer.writerows(hit_row(m, threshold, matcher) for m in matches)
                hits += len(matches)
                flagged += bool(matches)
                on_row()
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return BatchSummary(checked.rows, hits, flagged)
