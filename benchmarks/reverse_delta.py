"""Benchmark: a list activation screened in reverse against a national customer base.

Run with ``.venv/bin/python benchmarks/reverse_delta.py [--customers N] [--changed C]``.
It stores N customers (companies named as Belgian companies are, two representatives
each drawn from Belgian name pools: 3·N subjects; plus a few customers named after
listed entries, misspelt, so that the delta has something to find), indexes their names
(`kyc.store.name_search.index_queued`: done once, then only for changed customers),
activates the real UN list without C of its entries, then the whole real list: the C
entries come back, and the delta screening (``delta_rescreen``, in reverse: only the
customers those entries' names could reach are screened) is what is timed. On SQLite
and, when a server answers (``KYC_BENCH_POSTGRES_DSN``), on PostgreSQL. Results go to
``benchmarks/results/reverse_delta.md``.
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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from defusedxml import ElementTree
from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

import belgian_names  # noqa: E402
from bench_postgres import postgres_schema  # noqa: E402

from kyc.app import lists as list_jobs  # noqa: E402
from kyc.app import screening as screening_jobs  # noqa: E402
from kyc.app.runtime import Runtime  # noqa: E402
from kyc.settings import Settings  # noqa: E402
from kyc.store.db import transaction  # noqa: E402
from kyc.store.models import (  # noqa: E402
    Company,
    NameKey,
    NamesToIndex,
    Person,
    Representation,
    ScreeningRun,
    Subject,
    SubjectNameKey,
)
from kyc.store.name_search import index_queued  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "reverse_delta.md"
RAW = RESULTS.with_suffix(".json")
UN_LIST = ROOT.parent / "shared" / "realdata" / "un" / "UN_consolidated_2026-02-27.xml"
CHUNK = 20_000
PLANTED = 50  # customers named after some of the entries that come back


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--changed", type=int, default=100)
    parser.add_argument("--work", type=Path, default=None, help="keep files here")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kyc-reverse-"))
    work.mkdir(parents=True, exist_ok=True)
    without, returning = _list_without(work, args.changed, random.Random(20261206))
    results: dict[str, dict[str, Any]] = {}
    if not args.no_sqlite:
        url = f"sqlite:///{work / 'kyc.db'}"
        results["SQLite"] = run(url, work / "sqlite", args, without, returning)
    if not args.no_postgres:
        with postgres_schema() as url:
            if url is not None:
                results["PostgreSQL"] = run(url, work / "postgresql", args, without, returning)
    # A run on one database keeps the other's last figures (a national-size run of both
    # takes longer than one sitting).
    if RAW.exists():
        kept = json.loads(RAW.read_text())
        results = {**{db: kept[db] for db in kept if db not in results}, **results}
    RAW.write_text(json.dumps(results, indent=2) + "\n")
    RESULTS.write_text(report(results, args))
    print(RESULTS.read_text())


def _list_without(work: Path, count: int, rng: random.Random) -> tuple[Path, list[str]]:
    """The real UN list less ``count`` of its entries (drawn at random), and their names."""
    tree = ElementTree.parse(UN_LIST)
    root = tree.getroot()
    entries = [
        (group, element)
        for group in root
        for element in group
        if element.tag in ("INDIVIDUAL", "ENTITY")
    ]
    names = []
    for group, element in rng.sample(entries, count):
        group.remove(element)
        parts = [element.findtext(tag) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME")]
        names.append(" ".join(p.strip() for p in parts if p and p.strip()))
    path = work / "un_without.xml"
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return path, [n for n in names if n]


def run(
    database_url: str, data: Path, args: argparse.Namespace, without: Path, returning: list[str]
) -> dict[str, Any]:
    ranges = {"un": (500, 5_000)}
    settings = Settings(data_dir=data, database_url=database_url, list_entry_ranges=ranges)
    runtime = Runtime.open(settings)
    label = database_url.split(":")[0]
    try:
        counts = load_customers(runtime, args.customers, returning, random.Random(20261206))
        print(f"{label}: customers stored: {counts}", flush=True)
        started = time.perf_counter()
        with transaction(runtime.sessions) as session:
            indexed = index_queued(session)
        index_s = time.perf_counter() - started
        keys = _key_counts(runtime)
        print(f"{label}: {indexed:,} subjects indexed in {index_s:.0f} s: {keys}", flush=True)
        list_jobs.import_list(runtime, "un", without)
        activation = list_jobs.import_list(runtime, "un", UN_LIST)
        assert activation.change_set is not None
        rss_before = _rss_mib()
        started = time.perf_counter()
        outcome = screening_jobs.delta_rescreen(runtime, activation.change_set.id)
        delta_s = time.perf_counter() - started
        with runtime.readers() as session:
            scope = session.get_one(ScreeningRun, outcome.run_id).scope
    finally:
        runtime.close()
    print(f"{label}: delta in {delta_s:.1f} s: {scope}", flush=True)
    return {
        **counts,
        **keys,
        "indexed": indexed,
        "index_s": index_s,
        "delta_s": delta_s,
        "added": activation.change_set.added,
        "changed": activation.change_set.changed,
        "reached": scope["reached"],
        "customers_in_scope": scope["customers"],
        "opened": len(outcome.opened),
        "rss_before_mib": rss_before,
        "peak_mib": _rss_mib(),
    }


def load_customers(
    runtime: Runtime, count: int, listed: list[str], rng: random.Random
) -> dict[str, int]:
    """``count`` companies, two representatives each, queued for indexing as a customer
    import queues them; ``PLANTED`` of the people carry a listed name, misspelt."""
    now = datetime.now(UTC)
    names: set[str] = set()
    people: set[str] = set()
    planted = [_misspelt(name) for name in listed[:PLANTED] if len(name.split()) >= 2]
    for start in range(0, count, CHUNK):
        rows: dict[type, list[dict[str, Any]]] = {
            m: [] for m in (Subject, Company, Person, Representation, NamesToIndex)
        }
        for number in range(start, min(count, start + CHUNK)):
            _customer(rows, number, rng, now, planted.pop() if planted else None)
        with transaction(runtime.sessions) as session:
            for model, values in rows.items():
                session.execute(insert(model), values)
        names.update(c["name"] for c in rows[Company])
        people.update(f"{p['first_name']} {p['last_name']}" for p in rows[Person])
    words = belgian_names.vocabulary([*names, *people])[1]
    return {
        "customers": count,
        "subjects": 3 * count,
        "company_names": len(names),
        "person_names": len(people),
        "distinct_words": words,
    }


def _customer(
    rows: dict[type, list[dict[str, Any]]],
    number: int,
    rng: random.Random,
    now: datetime,
    planted: str | None,
) -> None:
    company_id = uuid.uuid4().hex
    rows[Subject].append({"id": company_id, "kind": "organization", "created_at": now})
    rows[NamesToIndex].append({"subject_id": company_id})
    rows[Company].append(
        {
            "subject_id": company_id,
            "enterprise_number": f"{number:010d}",
            "name": belgian_names.company(rng),
            "country": "BE",
            "updated_at": now,
        }
    )
    for second in (False, True):
        full = planted if planted and second else belgian_names.person(rng)[0]
        first, _, last = full.rpartition(" ")
        person_id = uuid.uuid4().hex
        rows[Subject].append({"id": person_id, "kind": "person", "created_at": now})
        rows[NamesToIndex].append({"subject_id": person_id})
        rows[Person].append(
            {"subject_id": person_id, "first_name": first, "last_name": last, "updated_at": now}
        )
        rows[Representation].append(
            {"company_subject_id": company_id, "person_subject_id": person_id, "role": "director"}
        )


def _misspelt(name: str) -> str:
    words = name.split()[::-1]
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    words[longest] = word[: len(word) // 2] + word[len(word) // 2 + 1 :]
    return " ".join(words)


def _key_counts(runtime: Runtime) -> dict[str, int]:
    with runtime.readers() as session:
        keys = session.scalar(select(func.count()).select_from(NameKey)) or 0
        held = session.scalar(select(func.count()).select_from(SubjectNameKey)) or 0
    return {"keys": keys, "held_keys": held}


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_DATABASES = ("SQLite", "PostgreSQL")
_ROWS: list[tuple[str, Any]] = [
    ("customers / subjects", lambda r: f"{r['customers']:,} / {r['subjects']:,}"),
    (
        "distinct company names / person names",
        lambda r: f"{r['company_names']:,} / {r['person_names']:,}",
    ),
    ("distinct words in them", lambda r: f"{r['distinct_words']:,}"),
    ("keys in the index / held by subjects", lambda r: f"{r['keys']:,} / {r['held_keys']:,}"),
    (
        "indexing every subject (once)",
        lambda r: f"{r['index_s'] / 60:.1f} min ({r['indexed'] / r['index_s']:,.0f} subjects/s)",
    ),
    ("entries added / changed by the activation", lambda r: f"{r['added']} / {r['changed']}"),
    ("**delta screening**", lambda r: f"**{r['delta_s']:.1f} s**"),
    (
        "customers' subjects the entries could reach (screened)",
        lambda r: f"{r['reached']:,} of {r['customers_in_scope']:,}",
    ),
    ("hits opened", lambda r: f"{r['opened']}"),
    ("peak memory of the process", lambda r: f"{r['peak_mib']:,.0f} MiB"),
]


def report(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> str:
    lines = [
        "# Delta screening in reverse",
        "",
        "Produced by `benchmarks/reverse_delta.py`; do not edit by hand.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}. Customers (counted below), two representatives "
        "each, named as Belgian companies and people are (`belgian_names`); the real UN "
        f"list (2026-02-27) first activated without {args.changed} of its entries, then "
        "whole: the delta screening of that activation is timed, in the process, with the "
        "customers' names indexed beforehand (the index is kept as customers change; its "
        "making is timed apart). Goal: under 10 s for 100 entries against 1,000,000 "
        "customers.",
        "",
        "| | SQLite | PostgreSQL |",
        "|---|---|---|",
    ]
    for label, cell in _ROWS:
        values = [cell(results[db]) if db in results else "not run" for db in _DATABASES]
        lines.append(f"| {label} | {values[0]} | {values[1]} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
