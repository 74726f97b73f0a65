"""Signed checkpoints of the audit chain: what shows a cut tail.

The hash chain shows an event rewritten, removed from the middle or reordered; it cannot
show the newest events removed together with the chain head that names them. So at the
end of every job the head (sequence number and hash) is signed with the provider's
Ed25519 key, stored in ``audit_checkpoints`` and appended to a file outside the
database. A verifier holding the public key then finds every signed head in the chain
— or says which is missing, altered, or signed by another key.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_private_key,
    load_pem_public_key,
)
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kyc.store.models import AuditCheckpoint, AuditHead


class CheckpointKeyInvalid(ValueError):
    """The signing or public key cannot be used; the message says why (never the key)."""


class CheckpointFileInvalid(ValueError):
    """The checkpoint file cannot be read; the message names the file and the line."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    signed_at: str  # ISO 8601, UTC: signed as text, so that it reads back the same
    job: str
    key_id: str
    signature: str

    def message(self) -> bytes:
        """What the signature covers."""
        signed = {k: v for k, v in asdict(self).items() if k != "signature"}
        return json.dumps(signed, sort_keys=True, separators=(",", ":")).encode()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Checkpoint:
        return cls(
            int(data["seq"]),
            str(data["hash"]),
            str(data["signed_at"]),
            str(data["job"]),
            str(data["key_id"]),
            str(data["signature"]),
        )

    @classmethod
    def from_row(cls, row: AuditCheckpoint) -> Checkpoint:
        signed_at = row.signed_at.astimezone(UTC).isoformat(timespec="microseconds")
        return cls(row.seq, row.hash, signed_at, row.job, row.key_id, row.signature)


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()


def load_signing_key(pem: SecretStr) -> Ed25519PrivateKey:
    try:
        key = load_pem_private_key(pem.get_secret_value().encode(), password=None)
    except (ValueError, TypeError) as error:
        raise CheckpointKeyInvalid(
            "KYC_AUDIT_SIGNING_KEY is not a PEM private key without a passphrase "
            "(make one with `openssl genpkey -algorithm ed25519`)"
        ) from error
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointKeyInvalid("KYC_AUDIT_SIGNING_KEY is not an Ed25519 key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    try:
        key = load_pem_public_key(path.read_bytes())
    except OSError as error:
        raise CheckpointKeyInvalid(f"{path}: cannot read the public key ({error})") from error
    except ValueError as error:
        raise CheckpointKeyInvalid(f"{path}: not a PEM public key") from error
    if not isinstance(key, Ed25519PublicKey):
        raise CheckpointKeyInvalid(f"{path}: not an Ed25519 public key")
    return key


def sign_head(
    session: Session, key: Ed25519PrivateKey, job: str, now: datetime
) -> Checkpoint | None:
    """Sign the chain head if events were added since the last checkpoint; store it."""
    head = session.execute(select(AuditHead)).scalar_one()
    signed = session.scalar(select(func.max(AuditCheckpoint.seq))) or 0
    if head.last_seq == 0 or head.last_seq <= signed:
        return None
    unsigned = Checkpoint(
        head.last_seq,
        head.last_hash,
        now.astimezone(UTC).isoformat(timespec="microseconds"),
        job[:128],
        key_id(key.public_key()),
        "",
    )
    checkpoint = Checkpoint(**{**asdict(unsigned), "signature": key.sign(unsigned.message()).hex()})
    session.add(
        AuditCheckpoint(
            seq=checkpoint.seq,
            hash=checkpoint.hash,
            signed_at=datetime.fromisoformat(checkpoint.signed_at),
            job=checkpoint.job,
            key_id=checkpoint.key_id,
            signature=checkpoint.signature,
        )
    )
    session.flush()
    return checkpoint


def append_to_file(path: Path, checkpoint: Checkpoint) -> None:
    """One JSON line, flushed to disk before the job reports success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as stream:
        stream.write(json.dumps(checkpoint.to_dict(), sort_keys=True) + "\n")
        stream.flush()
        os.fsync(stream.fileno())


def read_file(path: Path) -> list[Checkpoint]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as error:
        raise CheckpointFileInvalid(f"{path}: the checkpoint file is missing") from error
    except (OSError, UnicodeDecodeError) as error:
        raise CheckpointFileInvalid(f"{path}: cannot be read ({error})") from error
    return [_parsed(path, number, line) for number, line in enumerate(lines, 1) if line.strip()]


def _parsed(path: Path, number: int, line: str) -> Checkpoint:
    try:
        return Checkpoint.from_dict(json.loads(line))
    except (ValueError, KeyError, TypeError) as error:
        raise CheckpointFileInvalid(f"{path} line {number}: not a checkpoint ({error})") from error


def stored_checkpoints(session: Session) -> list[Checkpoint]:
    rows = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id))
    return [Checkpoint.from_row(row) for row in rows]


def signature_problem(checkpoint: Checkpoint, public: Ed25519PublicKey) -> str | None:
    if checkpoint.key_id != key_id(public):
        return (
            f"checkpoint at event {checkpoint.seq} was signed by key {checkpoint.key_id}, "
            f"not by the public key given ({key_id(public)})"
        )
    try:
        public.verify(bytes.fromhex(checkpoint.signature), checkpoint.message())
    except (InvalidSignature, ValueError):
        return f"checkpoint at event {checkpoint.seq}: its signature does not verify (altered)"
    return None


def chain_problems(
    checkpoints: Iterable[Checkpoint], hashes: Mapping[int, str], last: int
) -> list[str]:
    """Each checkpoint against the chain's hashes by sequence number (``last`` is the
    chain's newest event): a signed head past the end is a cut tail; one whose hash
    differs, a rewritten chain."""
    problems = []
    for checkpoint in checkpoints:
        found = hashes.get(checkpoint.seq)
        if checkpoint.seq > last:
            problems.append(
                f"truncated tail: a checkpoint signed the chain up to event {checkpoint.seq}, "
                f"but it ends at event {last}"
            )
        elif found != checkpoint.hash:
            problems.append(
                f"event {checkpoint.seq} is not the one the checkpoint of {checkpoint.signed_at} "
                "signed (the chain was rewritten)"
            )
    return problems


def missing_between(database: list[Checkpoint], file: list[Checkpoint], path: Path) -> list[str]:
    """A checkpoint in one copy and not in the other: a copy lost or cut."""
    in_db = {(c.seq, c.signature) for c in database}
    in_file = {(c.seq, c.signature) for c in file}
    problems = [
        f"checkpoint at event {seq} is in {path} but missing from the database"
        for seq, _ in sorted(in_file - in_db)
    ]
    problems += [
        f"checkpoint at event {seq} is in the database but missing from {path}"
        for seq, _ in sorted(in_db - in_file)
    ]
    return problems
