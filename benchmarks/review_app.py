"""Benchmark: the review app's pages with 100,000 open hits, on SQLite and PostgreSQL.

Run with ``.venv/bin/python benchmarks/review_app.py [--hits N]``. For each database it
imports the full-size EU-format list (``list_import.build_eu_files``, real names) and
the real UN list (the bundled sample when absent), stores customers — synthetic Belgian
companies, each with two representatives (``belgian_names``, as varied as a register's)
— and one open hit for ``N`` of their subjects against a listed entry, as a screening
leaves them (every field filled, the explanation included). Then it asks the app, as a
signed-in analyst, for the queue (first page, filtered, a customer, sorted by age, the
last page) and for hit pages, and times the server's answer (the app in this process:
no network in the figure). Writes ``benchmarks/results/review_app.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import belgian_names  # noqa: E402
import list_import  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REAL_UN = ROOT.parent / "shared" / "realdata" / "un" / "UN_consolidated_2026-02-27.xml"
SAMPLE_UN = ROOT / "data" / "samples" / "lists" / "un_sample.xml"
RESULTS = ROOT / "benchmarks" / "results" / "review_app.md"
POSTGRES = os.environ.get("KYC_BENCH_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test")
PASSWORD = "benchmark password, long enough"
REPEAT = 25
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@contextmanager
def databases(work: Path) -> Iterator[Iterator[tuple[str, str]]]:
    """(label, URL) of a new SQLite file, then of a new PostgreSQL schema if one answers."""
    import psycopg

    schema = f"kyc_bench_{uuid.uuid4().hex[:10]}"
    made = False

    def each() -> Iterator[tuple[str, str]]:
        nonlocal made
        yield "SQLite", f"sqlite:///{work / 'review.db'}"
        try:
            with psycopg.connect(POSTGRES, autocommit=True, connect_timeout=3) as admin:
                admin.execute(f'CREATE SCHEMA "{schema}"')
            made = True
        except psycopg.Error as error:
            print(f"PostgreSQL skipped: {error}", file=sys.stderr)
            return
        base = POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1)
        yield "PostgreSQL", f"{base}?options={quote(f'-csearch_path={schema}')}"

    try:
        yield each()
    finally:
        if made:
            with psycopg.connect(POSTGRES, autocommit=True) as admin:
                admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


def populate(runtime: Any, eu_file: Path, un_file: Path, hits: int) -> dict[str, int]:
    """The lists, customers and ``hits`` open hits; the counts that shape the figures."""
    from sqlalchemy import insert, select

    from kyc.app import lists as list_jobs
    from kyc.app import users as user_jobs
    from kyc.store.models import (
        Company,
        Hit,
        ListEntryRow,
        Person,
        Representation,
        ScreeningRun,
        Subject,
    )  # fmt: skip

    list_jobs.import_list(runtime, "eu", eu_file)
    list_jobs.import_list(runtime, "un", un_file)
    user_jobs.add_user(runtime, "analyst", "analyst", PASSWORD)
    rng = random.Random(20261203)
    companies = hits // 3 + 1
    names = list(belgian_names.subjects(companies * 6, seed=41))
    firms = [n for n, kind, _b in names if kind == "organization"][:companies]
    people = [(n, b) for n, kind, b in names if kind == "person"][: companies * 2]
    subject_rows, company_rows, person_rows, links = [], [], [], []
    for index, firm in enumerate(firms):
        company_id = uuid.UUID(int=rng.getrandbits(128)).hex
        subject_rows.append({"id": company_id, "kind": "organization", "created_at": NOW})
        company_rows.append({
            "subject_id": company_id, "enterprise_number": f"{index + 200000000:010d}",
            "name": firm, "updated_at": NOW, "status": "pending_review",
        })  # fmt: skip
        for name, birth in people[2 * index : 2 * index + 2]:
            person_id = uuid.UUID(int=rng.getrandbits(128)).hex
            first, _space, last = name.partition(" ")
            subject_rows.append({"id": person_id, "kind": "person", "created_at": NOW})
            person_rows.append({
                "subject_id": person_id, "first_name": first, "last_name": last or first,
                "birth_date": birth or None, "updated_at": NOW,
            })  # fmt: skip
            links.append({"company_subject_id": company_id, "person_subject_id": person_id,
                          "role": "director"})  # fmt: skip
    with runtime.sessions() as session, session.begin():
        for model, rows in ((Subject, subject_rows), (Company, company_rows),
                            (Person, person_rows), (Representation, links)):  # fmt: skip
            for start in range(0, len(rows), 5000):
                session.execute(insert(model), rows[start : start + 5000])
        entries = session.execute(
            select(ListEntryRow.version_id, ListEntryRow.entry_id, ListEntryRow.display_name,
                   ListEntryRow.kind)
        ).all()  # fmt: skip
        run = ScreeningRun(
            kind="rescreen", actor="benchmark", started_at=NOW, finished_at=NOW,
            matcher="kyc-align", matcher_version="3.0.3", threshold=0.86, list_versions={},
        )  # fmt: skip
        session.add(run)
        session.flush()
        sources = {v: s for v, s in session.execute(select_sources())}
        rows = []
        subjects = rng.sample([s["id"] for s in subject_rows], min(hits, len(subject_rows)))
        while len(subjects) < hits:
            subjects.append(rng.choice(subject_rows)["id"])
        used: set[tuple[str, str, str]] = set()
        kinds = {row["id"]: row["kind"] for row in subject_rows}
        for subject_id in subjects:
            version, entry_id, name, _kind = rng.choice(entries)
            if (subject_id, sources[version], entry_id) in used:
                continue
            used.add((subject_id, sources[version], entry_id))
            score = round(rng.uniform(0.86, 1.0), 3)
            rows.append({
                "subject_id": subject_id, "subject_kind": kinds[subject_id],
                "source": sources[version], "entry_id": entry_id,
                "state": "open", "score": score, "band": "review", "entry_name": name,
                "matched_name": name, "explanation": _explanation(score, name),
                "matcher": "kyc-align", "matcher_version": "3.0.3",
                "list_version_id": version, "last_run_id": run.id,
                "subject_fingerprint": "0" * 64, "entry_fingerprint": "0" * 64,
                "first_seen_at": NOW - timedelta(days=rng.randrange(0, 120)),
                "last_seen_at": NOW, "version": 1, "escalated": False,
            })  # fmt: skip
        for start in range(0, len(rows), 5000):
            session.execute(insert(Hit), rows[start : start + 5000])
    _as_autovacuum_leaves_it(runtime)
    distinct, words = belgian_names.vocabulary([*firms, *(n for n, _b in people)])
    return {
        "hits": len(rows), "subjects": len(subject_rows), "companies": len(company_rows),
        "entries": len(entries), "distinct_names": distinct, "words": words,
    }  # fmt: skip


def _as_autovacuum_leaves_it(runtime: Any) -> None:
    """PostgreSQL's statistics and visibility map, as autovacuum keeps them on a live
    database (a bulk load leaves them stale for a while); SQLite's ANALYZE likewise."""
    with runtime.engine.connect() as connection:
        if runtime.engine.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM ANALYZE"
            )
        else:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()


