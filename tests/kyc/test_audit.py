from __future__ import annotations

import io
import json
import threading

import pytest
from sqlalchemy import text

from kyc.app.runtime import Runtime
from kyc.audit import GENESIS_HASH, PersonalDataInAuditEvent, export_events, verify_chain
from kyc.purposes import Purpose


def _append(runtime: Runtime, count: int, actor: str = "tester") -> None:
    auditor = runtime.auditor(actor)
    with runtime.sessions() as session, session.begin():
        for i in range(count):
            auditor.record(
                session,
                action="test.event",
                purpose=Purpose.AUDIT,
                outcome="ok",
                subject_ref=f"subject-{i}",
                details={"i": i, "note": "ünïcode ✓"},
            )


def test_chain_links_every_event_to_the_previous_one(runtime: Runtime) -> None:
    _append(runtime, 5)
    with runtime.sessions() as session:
        report = verify_chain(session)
        assert report.ok and report.events == 5
        buffer = io.StringIO()
        assert export_events(session, buffer) == 5
    lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert lines[0]["prev_hash"] == GENESIS_HASH
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(lines, lines[1:], strict=False))
    assert lines[0]["legal_basis"].startswith("GDPR Art. 6(1)(c)")
    assert lines[0]["purpose"] == "audit"


def _tamper(runtime: Runtime, statement: str) -> None:
    """What someone with direct database access would have to do: drop the guard first."""
    dialect = runtime.engine.dialect.name
    with runtime.engine.begin() as connection:
        for op in ("update", "delete"):
            if dialect == "postgresql":
                connection.execute(text(f"DROP TRIGGER audit_events_no_{op} ON audit_events"))
            else:
                connection.execute(text(f"DROP TRIGGER audit_events_no_{op}"))
        connection.execute(text(statement))


def test_altered_event_is_reported(runtime: Runtime) -> None:
    _append(runtime, 4)
    _tamper(runtime, "UPDATE audit_events SET outcome = 'forged' WHERE seq = 3")
    with runtime.sessions() as session:
        report = verify_chain(session)
    assert not report.ok
    assert report.first_broken_seq == 3
    assert "altered" in (report.reason or "")


def test_deleted_event_is_reported(runtime: Runtime) -> None:
    _append(runtime, 4)
    _tamper(runtime, "DELETE FROM audit_events WHERE seq = 2")
    with runtime.sessions() as session:
        report = verify_chain(session)
    assert (report.ok, report.first_broken_seq) == (False, 3)


def test_deleted_tail_is_reported(runtime: Runtime) -> None:
    _append(runtime, 4)
    _tamper(runtime, "DELETE FROM audit_events WHERE seq = 4")
    with runtime.sessions() as session:
        report = verify_chain(session)
    assert not report.ok and "missing" in (report.reason or "")


def test_concurrent_writers_extend_one_chain(runtime: Runtime) -> None:
    threads = [threading.Thread(target=_append, args=(runtime, 10, f"w{i}")) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with runtime.sessions() as session:
        report = verify_chain(session)
    assert report.ok and report.events == 40


@pytest.mark.parametrize("value", ["19082416188", "19.08.24-161.88", "nn 23292805780 here"])
def test_events_refuse_national_numbers(runtime: Runtime, value: str) -> None:
    with runtime.sessions() as session, session.begin():
        with pytest.raises(PersonalDataInAuditEvent):
            runtime.auditor().record(
                session, action="x", purpose=Purpose.AUDIT, outcome="ok", details={"v": [value]}
            )


def test_other_eleven_digit_numbers_are_allowed(runtime: Runtime) -> None:
    with runtime.sessions() as session, session.begin():
        event = runtime.auditor().record(
            session, action="x", purpose=Purpose.AUDIT, outcome="ok", details={"n": "12345678901"}
        )
        assert event.seq == 1


def test_a_random_id_whose_digits_happen_to_pass_the_check_is_allowed(runtime: Runtime) -> None:
    # A subject id seen in a test run: "78207149031" between letters passes the check.
    with runtime.sessions() as session, session.begin():
        event = runtime.auditor().record(
            session,
            action="x",
            purpose=Purpose.AUDIT,
            outcome="ok",
            details={"subject": "b891b3c2bde147baa78207149031c6e8"},
        )
        assert event.seq == 1
