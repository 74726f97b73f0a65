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
# Rows between progress reports: a report per row would cost a tenth of the run.
_PROGRESS_EVERY = 1000


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
            reader = csv.reader(handle)
            columns = _Columns.of(path, next(reader, []))
            for row in reader:
                if row:  # a blank line is no row (as csv.DictReader reads it)
                    yield columns.subject(path, reader.line_num, row)
    except UnicodeDecodeError as error:
        raise BatchInputError(f"{path}: not UTF-8 text ({error})") from error
    except csv.Error as error:
        raise BatchInputError(f"{path}: malformed CSV ({error})") from error


@dataclass(frozen=True)
class _Columns:
    """Where each input column stands (a row is read by position: millions of rows)."""

    width: int
    positions: dict[str, int]

    @classmethod
    def of(cls, path: Path, header: list[str]) -> _Columns:
        missing = [c for c in REQUIRED_INPUT_COLUMNS if c not in header]
        if missing:
            raise BatchInputError(f"{path}: missing columns: {', '.join(missing)}")
        positions = {c: header.index(c) for c in INPUT_COLUMNS if c in header}
        return cls(len(header), positions)

    def subject(self, path: Path, line: int, row: list[str]) -> ScreeningSubject:
        if len(row) > self.width:
            raise BatchInputError(f"{path} line {line}: more values than columns")
        values = {
            column: row[index].strip() if index < len(row) else ""
            for column, index in self.positions.items()
        }
        return _subject(path, line, values)


def _subject(path: Path, line: int, values: dict[str, str]) -> ScreeningSubject:
    where = f"{path} line {line}"
    subject_id, name = values["id"], values["name"]
    if not subject_id:
        raise BatchInputError(f"{where}: id is empty")
    if not name:
        raise BatchInputError(f"{where} (id {subject_id}): name is empty")
    kind = _KINDS.get(values["kind"].lower())
    if kind is None:
        raise BatchInputError(
            f"{where} (id {subject_id}): kind {values['kind']!r} is not person or organization"
        )
    birth = None
    if birth_text := values.get("birth_date"):
        try:
            birth = PartialDate.parse(birth_text)
        except ValueError as error:
            raise BatchInputError(f"{where} (id {subject_id}): birth_date: {error}") from error
    return ScreeningSubject(
        subject_id=subject_id,
        kind=kind,
        name=name,
        birth_date=birth,
        nationality=values.get("nationality") or None,
        country=values.get("country") or None,
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
    on_rows: Callable[[int], None] = lambda rows: None,
    workers: int | None = None,
) -> BatchSummary:
    """Screen every row, writing the hits; ``on_rows`` hears of progress now and then."""
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=".partial-", suffix=".csv")
    hits = flagged = 0
    try:
        with os.fdopen(handle, "w", newline="", encoding="utf-8") as stream:
            writer = csv.DictWriter(stream, fieldnames=OUTPUT_COLUMNS)
            writer.writeheader()
            screened = screen_all(matcher, read_subjects(checked.path), threshold, workers)
            done = 0
            for done, (_subject, matches) in enumerate(screened, start=1):
                writer.writerows(hit_row(m, threshold, matcher) for m in matches)
                hits += len(matches)
                flagged += bool(matches)
                if done % _PROGRESS_EVERY == 0:
                    on_rows(_PROGRESS_EVERY)
            on_rows(done % _PROGRESS_EVERY)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return BatchSummary(checked.rows, hits, flagged)
