"""The gates a list version passes before it may become active.

Quality (a Great Expectations suite per source over the parsed entries and the dates as
the publisher wrote them) decides between accepted and rejected; age and size against
the active version decide whether an accepted file is activated or held for a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kyc import quality
from kyc.model import ParsedList, RawDate
from kyc.store.models import ListVersion

if TYPE_CHECKING:
    import pandas as pd

_YEAR = re.compile(r"^\d{4}$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*|[+-]\d{2}:\d{2}|Z)?$")
_EXAMPLES = 5


@dataclass(frozen=True)
class Gates:
    id_pattern: str
    min_entries: int
    max_entries: int
    max_shrink: float


@dataclass(frozen=True)
class QualityOutcome:
    passed: bool
    reasons: tuple[str, ...]
    findings: tuple[str, ...]
    summary: dict[str, Any]
    html: str


def date_parses(raw: RawDate) -> bool:
    if raw.readable is not None:
        return raw.readable
    text = raw.text.strip()
    if raw.kind == "year":
        return bool(_YEAR.match(text))
    match = _DATE.match(text)
    if not match:
        return False
    import pandas as pd  # see _entries_frame

    year, month, day = (int(part) for part in match.groups())
    try:
        pd.Timestamp(year=year, month=month, day=day)
    except ValueError:
        return False
    return True


def _entries_frame(parsed: ParsedList) -> pd.DataFrame:
    import pandas as pd  # only when a list is imported: commands that screen start faster

    return pd.DataFrame(
        {
            "entry_id": [e.entry_id or None for e in parsed.entries],
            "kind": [str(e.kind) for e in parsed.entries],
        },
        columns=["entry_id", "kind"],
    )


def _dates_frame(parsed: ParsedList) -> pd.DataFrame:
    import pandas as pd  # see _entries_frame

    return pd.DataFrame(
        {
            "entry_id": [d.entry_id for d in parsed.raw_dates],
            "field": [d.field for d in parsed.raw_dates],
            "text": [d.text for d in parsed.raw_dates],
            "parses": [date_parses(d) for d in parsed.raw_dates],
        },
        columns=["entry_id", "field", "text", "parses"],
    )


def _reasons(report: quality.QualityReport, frame: pd.DataFrame, describe: str) -> list[str]:
    reasons = [found.message for found in report.table_findings]
    for reason, rows in report.reasons_by_reason().items():
        shown = ", ".join(describe.format(**frame.loc[row].to_dict()) for row in rows[:_EXAMPLES])
        more = f" and {len(rows) - _EXAMPLES} more" if len(rows) > _EXAMPLES else ""
        reasons.append(f"{reason} ({len(rows)}: {shown}{more})")
    return reasons


def check_quality(parsed: ParsedList, gates: Gates) -> QualityOutcome:
    entries = _entries_frame(parsed)
    dates = _dates_frame(parsed)
    suite = quality.list_entry_suite(gates.id_pattern, gates.min_entries, gates.max_entries)
    entry_report = quality.validate(entries, f"{parsed.source}_entries", suite)
    date_report = quality.validate(dates, f"{parsed.source}_dates", quality.list_dates_suite)
    reasons = _reasons(entry_report, entries, "{entry_id}") + _reasons(
        date_report, dates, "{entry_id} {field}={text!r}"
    )
    unnamed = [e.entry_id for e in parsed.unnamed_entries]
    findings = [f"entry {entry_id} has no name: kept, but not screened" for entry_id in unnamed]
    findings += [f"left out: {text}" for text in parsed.left_out]
    return QualityOutcome(
        passed=not reasons,
        reasons=tuple(reasons),
        findings=tuple(findings),
        summary={
            "passed": not reasons,
            "reasons": reasons,
            "record_findings": findings,
            "unnamed_entries": unnamed,
            "suites": [entry_report.summary(), date_report.summary()],
            "dates_checked": len(dates),
        },
        html=quality.single_page(f"{parsed.source} list: quality", [entry_report, date_report]),
    )


def hold_reason(parsed: ParsedList, active: ListVersion | None, gates: Gates) -> str | None:
    """Why an accepted file must wait for a person before it replaces the active one."""
    if active is None:
        return None
    newer = active.published_at
    if newer is not None and parsed.published_at is not None and parsed.published_at < newer:
        return (
            f"published {parsed.published_at:%Y-%m-%d %H:%M} UTC, before the active version "
            f"{active.id} ({newer:%Y-%m-%d %H:%M} UTC)"
        )
    floor = active.entry_count * (1 - gates.max_shrink)
    if len(parsed.entries) < floor:
        lost = 1 - len(parsed.entries) / active.entry_count
        return (
            f"{len(parsed.entries)} entries, {lost:.0%} fewer than the active version "
            f"{active.id} ({active.entry_count}); more than the allowed {gates.max_shrink:.0%}"
        )
    return None
