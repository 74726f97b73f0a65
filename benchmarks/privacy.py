"""Benchmark: retention, a data subject's access request and signed checkpoints at the
scale of a national provider, on SQLite and PostgreSQL.

Run with ``.venv/bin/python benchmarks/privacy.py [--subjects N]``. For each database it
stores ``N`` subjects as the pipeline leaves them — a third companies, each with two
representatives (``belgian_names``: as many distinct names and words as a register's),
each subject screened once (its screened input kept), each representative's mandate
and each company checked once, and one hit in a hundred decided with a reviewer's
reason — and ends the relationship of one company in ten more than ten years ago. Then:

- **retention**: ``kyc retention run`` erases the expired tenth (companies and their
  representatives, every row that holds their data);
- **access**: ``kyc privacy export`` for people drawn at random, named by national
  number (the keyed hash's index) — the answer as JSON and as a page, audited;
- **checkpoints**: a job appends 100,000 audit events, then signs the chain head; the
  signature's cost is set beside the job's, and the verification of chain and
  checkpoints is timed.

Writes ``benchmarks/results/privacy.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import belgian_names  # noqa: E402
import review_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "privacy.md"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
NN_KEY = "benchmark-key-0123456789"
EXPORTS = 20
JOB_EVENTS = 100_000


def national_number(index: int) -> str:
    born = date(1940, 1, 1) + timedelta(days=index % 25_000)
    base = f"{born:%y%m%d}{index % 997 + 1:03d}"
    return f"{base}{97 - int(base) % 97:02d}"


def enterprise_number(index: int) -> str:
    base = f"0{2_000_000 + index:07d}"
    return f"{base}{97 - int(base) % 97:02d}"


def populate(runtime: Any, count: int) -> dict[str, int]:
    """``count`` subjects; a tenth of the companies ended more than ten years ago."""
    from pydantic import SecretStr
    from sqlalchemy import insert

    from kyc.identifiers import parse_national_number
    from kyc.privacy import national_number_hash
    from kyc.store.models import (
        Company,
        CompanyCheck,
        Decision,
        Hit,
        ListVersion,
        MandateCheck,
        Person,
        Representation,
        ScreenedInput,
        ScreeningRun,
        Subject,
    )  # fmt: skip

    rng = random.Random(20261205)
    key = SecretStr(NN_KEY)
    companies = count // 3
    names = list(belgian_names.subjects(count * 2, seed=43))
    firms = [n for n, kind, _b in names if kind == "organization"][:companies]
    people = [(n, b) for n, kind, b in names if kind == "person"][: companies * 2]
    tables: dict[Any, list[dict[str, Any]]] = {m: [] for m in (
        Subject, Company, Person, Representation, ScreenedInput, MandateCheck, CompanyCheck,
        Hit, Decision)}  # fmt: skip
    with runtime.sessions() as session, session.begin():
        version = ListVersion(
            source="eu", published_at=NOW, sha256="0" * 64, entry_count=1, file_name="eu.xml",
            imported_at=NOW, status="accepted",
        )  # fmt: skip
        session.add(version)
        session.flush()
        run = ScreeningRun(
            kind="rescreen", actor="benchmark", started_at=NOW, finished_at=NOW,
            matcher="kyc-align", matcher_version="3.0.3", threshold=0.86,
            list_versions={"eu": {"version_id": version.id, "sha256": "0" * 64}},
        )  # fmt: skip
        session.add(run)
        session.flush()
        run_id, version_id = run.id, version.id
    hit_id = 0
    for index, firm in enumerate(firms):
        company_id = uuid.UUID(int=rng.getrandbits(128)).hex
        ended = index % 10 == 0
        tables[Subject].append({"id": company_id, "kind": "organization", "created_at": NOW})
        tables[Company].append({
            "subject_id": company_id, "enterprise_number": enterprise_number(index),
            "name": firm, "street": "Kerkstraat", "house_number": str(index % 200 + 1),
            "postcode": "9000", "municipality": "Gent", "country": "BE", "updated_at": NOW,
            "status": "cleared",
            "relationship_ended_on": date(2015, 6, 1) if ended else None,
            "relationship_end_reason": "contract ended" if ended else None,
            "retention_rule": "relationship" if ended else None,
            "retained_until": date(2025, 6, 1) if ended else None,
        })  # fmt: skip
        subjects = [(company_id, {"kind": "organization", "name": firm})]
        tables[CompanyCheck].append({
            "subject_id": company_id, "checked_at": NOW, "verdict": "verified",
            "findings": [{"code": "name.match", "severity": "info",
                          "message": f"{firm} is the registered name"}],
        })  # fmt: skip
        for offset, (name, birth) in enumerate(people[2 * index : 2 * index + 2]):
            person_id = uuid.UUID(int=rng.getrandbits(128)).hex
            first, _space, last = name.partition(" ")
            number = parse_national_number(national_number(2 * index + offset))
            tables[Subject].append({"id": person_id, "kind": "person", "created_at": NOW})
            tables[Person].append({
                "subject_id": person_id, "first_name": first, "last_name": last or first,
                "birth_date": birth or None, "nationality": "BE", "updated_at": NOW,
                "nn_hash": national_number_hash(number, key),
            })  # fmt: skip
            tables[Representation].append(
                {
                    "company_subject_id": company_id,
                    "person_subject_id": person_id,
                    "role": "director",
                }
            )
            tables[MandateCheck].append({
                "company_subject_id": company_id, "person_subject_id": person_id,
                "checked_at": NOW, "as_of": NOW.date(), "trigger": "rescreen", "verdict": "valid",
                "findings": [{"code": "function.holder", "severity": "info",
                              "message": f"{name} holds function 10"}],
                "rules_version": "1",
            })  # fmt: skip
            subjects.append((person_id, {"kind": "person", "name": name, "birth_date": birth}))
        for subject_id, attributes in subjects:
            tables[ScreenedInput].append({"run_id": run_id, "subject_id": subject_id,
                                          "digest": "0" * 64, "attributes": attributes,
                                          "matches": []})  # fmt: skip
            if rng.random() < 0.01:
                hit_id += 1
                tables[Hit].append({
                    "id": hit_id, "subject_id": subject_id, "subject_kind": attributes["kind"],
                    "source": "eu", "entry_id": f"EU.{hit_id}", "state": "decided",
                    "score": 0.9, "band": "review", "entry_name": "Listed Name",
                    "matched_name": "Listed Name", "decision": "false_positive",
                    "explanation": {"score": 0.9, "features": [{"feature": "name",
                        "contribution": 0.9, "detail": f"words of {attributes['name']}"}]},
                    "matcher": "kyc-align", "matcher_version": "3.0.3",
                    "list_version_id": version_id, "last_run_id": run_id,
                    "subject_fingerprint": "0" * 64, "entry_fingerprint": "0" * 64,
                    "first_seen_at": NOW, "last_seen_at": NOW, "version": 1, "escalated": False,
                })  # fmt: skip
                tables[Decision].append({
                    "hit_id": hit_id, "decision": "false_positive", "status": "effective",
                    "reason": f"{attributes['name']}: other birth date", "reviewer": "ana",
                    "decided_at": NOW, "approver": "bob", "approved_at": NOW,
                })  # fmt: skip
    with runtime.sessions() as session, session.begin():
        for model, rows in tables.items():
            for start in range(0, len(rows), 5000):
                session.execute(insert(model), rows[start : start + 5000])
    review_app._as_autovacuum_leaves_it(runtime)
    distinct, words = belgian_names.vocabulary([*firms, *(n for n, _b in people)])
    return {
        "subjects": len(tables[Subject]), "companies": len(tables[Company]),
        "persons": len(tables[Person]), "rows": sum(len(r) for r in tables.values()),
        "hits": len(tables[Hit]), "distinct_names": distinct, "words": words,
    }  # fmt: skip


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def measure(runtime: Any, persons: int, work: Path) -> dict[str, Any]:
    from pydantic import SecretStr

    from kyc.app import retention as retention_jobs
    from kyc.app import rights as rights_jobs
    from kyc.rights.subjects import SubjectSelector

    figures: dict[str, Any] = {}
    seconds, report = timed(lambda: retention_jobs.run(runtime))
    figures["retention"] = (seconds, report.companies + report.persons, report.counts.total)
    rng = random.Random(7)
    exports = []
    for index in rng.sample(range(persons), EXPORTS * 2):
        if (index // 2) % 10 == 0:
            continue  # that person was erased
        selector = SubjectSelector(national_number=SecretStr(national_number(index)))
        exports.append(timed(lambda s=selector: rights_jobs.export(runtime, s, work / "x"))[0])
        if len(exports) == EXPORTS:
            break
    figures["export"] = (statistics.median(exports), max(exports))
    figures["checkpoints"] = checkpoint_costs(runtime)
    return figures


def checkpoint_costs(runtime: Any) -> tuple[float, float, float]:
    """(the job's 100,000 events, signing its head, verifying chain and checkpoints) in s."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )
    from pydantic import SecretStr

    from kyc.app import audit as audit_jobs
    from kyc.purposes import Purpose

    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()
    runtime.signing_key = SecretStr(pem)
    runtime.head_at_start = runtime.audit_head()
    auditor = runtime.auditor("benchmark")

    def job() -> None:
        with runtime.sessions() as session, session.begin():
            for i in range(JOB_EVENTS):
                auditor.record(
                    session, action="screening.subject", purpose=Purpose.SANCTIONS_SCREENING,
                    outcome="no_match", subject_ref=f"{i:032x}", details={"run_id": 1},
                )  # fmt: skip

    job_seconds, _ = timed(job)
    sign_seconds, _ = timed(lambda: runtime.finish("benchmark job"))
    verify_seconds, report = timed(lambda: audit_jobs.verify_audit_trail(runtime))
    assert report.ok and report.checkpoints == 1, report.lines()
    return job_seconds, sign_seconds, verify_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subjects", type=int, default=1_000_000)
    args = parser.parse_args()
    from kyc.app.runtime import Runtime
    from kyc.settings import Settings

    table: dict[str, dict[str, Any]] = {}
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with review_app.databases(work) as each:
            for label, url in each:
                settings = Settings(
                    data_dir=work / label, database_url=url, nn_key=NN_KEY,
                    audit_checkpoint_file=work / label / "checkpoints.jsonl",
                )  # fmt: skip
                runtime = Runtime.open(settings, clock=lambda: NOW)
                try:
                    seconds, counts = timed(lambda r=runtime: populate(r, args.subjects))
                    print(f"{label}: {counts} in {seconds:.0f} s", flush=True)
                    table[label] = measure(runtime, counts["persons"], work)
                    print(label, table[label], flush=True)
                finally:
                    runtime.close()
    write(table, counts)


def write(table: dict[str, dict[str, Any]], counts: dict[str, int]) -> None:
    labels = list(table)
    lines = [
        "# Retention, access requests and signed checkpoints at a national provider's scale",
        "",
        "Produced by `benchmarks/privacy.py`; do not edit by hand.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}. Data: {counts['subjects']:,} subjects "
        f"({counts['companies']:,} companies with two representatives each, "
        f"{counts['distinct_names']:,} distinct names and {counts['words']:,} distinct words "
        f"from `belgian_names`), {counts['rows']:,} rows holding their data (subjects, "
        "companies, persons, representations, one screened input each, a mandate or "
        f"register check each, {counts['hits']:,} decided hits with their reasons). One "
        "company in ten ended its relationship more than ten years ago.",
        "",
        "| | " + " | ".join(labels) + " |",
        "|---|" + "---:|" * len(labels),
    ]

    def row(name: str, cell: Callable[[dict[str, Any]], str]) -> None:
        lines.append(f"| {name} | " + " | ".join(cell(table[label]) for label in labels) + " |")

    row("retention run: subjects erased", lambda t: f"{t['retention'][1]:,}")
    row("retention run: rows deleted or anonymised", lambda t: f"{t['retention'][2]:,}")
    row("retention run: time", lambda t: f"{t['retention'][0]:.1f} s")
    row(f"access export by national number (median / slowest of {EXPORTS})",
        lambda t: f"{t['export'][0] * 1000:.0f} / {t['export'][1] * 1000:.0f} ms")  # fmt: skip
    row(f"a job of {JOB_EVENTS:,} audit events", lambda t: f"{t['checkpoints'][0]:.1f} s")
    row("signing its checkpoint", lambda t: f"{t['checkpoints'][1] * 1000:.1f} ms")
    row("signing, share of the job",
        lambda t: f"{t['checkpoints'][1] / t['checkpoints'][0]:.4%}")  # fmt: skip
    row("verifying chain and checkpoints", lambda t: f"{t['checkpoints'][2]:.1f} s")
    lines += ["", "Goal (issue 14): an access export among 1,000,000 subjects under 1 s."]
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
