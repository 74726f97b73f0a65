"""Benchmark: the full rescreen of a national provider's customer base.

Run with ``.venv/bin/python benchmarks/rescreen.py [--customers N] [--scale S]``. It
writes a synthetic FULL register extract at national scale (``kbo_extract.write_full``)
and imports it, imports the real UN list and a full-size EU-format list of real listed
names (``list_import.build_eu_files``), then makes N customers of the register's legal
persons — their legal name and seat as the register has them, two representatives
each, drawn from Belgian name pools, whose functions are written into the register
(the second one's in 70 % of the companies, so that some mandates fail) — and runs
``kyc rescreen`` as a user would, in a new process, on SQLite and, when a server answers
(``KYC_BENCH_POSTGRES_DSN``), on PostgreSQL. It then times the
matcher alone on the same subjects, so the rest is a ratio. Results go to
``benchmarks/results/rescreen.md``.

The customers are stored directly (bulk inserts): loading them is not what is measured.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

import belgian_names  # noqa: E402
import kbo_extract  # noqa: E402
import list_import  # noqa: E402
from bench_postgres import postgres_schema  # noqa: E402

from kyc.app import lists as list_jobs  # noqa: E402
from kyc.app import register as register_jobs  # noqa: E402
from kyc.app.contexts import opened  # noqa: E402
from kyc.app.runtime import Runtime  # noqa: E402
from kyc.matching.parallel import screen_all  # noqa: E402
from kyc.settings import Settings  # noqa: E402
from kyc.store.customers import all_company_ids, customer_subjects  # noqa: E402
from kyc.store.db import transaction  # noqa: E402
from kyc.store.models import (  # noqa: E402
    Company,
    KboAddress,
    KboDenomination,
    KboEnterprise,
    KboFunction,
    Person,
    Representation,
    Subject,
)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "rescreen.md"
UN_LIST = ROOT.parent / "shared" / "realdata" / "un" / "UN_consolidated_2026-02-27.xml"
NN_KEY = "benchmark-key-" + "0" * 24
ROLES = {"13": "director", "30": "zaakvoerder", "14": "bestuurder"}
CHUNK = 20_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--scale", type=float, default=1.0, help="register size (1 = national)")
    parser.add_argument("--work", type=Path, default=None, help="keep files here")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kyc-rescreen-"))
    work.mkdir(parents=True, exist_ok=True)
    extract = work / "kbo"
    if not (extract / "meta.csv").exists():
        kbo_extract.write_full(extract, scale=args.scale)
    eu_file, _v2, _stats = list_import.build_eu_files(work)
    results = {"SQLite": run(f"sqlite:///{work / 'kyc.db'}", work / "sqlite", args, eu_file)}
    if not args.no_postgres:
        with postgres_schema() as url:
            if url is not None:
                results["PostgreSQL"] = run(url, work / "postgresql", args, eu_file)
    RESULTS.write_text(report(results, args.customers))
    print(RESULTS.read_text())


def run(database_url: str, data: Path, args: argparse.Namespace, eu_file: Path) -> dict[str, Any]:
    settings = Settings(data_dir=data, database_url=database_url, nn_key=NN_KEY)
    runtime = Runtime.open(settings)
    try:
        started = time.perf_counter()
        register_jobs.import_register(runtime, data.parent / "kbo")
        list_jobs.import_list(runtime, "un", UN_LIST)
        list_jobs.import_list(runtime, "eu", eu_file)
        setup = time.perf_counter() - started
        counts = load_customers(runtime, args.customers, random.Random(20261206))
        print(f"{database_url.split(':')[0]}: set up in {setup:.0f} s: {counts}", flush=True)
        rescreen = _rescreen(settings)
        matcher = _matcher_only(runtime)
    finally:
        runtime.close()
    return {**counts, **rescreen, **matcher}


def load_customers(runtime: Runtime, count: int, rng: random.Random) -> dict[str, int]:
    """``count`` legal persons of the register as customers, two representatives each."""
    now = datetime.now(UTC)
    with transaction(runtime.sessions) as session:
        numbers = list(
            session.scalars(
                select(KboEnterprise.enterprise_number)
                .where(KboEnterprise.type_of_enterprise == "2")
                .order_by(KboEnterprise.enterprise_number)
            )
        )
    chosen = sorted(rng.sample(numbers, min(count, len(numbers))))
    names: set[str] = set()
    people: set[str] = set()
    for start in range(0, len(chosen), CHUNK):
        with transaction(runtime.sessions) as session:
            rows = _customer_rows(session, chosen[start : start + CHUNK], rng, now)
            for model in (Subject, Company, Person, Representation, KboFunction):
                if rows[model]:
                    session.execute(insert(model), rows[model])
        names.update(c["name"] for c in rows[Company])
        people.update(f"{p['first_name']} {p['last_name']}" for p in rows[Person])
    with runtime.readers() as session:
        companies = session.scalar(select(func.count()).select_from(Company)) or 0
        persons = session.scalar(select(func.count()).select_from(Person)) or 0
    return {
        "customers": companies,
        "subjects": companies + persons,
        "company_names": len(names),
        "person_names": len(people),
    }


def _customer_rows(
    session: Any, numbers: list[str], rng: random.Random, now: datetime
) -> dict[type, list[dict[str, Any]]]:
    legal = dict(
        session.execute(
            select(KboDenomination.entity_number, KboDenomination.denomination).where(
                KboDenomination.entity_number.in_(numbers),
                KboDenomination.type_of_denomination == "001",
            )
        ).all()
    )
    seats = {
        a.entity_number: a
        for a in session.scalars(
            select(KboAddress).where(
                KboAddress.entity_number.in_(numbers), KboAddress.type_of_address == "REGO"
            )
        )
    }
    rows: dict[type, list[dict[str, Any]]] = {
        m: [] for m in (Subject, Company, Person, Representation, KboFunction)
    }
    for number in numbers:
        company_id = uuid.uuid4().hex
        rows[Subject].append({"id": company_id, "kind": "organization", "created_at": now})
        seat = seats.get(number)
        rows[Company].append(
            {
                "subject_id": company_id,
                "enterprise_number": number,
                "customer_ref": f"R-{number}",
                "name": legal.get(number) or belgian_names.company(rng),
                "street": seat.street_nl or seat.street_fr if seat else None,
                "house_number": seat.house_number if seat else None,
                "postcode": seat.zipcode if seat else None,
                "municipality": seat.municipality_nl or seat.municipality_fr if seat else None,
                "country": "BE",
                "updated_at": now,
            }
        )
        for second in (False, True):
            _representative(
                rows, company_id, number, rng, now, holds=not second or rng.random() < 0.7
            )
    return rows


def _representative(
    rows: dict[type, list[dict[str, Any]]], company_id: str, number: str,
    rng: random.Random, now: datetime, *, holds: bool,
) -> None:  # fmt: skip
    full, birth = belgian_names.person(rng)
    first, _, last = full.rpartition(" ")
    person_id = uuid.uuid4().hex
    code = rng.choice(list(ROLES))
    rows[Subject].append({"id": person_id, "kind": "person", "created_at": now})
    rows[Person].append(
        {"subject_id": person_id, "first_name": first, "last_name": last,
         "birth_date": birth, "nationality": "BE", "updated_at": now}
    )  # fmt: skip
    rows[Representation].append(
        {"company_subject_id": company_id, "person_subject_id": person_id, "role": ROLES[code]}
    )
    if holds:
        rows[KboFunction].append(
            {"enterprise_number": number, "function_code": code, "begin": date(2015, 1, 1),
             "first_name": first, "last_name": last, "source": "csv"}
        )  # fmt: skip


def _rescreen(settings: Settings) -> dict[str, Any]:
    """``kyc rescreen`` in a new process, as a user runs it: wall time and peak memory."""
    env = {
        **os.environ,
        "KYC_DATABASE_URL": settings.effective_database_url,
        "KYC_DATA_DIR": str(settings.data_dir),
        "KYC_NN_KEY": NN_KEY,
    }
    started = time.perf_counter()
    done = subprocess.run(
        [str(Path(sys.executable).with_name("kyc")), "rescreen"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"kyc rescreen failed:\n{done.stderr[-3000:]}")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"rescreen_s": elapsed, "peak_mib": peak_kib / 1024, "said": done.stdout.strip()}


def _matcher_only(runtime: Runtime) -> dict[str, Any]:
    """The matcher alone on the same subjects (read from the store first, not timed)."""
    with runtime.readers() as session:
        context = opened(runtime, session)
        ids = all_company_ids(session)
        subjects = [s for i in range(0, len(ids), CHUNK)
                    for s in customer_subjects(session, ids[i : i + CHUNK])]  # fmt: skip
    started = time.perf_counter()
    hits = sum(
        len(matches)
        for _, matches in screen_all(
            context.matcher, subjects, runtime.settings.review_threshold, workers=1
        )
    )
    return {"matcher_s": time.perf_counter() - started, "matcher_hits": hits}


def report(results: dict[str, dict[str, Any]], asked: int) -> str:
    lines = [
        "# Full rescreen",
        "",
        "Produced by `benchmarks/rescreen.py`; do not edit by hand.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}. A synthetic national-size register (KBO format, "
        "`kbo_extract.write_full`), the real UN list (2026-02-27) and a full-size EU-format "
        "list of real listed names; customers drawn from the register's legal persons "
        f"({asked:,} asked), two representatives each. `kyc rescreen` as a user runs it "
        "(partitions of KYC_RESCREEN_PARTITION_SIZE, default 2,000 customers): every "
        "company verified against the register, every mandate checked, every subject "
        "screened, each stored and audited.",
        "",
        "| database | customers | subjects | distinct company / person names | rescreen "
        "| customers/s | peak memory | matcher alone | rescreen / matcher |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['customers']:,} | {r['subjects']:,} | {r['company_names']:,} / "
            f"{r['person_names']:,} | {r['rescreen_s'] / 60:.1f} min | "
            f"{r['customers'] / r['rescreen_s']:,.0f} | {r['peak_mib']:,.0f} MiB | "
            f"{r['matcher_s'] / 60:.1f} min | {r['rescreen_s'] / r['matcher_s']:.1f} × |"
        )
    lines += [
        "",
        "Goals (issue 15): 1,000,000 customers (3,000,000 subjects) in under 15 minutes on "
        "PostgreSQL and 20 on SQLite, memory under 2 GB.",
        "",
        "What `kyc rescreen` said:",
        "",
        *(f"    {name}: {r['said']}" for name, r in results.items()),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
