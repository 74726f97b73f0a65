"""Which extracts of a drop folder the register still needs, in KBO's order.

KBO publishes a FULL extract monthly and UPDATE extracts daily, numbered one after the
other; a scheduled import that finds several new ones in its folder (a weekend, a
missed run) must apply each in turn, not only the newest. From the register's current
extract, the plan follows the UPDATEs that come next without a gap; when a FULL newer
than where that chain ends is there (or the register is empty), it starts from the
newest FULL instead, then follows the UPDATEs after it. What cannot follow yet (a
missing number) waits, named, for a later run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kyc.registry.extract import ExtractFiles, ExtractMeta, RegisterImportError, read_meta


@dataclass(frozen=True)
class DroppedExtract:
    path: Path
    meta: ExtractMeta

    @property
    def number(self) -> int:
        return self.meta.extract_number


@dataclass
class DropPlan:
    to_import: list[DroppedExtract] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def dropped_extracts(directory: Path) -> tuple[list[DroppedExtract], list[str]]:
    """Every extract (zip, or folder with ``meta.csv``) in the folder, with its meta; and a
    line for each one whose meta cannot be read."""
    if not directory.is_dir():
        raise RegisterImportError(f"{directory}: the drop folder does not exist")
    extracts: list[DroppedExtract] = []
    unreadable: list[str] = []
    for path in sorted(directory.iterdir()):
        if not (path.suffix.lower() == ".zip" or (path / "meta.csv").is_file()):
            continue
        try:
            files = ExtractFiles(path)
            try:
                extracts.append(DroppedExtract(path, read_meta(files)))
            finally:
                files.close()
        except RegisterImportError as error:
            unreadable.append(str(error))
    return extracts, unreadable


def plan_drop_imports(directory: Path, current_number: int | None) -> DropPlan:
    """``current_number``: the number of the register's newest extract (None: empty)."""
    extracts, unreadable = dropped_extracts(directory)
    plan = DropPlan(unreadable=unreadable)
    updates = _newest_per_number(e for e in extracts if e.meta.extract_type == "update")
    chain = _following(current_number, updates)
    reached = chain[-1].number if chain else current_number
    newer_fulls = [
        e
        for e in extracts
        if e.meta.extract_type == "full" and (current_number is None or e.number > current_number)
    ]
    if newer_fulls and (reached is None or max(e.number for e in newer_fulls) > reached):
        full = max(newer_fulls, key=lambda e: (e.number, e.meta.snapshot_date))
        chain = [full, *_following(full.number, updates)]
    plan.to_import = chain
    position = chain[-1].number if chain else current_number
    plan.waiting = [
        _waiting_line(update, position)
        for number, update in sorted(updates.items())
        if position is None or number > position
    ]
    return plan


def _newest_per_number(updates: Iterable[DroppedExtract]) -> dict[int, DroppedExtract]:
    chosen: dict[int, DroppedExtract] = {}
    for update in updates:
        known = chosen.get(update.number)
        if known is None or update.meta.snapshot_date > known.meta.snapshot_date:
            chosen[update.number] = update
    return chosen


def _following(position: int | None, updates: dict[int, DroppedExtract]) -> list[DroppedExtract]:
    """The UPDATEs that follow ``position`` one after the other, without a gap."""
    chain: list[DroppedExtract] = []
    while position is not None and position + 1 in updates:
        position += 1
        chain.append(updates[position])
    return chain


def _waiting_line(update: DroppedExtract, position: int | None) -> str:
    if position is None:
        return f"{update.path.name}: UPDATE #{update.number} waits for a FULL extract to apply to"
    return (
        f"{update.path.name}: UPDATE #{update.number} waits for #{position + 1} "
        f"(the register will hold #{position})"
    )
