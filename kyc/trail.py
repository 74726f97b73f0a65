"""The whole proof an auditor checks: the hash chain and every signed checkpoint, in the
database (with its checkpoint file) or in an export, offline, without the database.

An export is JSON lines: every event (as :func:`kyc.audit.export_events` writes it),
then every checkpoint (``{"record": "checkpoint", ...}``), then the public key that
verifies them (``{"record": "public_key", "pem": ..., "key_id": ...}``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kyc.audit import GENESIS_HASH, ChainReport, export_events, record_hash, verify_chain
from kyc.checkpoints import (
    Checkpoint,
    CheckpointFileInvalid,
    chain_problems,
    key_id,
    missing_between,
    public_pem,
    read_file,
    signature_problem,
    stored_checkpoints,
)
from kyc.store.models import AuditEvent


class ExportInvalid(ValueError):
    """The export cannot be read; the message names the file and the line."""


@dataclass
class TrailReport:
    chain: ChainReport
    checkpoints: int = 0
    signatures_checked: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.problems

    def lines(self) -> list[str]:
        chain = self.chain
        if chain.ok:
            lines = [f"audit chain verified: {chain.events} events, no tampering found"]
        else:
            lines = [
                f"audit chain BROKEN at event {chain.first_broken_seq}: {chain.reason} "
                f"({chain.events} events verified before it)"
            ]
        if self.checkpoints and not self.problems:
            how = "signatures verified" if self.signatures_checked else "signatures NOT checked"
            lines.append(f"{self.checkpoints} checkpoints found in the chain ({how})")
        elif not self.checkpoints and not self.problems:
            lines.append("no signed checkpoint: a cut tail of the chain would not show")
        lines += [f"CHECKPOINT PROBLEM: {problem}" for problem in self.problems]
        return lines


def verify_trail(
    session: Session, *, public: Ed25519PublicKey | None, checkpoint_file: Path
) -> TrailReport:
    """The chain, and the checkpoints of the database and of the file against it."""
    report = TrailReport(verify_chain(session))
    stored = stored_checkpoints(session)
    try:
        filed = read_file(checkpoint_file) if stored or checkpoint_file.exists() else []
    except CheckpointFileInvalid as error:
        report.problems.append(str(error))
        filed = []
    else:
        report.problems += missing_between(stored, filed, checkpoint_file)
    checkpoints = _distinct([*stored, *filed])
    report.checkpoints = len(checkpoints)
    report.problems += _signed(checkpoints, public, report)
    seqs = sorted({c.seq for c in checkpoints})
    rows = session.execute(select(AuditEvent.seq, AuditEvent.hash).where(AuditEvent.seq.in_(seqs)))
    hashes = {seq: hash_ for seq, hash_ in rows}
    last = session.scalar(select(func.max(AuditEvent.seq))) or 0
    report.problems += chain_problems(checkpoints, hashes, last)
    return report


def _distinct(checkpoints: Iterable[Checkpoint]) -> list[Checkpoint]:
    return sorted({(c.seq, c.signature): c for c in checkpoints}.values(), key=lambda c: c.seq)


def _signed(
    checkpoints: list[Checkpoint], public: Ed25519PublicKey | None, report: TrailReport
) -> list[str]:
    if public is None:
        return []
    report.signatures_checked = True
    return [p for c in checkpoints if (p := signature_problem(c, public))]


def export_trail(
    session: Session, out: IO[str], public: Ed25519PublicKey | None
) -> tuple[int, int]:
    """Events, checkpoints and the public key as JSON lines; (events, checkpoints)."""
    events = export_events(session, out)
    checkpoints = stored_checkpoints(session)
    for checkpoint in checkpoints:
        out.write(json.dumps({"record": "checkpoint", **checkpoint.to_dict()}) + "\n")
    if public is not None:
        record = {"record": "public_key", "pem": public_pem(public), "key_id": key_id(public)}
        out.write(json.dumps(record) + "\n")
    return events, len(checkpoints)


def verify_export(
    path: Path, public: Ed25519PublicKey, checkpoint_file: Path | None = None
) -> TrailReport:
    """An export checked offline: the chain recomputed from its events, every checkpoint
    verified with ``public`` (not the key the export carries: anyone could put one in)
    and found in the chain — those of the export, and those of a checkpoint file the
    auditor holds (an export cut together with its last checkpoints looks older; the
    held file shows the cut)."""
    events, checkpoints = _read_export(path)
    if checkpoint_file is not None:
        try:
            checkpoints = _distinct([*checkpoints, *read_file(checkpoint_file)])
        except CheckpointFileInvalid as error:
            raise ExportInvalid(str(error)) from error
    report = TrailReport(_chain_of(events))
    report.checkpoints = len(checkpoints)
    report.problems += _signed(checkpoints, public, report)
    hashes = {int(e["seq"]): str(e["hash"]) for e in events}
    report.problems += chain_problems(checkpoints, hashes, max(hashes, default=0))
    return report


def _read_export(path: Path) -> tuple[list[dict[str, Any]], list[Checkpoint]]:
    events: list[dict[str, Any]] = []
    checkpoints: list[Checkpoint] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ExportInvalid(f"{path}: cannot be read ({error})") from error
    for number, line in enumerate(lines, 1):
        try:
            record = json.loads(line)
            kind = record.get("record", "event")
            if kind == "event":
                record["seq"], record["hash"]  # noqa: B018 - an event has both
                events.append(record)
            elif kind == "checkpoint":
                checkpoints.append(Checkpoint.from_dict(record))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ExportInvalid(f"{path} line {number}: not an export record ({error})") from error
    return events, checkpoints


def _chain_of(events: list[dict[str, Any]]) -> ChainReport:
    previous, expected = GENESIS_HASH, 1
    for count, event in enumerate(events):
        problem = None
        if event["seq"] != expected:
            problem = f"event {expected} is missing"
        elif event.get("prev_hash") != previous:
            problem = "its previous-hash does not match the event before it"
        elif record_hash(event) != event["hash"]:
            problem = "its content does not match its hash (the event was altered)"
        if problem:
            return ChainReport(False, count, expected, problem)
        previous, expected = event["hash"], expected + 1
    return ChainReport(True, len(events))
