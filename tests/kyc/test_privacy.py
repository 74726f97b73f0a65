"""National numbers: only a keyed hash and the derived birth date are ever stored."""

from __future__ import annotations

import io
import json
import logging

import pytest
from pydantic import SecretStr
from sqlalchemy import MetaData, select

from kyc.app import customers as customer_jobs
from kyc.app import rescreen as rescreen_jobs
from kyc.app.runtime import Runtime
from kyc.audit import export_events
from kyc.identifiers import parse_national_number
from kyc.privacy import NationalNumberKeyMissing, national_number_hash
from kyc.store.models import Person
from tests.conftest import SAMPLES

NATIONAL_NUMBERS = ["70051212352", "75060622251", "90031505152"]


def _everything_stored(runtime: Runtime) -> str:
    metadata = MetaData()
    metadata.reflect(runtime.engine)
    with runtime.engine.connect() as connection:
        return "\n".join(
            repr(row)
            for table in metadata.sorted_tables
            for row in connection.execute(select(table))
        )


def test_no_national_number_is_stored_logged_or_exported(
    loaded: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    customer_jobs.onboard_payload(loaded, json.loads((SAMPLES / "onboarding.json").read_text()))
    rescreen_jobs.rescreen_all(loaded)
    stored = _everything_stored(loaded)
    exported = io.StringIO()
    with loaded.sessions() as session:
        export_events(session, exported)
    for number in NATIONAL_NUMBERS:
        assert number not in stored
        assert number not in exported.getvalue()
        assert number not in caplog.text
    assert "75.06.06-222.51" not in stored


def test_keyed_hash_and_derived_birth_date_are_kept(loaded: Runtime) -> None:
    with loaded.sessions() as session:
        peeters = session.scalars(select(Person).where(Person.last_name == "Peeters")).one()
    expected = national_number_hash(parse_national_number("70051212352"), loaded.settings.nn_key)
    assert peeters.nn_hash == expected and len(expected) == 64
    assert str(peeters.nn_birth_date) == "1970-05-12"


def test_hash_depends_on_the_key() -> None:
    number = parse_national_number("70051212352")
    one = national_number_hash(number, SecretStr("k" * 16))
    other = national_number_hash(number, SecretStr("j" * 16))
    assert one != other


@pytest.mark.parametrize("key", [None, "short"])
def test_without_a_proper_key_nothing_is_stored(runtime: Runtime, key: str | None) -> None:
    runtime.settings.nn_key = SecretStr(key) if key else None
    with pytest.raises(NationalNumberKeyMissing, match="KYC_NN_KEY"):
        customer_jobs.import_customer_file(runtime, SAMPLES / "customers.csv")
    with runtime.sessions() as session:
        assert session.scalars(select(Person)).all() == []