def select_sources() -> Any:
    from sqlalchemy import select

    from kyc.store.models import ListVersion

    return select(ListVersion.id, ListVersion.source)


def _explanation(score: float, name: str) -> dict[str, Any]:
    return {"score": score, "features": [
        {"feature": "name", "contribution": score - 0.01, "detail": f"words of {name}"},
        {"feature": "country", "contribution": 0.01, "detail": "shares be"},
    ]}  # fmt: skip


def measure(runtime: Any) -> dict[str, tuple[float, float]]:
    """Median and 95th percentile (ms) of the server's answer to each page."""
    from fastapi.testclient import TestClient

    from kyc.app import review as review_jobs
    from kyc.web.app import create_app

    client = TestClient(create_app(runtime))
    login = client.get("/login").text
    token = re.search(r'name="csrf" value="([^"]+)"', login)
    assert token is not None
    client.post("/login", data={"name": "analyst", "password": PASSWORD, "csrf": token.group(1)})
    from kyc.review.queue import QueueFilter

    first = review_jobs.queue(runtime, QueueFilter())
    customer = first.rows[0]
    hit_ids = [row.id for row in first.rows]
    pages: dict[str, Callable[[int], str]] = {
        "queue, first page": lambda i: "/queue",
        "queue, filtered (source, kind, score ≥ 0.95)":
            lambda i: "/queue?source=eu&kind=person&min_score=0.95",
        "queue, one customer (by name)":
            lambda i: f"/queue?state=all&customer={quote(customer.subject_name[:12])}",
        "queue, oldest first": lambda i: "/queue?sort=oldest",
        "queue, last page": lambda i: f"/queue?page={first.pages}",
        "a hit": lambda i: f"/hits/{hit_ids[i % len(hit_ids)]}",
    }  # fmt: skip
    results = {}
    for label, path in pages.items():
        client.get(path(0))  # warm
        times = []
        for i in range(REPEAT):
            started = time.perf_counter()
            response = client.get(path(i))
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path(i), response.status_code)
        results[label] = (statistics.median(times), statistics.quantiles(times, n=20)[18])
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hits", type=int, default=100_000)
    args = parser.parse_args()
    from kyc.app.runtime import Runtime
    from kyc.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        eu_file, _v2, _stats = list_import.build_eu_files(work)
        un_file = REAL_UN if REAL_UN.exists() else SAMPLE_UN
        table: dict[str, dict[str, tuple[float, float]]] = {}
        counts: dict[str, int] = {}
        with databases(work) as each:
            for label, url in each:
                settings = Settings(data_dir=work / label, database_url=url,
                                    nn_key="benchmark-key-0123456789")  # fmt: skip
                runtime = Runtime.open(settings, clock=lambda: NOW)
                try:
                    started = time.perf_counter()
                    counts = populate(runtime, eu_file, un_file, args.hits)
                    print(f"{label}: {counts} in {time.perf_counter() - started:.0f} s")
                    table[label] = measure(runtime)
                    print(label, table[label])
                finally:
                    runtime.close()
    write(table, counts, un_file)


def write(table: dict[str, dict[str, tuple[float, float]]], counts: dict[str, int],
          un_file: Path) -> None:  # fmt: skip
    labels = list(table)
    pages = list(next(iter(table.values())))
    lines = [
        "# The review app with 100,000 open hits",
        "",
        "Produced by `benchmarks/review_app.py`; do not edit by hand.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}. Data: {counts['hits']:,} open hits on "
        f"{counts['subjects']:,} customers' subjects ({counts['companies']:,} companies with two "
        f"representatives each: {counts['distinct_names']:,} distinct names, "
        f"{counts['words']:,} distinct words, from `belgian_names`), against "
        f"{counts['entries']:,} list entries (a full-size EU-format list and "
        f"`{un_file.name}`). Server time of each page as a signed-in analyst asks for it "
        f"(the app in the benchmark's process, {REPEAT} requests each): median / 95th "
        "percentile, in milliseconds.",
        "",
        "| page | " + " | ".join(labels) + " |",
        "|---|" + "---:|" * len(labels),
    ]
    for page in pages:
        cells = [f"{table[label][page][0]:.0f} / {table[label][page][1]:.0f}" for label in labels]
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    lines += ["", "Goal (issue 13): under 200 ms at the median for every page."]
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
