"""What the rescreen tests share: a customer base of many companies, two databases that
start alike, and what a rescreen leaves in a database, to compare two runs."""

from __future__ import annotations

import csv
import json
import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kyc.app.runtime import Runtime
from kyc.audit import verify_chain
from kyc.store.models import AuditEvent, CompanyCheck, Hit, MandateCheck, ScreenedInput
from tests.clock import StepClock
from tests.conftest import SAMPLES, _template, drop_schema, new_schema
from tests.snapshots import restore, take

_WORDS = (
    "Atlas Brabo Cera Delta Ebro Fjord Gulden Haven Iris Jade Kempen Lys Maas Nova Orion "
    "Pallas Quartz Rhea Schelde Tauri Ursa Vesta Waver Yser Zenne Baltic Star Northern "
    "Lights Omega Phantom Nour"
).split()
_FORMS = ("BV", "NV", "SRL", "SA", "CommV", "VZW")
_FIRST = "Jan Marie Luc Els Sofie Tom Erik Ines Pieter Anke Viktor Amira Jean-Pierre".split()
_LAST = "Peeters Janssens Maes Jacobs Mertens Willems Claes Goossens Sokolov Mukendi".split()
COLUMNS = (
    "customer_ref,enterprise_number,company_name,street,house_number,box,postcode,"
    "municipality,country,peppol_id,rep_first_name,rep_last_name,rep_birth_date,"
    "rep_nationality,rep_role,rep_national_number"
).split(",")


def enterprise_number(base: int) -> str:
    """A valid enterprise number (0 and eight digits, then 97 minus their remainder)."""
    digits = f"08{base:06d}"
    return f"{digits}{97 - int(digits) % 97:02d}"


def write_customers(path: Path, companies: int, seed: int = 7) -> Path:
    """``companies`` customers with one or two representatives each; names drawn from
    words some of which the sample lists hold (so that some pairs become hits)."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for n in range(companies):
            number = enterprise_number(n + 1)
            name = f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} {rng.choice(_FORMS)}"
            if n % 9 == 4:
                name = "Baltic Star Shipping NV"  # as a listed company is written
            people = [
                (rng.choice(_FIRST), rng.choice(_LAST), f"{rng.randint(1950, 2000)}-"
                 f"{rng.randint(1, 12):02d}-14", "BE")
                for _ in range(rng.choice((1, 2)))
            ]  # fmt: skip
            if n % 7 == 3:
                people[0] = ("Viktor", "Sokolov", "1961-03-14", "RU")  # a listed person
            for first, last, born, nationality in people:
                writer.writerow(
                    [f"G-{n:05d}", number, name, "Kerkstraat", str(n % 90 + 1), "", "9000",
                     "Gent", "BE", "", first, last, born, nationality, "director", ""]
                )  # fmt: skip
    return path


def load_many(runtime: Runtime, companies: int, directory: Path) -> None:
    """The sample lists and register, and a generated customer base."""
    from kyc.app import customers as customer_jobs
    from kyc.app import lists as list_jobs
    from kyc.app import register as register_jobs

    list_jobs.import_list(runtime, "eu", SAMPLES / "lists" / "eu_sample.xml")
    list_jobs.import_list(runtime, "un", SAMPLES / "lists" / "un_sample.xml")
    register_jobs.import_register(runtime, SAMPLES / "kbo")
    directory.mkdir(parents=True, exist_ok=True)
    report = customer_jobs.import_customer_file(
        runtime, write_customers(directory / "customers.csv", companies)
    )
    assert not report.rejected, report.rejected[:3]


@contextmanager
def same_customers(
    runtime: Runtime,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    companies: int,
    partition_size: int,
) -> Iterator[tuple[Runtime, Runtime]]:
    """``runtime`` and a second database, both holding the same generated customer base
    row for row (the same subject ids), rescreened in partitions of ``partition_size``."""
    template = _template(runtime.settings, tmp_path_factory.mktemp("many"))
    snapshot = take(template, lambda rt: load_many(rt, companies, tmp_path / "generated"))
    url = runtime.settings.effective_database_url
    other_url = f"sqlite:///{tmp_path / 'other.db'}" if url.startswith("sqlite") else None
    other_settings = runtime.settings.model_copy(
        update={
            "database_url": other_url or new_schema("kyc_twin"),
            "data_dir": tmp_path / "other-data",
        }
    )
    other = Runtime.open(other_settings, clock=StepClock())
    try:
        for each in (runtime, other):
            restore(snapshot, each)
            each.settings = each.settings.model_copy(
                update={"rescreen_partition_size": partition_size}
            )
        yield runtime, other
    finally:
        other.close()
        template.close()
        if not url.startswith("sqlite"):
            drop_schema(other_settings.effective_database_url)
            drop_schema(template.settings.effective_database_url)


# Events that say how the run went, not what it found: a resumed run has them, an
# uninterrupted one does not.
_HOW_IT_WENT = {"rescreen.resumed"}
# Ids a sequence hands out: PostgreSQL does not give back those of a killed transaction.
_SEQUENCE_IDS = {"hit_id", "hit_ids", "check_id"}


def what_a_rescreen_left(runtime: Runtime) -> dict[str, Any]:
    """The hits, checks, screened inputs and audit events, by what they say (not by
    row id or time), and whether the chain verifies."""
    with runtime.readers() as session:
        hits = sorted(
            (h.subject_id, h.source, h.entry_id, h.state, round(h.score, 9), h.closed_reason)
            for h in session.scalars(select(Hit))
        )
        company_checks = Counter(
            (c.subject_id, c.verdict, json.dumps(c.findings, sort_keys=True))
            for c in session.scalars(select(CompanyCheck))
        )
        mandate_checks = Counter(
            (m.company_subject_id, m.person_subject_id, m.trigger, m.verdict)
            for m in session.scalars(select(MandateCheck))
        )
        inputs = Counter(
            (i.run_id, i.subject_id, i.digest) for i in session.scalars(select(ScreenedInput))
        )
        events = Counter(
            (e.action, e.subject_ref, e.outcome, _stable(e.details))
            for e in session.scalars(select(AuditEvent))
            if e.action not in _HOW_IT_WENT
        )
        chain = verify_chain(session)
    return {
        "hits": hits,
        "company_checks": company_checks,
        "mandate_checks": mandate_checks,
        "screened_inputs": inputs,
        "events": events,
        "chain_ok": chain.ok,
    }


def _stable(details: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in details.items() if k not in _SEQUENCE_IDS}, sort_keys=True)


def assert_same(left: dict[str, Any], right: dict[str, Any]) -> None:
    for key in left:
        if isinstance(left[key], Counter):
            only = (list(left[key] - right[key])[:3], list(right[key] - left[key])[:3])
            assert left[key] == right[key], f"{key} differ, for instance: {only}"
        assert left[key] == right[key], f"{key} differ"


def hold_first_commit(marker: str, seconds: float) -> None:
    """In a Dask worker process: the first partition to reach its commit, on whichever
    worker, writes the worker's process id to ``marker`` and waits there, its
    transaction open, for the test to kill the process (the other partitions go on)."""
    import os
    import time

    from kyc.rescreen import runs

    original = runs.commit_partition

    def commit(*args: Any, **kwargs: Any) -> Any:
        try:
            held = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return original(*args, **kwargs)
        os.write(held, str(os.getpid()).encode())
        os.close(held)
        time.sleep(seconds)
        return original(*args, **kwargs)

    runs.commit_partition = commit
