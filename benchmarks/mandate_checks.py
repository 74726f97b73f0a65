"""Benchmark: checking every representative's mandate, as the monthly rescreen does.

Run with ``.venv/bin/python benchmarks/mandate_checks.py [--customers N]``. It writes a
register of N companies (every legal form of the rule table, two to four functions each,
some held by legal persons, some ended), imports N customers with two representatives
each (``kyc customers import``: their mandates are checked on import), then checks every
mandate again as the rescreen does — stored and audited — on SQLite and, when a server
answers (``KYC_BENCH_POSTGRES_DSN``, default the CI server), on PostgreSQL. Results go
to ``benchmarks/results/mandate_checks.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent))

import belgian_names  # noqa: E402
from bench_postgres import postgres_schema  # noqa: E402

from kyc.app import customers as customer_jobs  # noqa: E402
from kyc.app import mandates as mandate_jobs  # noqa: E402
from kyc.app import runtime as app_runtime  # noqa: E402
from kyc.app.runtime import Runtime  # noqa: E402
from kyc.mandates.records import check_representatives  # noqa: E402
from kyc.mandates.rules import rule_table  # noqa: E402
from kyc.settings import Settings  # noqa: E402
from kyc.store.db import transaction  # noqa: E402
from kyc.store.models import (  # noqa: E402
    Company,
    KboDenomination,
    KboEnterprise,
    KboFunction,
    RegisterExtract,
)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "mandate_checks.md"
# How often each function is held, roughly as in the register: directors and managers
# mostly, a few delegates and chairs, auditors and liquidators now and then.
CODES = {"13": 40, "30": 35, "14": 10, "10": 8, "71": 5, "80": 2}


def enterprise_number(index: int) -> str:
    base = 3_000_000 + index
    return f"{base:08d}{97 - base % 97:02d}"


def _register(session: object, count: int, rng: random.Random) -> list[dict[str, object]]:
    """Companies with their functions; returns the customers to declare."""
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    forms = [form for family in rule_table().families for form in sorted(family.legal_forms)]
    session.add(
        RegisterExtract(
            extract_number=1,
            extract_type="full",
            snapshot_date=date(2026, 11, 1),
            extract_timestamp="01-11-2026",
            format_version="1.0.0",
            sha256=uuid.uuid4().hex * 2,
            imported_at=datetime.now(UTC),
            row_counts={},
        )
    )
    customers = []
    for index in range(count):
        number = enterprise_number(index)
        name = belgian_names.company(rng)
        session.add(
            KboEnterprise(
                enterprise_number=number,
                status="AC",
                juridical_situation="000" if rng.random() < 0.97 else "050",
                type_of_enterprise="2",
                juridical_form=rng.choice(forms),
                juridical_form_cac=None,
                start_date=date(2010, 1, 1),
            )
        )
        session.add(
            KboDenomination(
                entity_number=number, language="2", type_of_denomination="001", denomination=name
            )
        )
        holders = []
        for _ in range(rng.randint(2, 4)):
            full, _birth = belgian_names.person(rng)
            first, _, last = full.rpartition(" ")
            ended = date(2022, 6, 30) if rng.random() < 0.1 else None
            held_by = enterprise_number(rng.randrange(count)) if rng.random() < 0.05 else None
            session.add(
                KboFunction(
                    enterprise_number=number,
                    function_code=rng.choices(list(CODES), weights=list(CODES.values()))[0],
                    begin=date(2015, 1, 1),
                    end=ended,
                    first_name=None if held_by else first,
                    last_name=None if held_by else last,
                    holder_enterprise_number=held_by,
                    source="csv",
                )
            )
            holders.append((first, last))
        declared = [holders[0], holders[1] if rng.random() < 0.7 else _stranger(rng)]
        customers.append(
            {
                "customer_ref": f"B-{index}",
                "company": {"enterprise_number": number, "name": name},
                "representatives": [
                    {"first_name": first, "last_name": last, "role": rng.choice(ROLES)}
                    for first, last in declared
                ],
            }
        )
    return customers


ROLES = ("director", "bestuurder", "gérant", "zaakvoerder", "manager", "administrateur")


def _stranger(rng: random.Random) -> tuple[str, str]:
    full, _ = belgian_names.person(rng)
    first, _, last = full.rpartition(" ")
    return first, last


def run(database_url: str, customers_count: int, work: Path) -> dict[str, object]:
    settings = Settings(data_dir=work / "data", database_url=database_url)
    runtime = Runtime.open(settings)
    rng = random.Random(20261125)
    try:
        with transaction(runtime.sessions) as session:
            customers = _register(session, customers_count, rng)
        path = work / "customers.json"
        path.write_text(json.dumps(customers, ensure_ascii=False))
        started = time.perf_counter()
        report = customer_jobs.import_customer_file(runtime, path)
        imported = time.perf_counter() - started
        assert not report.rejected, report.rejected[:3]
        started = time.perf_counter()
        verdicts = _recheck_all(runtime)
        rechecked = time.perf_counter() - started
    finally:
        runtime.close()
    checks = sum(verdicts.values())
    return {
        "import_s": imported,
        "recheck_s": rechecked,
        "checks": checks,
        "verdicts": dict(verdicts),
        "per_second": checks / rechecked,
    }


def _recheck_all(runtime: Runtime) -> Counter[str]:
    verdicts: Counter[str] = Counter()
    with transaction(runtime.sessions) as session:
        checker = mandate_jobs.mandate_checker(
            runtime, session, app_runtime.name_comparer(runtime.settings)
        )
        for company in session.scalars(select(Company)):
            for checked in check_representatives(
                session,
                checker,
                company,
                auditor=runtime.auditor(),
                now=runtime.clock(),
                as_of=app_runtime.today(runtime),
                trigger="rescreen",
            ):
                verdicts[str(checked.result.verdict)] += 1
    return verdicts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=5_000)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as work:
        results["SQLite"] = run(f"sqlite:///{work}/kyc.db", args.customers, Path(work))
    with postgres_schema() as url:
        if url is not None:
            with tempfile.TemporaryDirectory() as work:
                results["PostgreSQL"] = run(url, args.customers, Path(work))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    write(results, args.customers, peak)


def write(results: dict[str, dict[str, object]], customers: int, peak: int) -> None:
    rows = [
        f"| {name} | {r['checks']:,} | {r['import_s']:.1f} s | {r['recheck_s']:.1f} s | "
        f"{r['per_second']:,.0f} |"
        for name, r in results.items()
    ]
    first = next(iter(results.values()))
    verdicts = first["verdicts"]
    assert isinstance(verdicts, dict)
    minutes = 200_000 / float(str(first["per_second"])) / 60
    text = f"""# Mandate checks

Produced by `benchmarks/mandate_checks.py`; do not edit by hand.

Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.
A register of {customers:,} companies of every legal form in the rule table, two to four
functions each (5 % held by legal persons, 10 % ended, 3 % of the companies bankrupt);
{customers:,} customers with two representatives each (70 % of the second ones hold a
function). "Import" is `kyc customers import` of them all, whose mandates are checked on
the way; "re-check" checks every mandate again as the rescreen does, each stored and
audited. Peak memory of the whole run: {peak:,} MiB.

| database | mandates | import (store + check) | re-check | checks per second |
|---|---:|---:|---:|---:|
{chr(10).join(rows)}

Verdicts: {", ".join(f"{count:,} {verdict}" for verdict, count in sorted(verdicts.items()))}.

No goal is set for mandates; the rescreen of 100,000 customers (about 200,000 mandates)
takes, at the SQLite rate above, {minutes:.0f} minutes.
"""
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
