"""Signed checkpoints: a cut tail, a rewritten chain, a lost or altered checkpoint and a
wrong key each show, in the database and in an offline export."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from pydantic import SecretStr
from sqlalchemy import select, text

from kyc.app import audit as audit_jobs
from kyc.app.runtime import Runtime
from kyc.audit import event_hash
from kyc.checkpoints import CheckpointKeyInvalid, load_signing_key
from kyc.purposes import Purpose
from kyc.store.models import AuditEvent, AuditHead
from kyc.trail import verify_export


def _pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()


def _public_file(key: Ed25519PrivateKey, path: Path) -> Path:
    path.write_bytes(key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo))
    return path


@pytest.fixture
def signed(runtime: Runtime) -> Runtime:
    runtime.signing_key = SecretStr(_pem(Ed25519PrivateKey.generate()))
    return runtime


def _job(runtime: Runtime, events: int, name: str = "test job") -> None:
    auditor = runtime.auditor("tester")
    with runtime.sessions() as session, session.begin():
        for i in range(events):
            auditor.record(session, action="test.event", purpose=Purpose.AUDIT, outcome=str(i))
    assert runtime.finish(name) is None


def _tamper(runtime: Runtime, *statements: str) -> None:
    """What someone with direct database access would do: drop the guards first."""
    dialect = runtime.engine.dialect.name
    with runtime.engine.begin() as connection:
        for table in ("audit_events", "audit_checkpoints"):
            for op in ("update", "delete"):
                on = f" ON {table}" if dialect == "postgresql" else ""
                connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{op}{on}"))
        for statement in statements:
            connection.execute(text(statement))


def _problems(runtime: Runtime) -> list[str]:
    report = audit_jobs.verify_audit_trail(runtime)
    assert report.ok == (not report.problems and report.chain.ok)
    return report.problems if report.chain.ok else [*report.problems, report.chain.reason or ""]


def test_every_job_that_writes_signs_the_head_in_the_database_and_the_file(
    signed: Runtime,
) -> None:
    _job(signed, 3)
    _job(signed, 0)  # wrote nothing: nothing to sign
    _job(signed, 2)
    report = audit_jobs.verify_audit_trail(signed)
    assert report.ok and report.checkpoints == 2 and report.signatures_checked
    lines = signed.settings.checkpoint_file.read_text().splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [3, 5]
    assert "2 checkpoints found in the chain (signatures verified)" in report.lines()[1]


def test_without_a_key_the_job_says_checkpoints_are_off(runtime: Runtime) -> None:
    auditor = runtime.auditor("tester")
    with runtime.sessions() as session, session.begin():
        auditor.record(session, action="test.event", purpose=Purpose.AUDIT, outcome="ok")
    assert "checkpoints are off" in (runtime.finish("job") or "")
    assert (
        "a cut tail of the chain would not show"
        in audit_jobs.verify_audit_trail(runtime).lines()[1]
    )


def test_a_cut_tail_with_its_head_rewritten_shows(signed: Runtime) -> None:
    _job(signed, 4)
    _job(signed, 2)
    with signed.readers() as session:
        fourth = session.scalars(select(AuditEvent).where(AuditEvent.seq == 4)).one()
    _tamper(
        signed,
        "DELETE FROM audit_events WHERE seq > 4",
        f"UPDATE audit_head SET last_seq = 4, last_hash = '{fourth.hash}'",
    )
    [problem] = _problems(signed)
    assert "truncated tail" in problem and "up to event 6" in problem


def test_a_chain_rewritten_from_an_event_on_shows(signed: Runtime) -> None:
    _job(signed, 4)
    _tamper(signed)
    with signed.sessions() as session, session.begin():
        event = session.scalars(select(AuditEvent).where(AuditEvent.seq == 4)).one()
        event.outcome = "forged"
        event.hash = event_hash(event)  # the forger recomputes the hashes…
        session.execute(select(AuditHead)).scalar_one().last_hash = event.hash
    assert audit_jobs.verify_audit_chain(signed).ok  # …so the chain alone holds
    [problem] = _problems(signed)
    assert "event 4 is not the one the checkpoint" in problem


def test_a_reordered_pair_shows(signed: Runtime) -> None:
    _job(signed, 4)
    _tamper(
        signed,
        "UPDATE audit_events SET seq = 100 WHERE seq = 2",
        "UPDATE audit_events SET seq = 2 WHERE seq = 3",
        "UPDATE audit_events SET seq = 3 WHERE seq = 100",
    )
    assert "previous-hash does not match" in _problems(signed)[-1]


def test_a_checkpoint_lost_from_either_copy_or_altered_shows(signed: Runtime) -> None:
    _job(signed, 2)
    _job(signed, 2)
    path = signed.settings.checkpoint_file
    lines = path.read_text().splitlines()
    path.write_text(lines[0] + "\n")
    assert _problems(signed) == [
        f"checkpoint at event 4 is in the database but missing from {path}"
    ]
    altered = json.loads(lines[1]) | {"job": "another job"}
    path.write_text(lines[0] + "\n" + json.dumps(altered) + "\n")
    assert "event 4: its signature does not verify (altered)" in " ".join(_problems(signed))
    path.write_text("\n".join(lines) + "\n")
    _tamper(signed, "DELETE FROM audit_checkpoints WHERE seq = 4")
    assert _problems(signed) == [
        f"checkpoint at event 4 is in {path} but missing from the database"
    ]
    path.unlink()
    assert _problems(signed) == [f"{path}: the checkpoint file is missing"]


def test_a_wrong_public_key_fails(signed: Runtime, tmp_path: Path) -> None:
    _job(signed, 2)
    other = _public_file(Ed25519PrivateKey.generate(), tmp_path / "other.pem")
    report = audit_jobs.verify_audit_trail(signed, other)
    assert not report.ok and "not by the public key given" in report.problems[0]


def test_an_export_verifies_offline_and_shows_a_cut_tail(signed: Runtime, tmp_path: Path) -> None:
    _job(signed, 3)
    _job(signed, 2)
    buffer = io.StringIO()
    assert audit_jobs.export_trail(signed, buffer) == (5, 2)
    export = tmp_path / "trail.jsonl"
    export.write_text(buffer.getvalue())
    assert signed.signing_key is not None
    key = load_signing_key(signed.signing_key)
    public = key.public_key()
    assert verify_export(export, public).ok
    lines = buffer.getvalue().splitlines()
    assert json.loads(lines[-1])["record"] == "public_key"
    cut = tmp_path / "cut.jsonl"
    events_cut = [line for line in lines if not _is_event(line, 5)]
    cut.write_text("\n".join(events_cut) + "\n")
    report = verify_export(cut, public)
    assert not report.ok and "truncated tail" in report.problems[0]
    # Cut with its last checkpoint, the export alone looks older: the checkpoint file the
    # auditor holds (or was sent) shows it.
    both_cut = [line for line in events_cut if json.loads(line).get("seq") != 5]
    cut.write_text("\n".join(both_cut) + "\n")
    assert verify_export(cut, public).ok
    held = verify_export(cut, public, signed.settings.checkpoint_file)
    assert not held.ok and "truncated tail" in " ".join(held.problems)
    wrong = verify_export(export, Ed25519PrivateKey.generate().public_key())
    assert not wrong.ok and len(wrong.problems) == 2


def _is_event(line: str, seq: int) -> bool:
    record = json.loads(line)
    return "record" not in record and record["seq"] == seq


def test_a_key_that_is_no_ed25519_pem_is_refused() -> None:
    with pytest.raises(CheckpointKeyInvalid, match="not a PEM private key"):
        load_signing_key(SecretStr("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----"))
