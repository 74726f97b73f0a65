"""Benchmark: the onboarding API's latency under 1, 10 and 50 concurrent clients.

Run with ``.venv/bin/python benchmarks/onboarding_api.py``. It imports the real UN list
and a full-size EU-format list of real listed names, a synthetic register (a twentieth
of the national one, ``kbo_extract.write_full``), starts ``kyc serve`` as a provider
would, lets one onboarding load the index, then sends onboardings of distinct customers
— the register's legal persons, their legal name and seat as the register has them, two
representatives each from Belgian name pools — from 1, 10 and 50 clients at once, each
waiting for its answer before sending the next. On SQLite and, when a server answers
(``KYC_BENCH_POSTGRES_DSN``), PostgreSQL. Results go to
``benchmarks/results/onboarding_api.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent))

import belgian_names  # noqa: E402
import kbo_extract  # noqa: E402
import list_import  # noqa: E402
from bench_postgres import postgres_schema  # noqa: E402

from kyc.app import lists as list_jobs  # noqa: E402
from kyc.app import register as register_jobs  # noqa: E402
from kyc.app import tokens as token_jobs  # noqa: E402
from kyc.app.runtime import Runtime  # noqa: E402
from kyc.settings import Settings  # noqa: E402
from kyc.store.models import KboAddress, KboDenomination, KboEnterprise  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "onboarding_api.md"
UN_LIST = ROOT.parent / "shared" / "realdata" / "un" / "UN_consolidated_2026-02-27.xml"
NN_KEY = "benchmark-key-" + "0" * 24
CLIENTS = {1: 60, 10: 300, 50: 600}  # clients: onboardings sent in all


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.05, help="register size (1 = national)")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kyc-api-"))
    kbo_extract.write_full(work / "kbo", scale=args.scale)
    eu_file, _v2, _stats = list_import.build_eu_files(work)
    results = {"SQLite": run(f"sqlite:///{work / 'kyc.db'}", work / "sqlite", eu_file)}
    if not args.no_postgres:
        with postgres_schema() as url:
            if url is not None:
                results["PostgreSQL"] = run(url, work / "postgresql", eu_file)
    RESULTS.write_text(report(results, args.scale))
    print(RESULTS.read_text())


def run(database_url: str, data: Path, eu_file: Path) -> dict[str, Any]:
    settings = Settings(data_dir=data, database_url=database_url, nn_key=NN_KEY)
    runtime = Runtime.open(settings)
    try:
        register_jobs.import_register(runtime, data.parent / "kbo")
        list_jobs.import_list(runtime, "un", UN_LIST)
        list_jobs.import_list(runtime, "eu", eu_file)
        _view, token = token_jobs.add(runtime, "benchmark", ("onboarding",))
        payloads = _payloads(runtime, sum(CLIENTS.values()) + 1, random.Random(7))
        names = {p["company"]["name"] for p in payloads}
    finally:
        runtime.close()
    port = _free_port()
    env = {**os.environ, "KYC_DATABASE_URL": database_url, "KYC_DATA_DIR": str(data),
           "KYC_NN_KEY": NN_KEY}  # fmt: skip
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("kyc")), "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/api/v1/onboardings"
    auth = {"Authorization": f"Bearer {token}"}
    try:
        _wait_for(port)
        started = time.perf_counter()
        warm = requests.post(base, json=payloads.pop(), headers=auth, timeout=300)
        warm.raise_for_status()
        loading = time.perf_counter() - started
        rounds = {c: _round(base, auth, [payloads.pop() for _ in range(n)], c)
                  for c, n in CLIENTS.items()}  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"first_s": loading, "rounds": rounds, "names": len(names)}


def _round(
    url: str, auth: dict[str, str], payloads: list[dict[str, Any]], clients: int
) -> dict[str, Any]:  # noqa: E501
    """``clients`` threads, each sending its share one after the other."""
    shares = [payloads[i::clients] for i in range(clients)]
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        timings = [t for share in pool.map(lambda s: _client(url, auth, s), shares) for t in share]
    wall = time.perf_counter() - started
    ok = [seconds for status, seconds in timings if status == 200]
    ordered = sorted(ok)
    return {
        "requests": len(timings),
        "errors": len(timings) - len(ok),
        "p50": statistics.median(ordered) * 1000,
        "p95": ordered[int(0.95 * (len(ordered) - 1))] * 1000,
        "p99": ordered[int(0.99 * (len(ordered) - 1))] * 1000,
        "per_second": len(timings) / wall,
    }


def _client(
    url: str, auth: dict[str, str], payloads: list[dict[str, Any]]
) -> list[tuple[int, float]]:  # noqa: E501
    timings = []
    with requests.Session() as session:
        for payload in payloads:
            started = time.perf_counter()
            answer = session.post(url, json=payload, headers=auth, timeout=300)
            timings.append((answer.status_code, time.perf_counter() - started))
    return timings


def _payloads(runtime: Runtime, count: int, rng: random.Random) -> list[dict[str, Any]]:
    with runtime.readers() as session:
        numbers = list(
            session.scalars(
                select(KboEnterprise.enterprise_number)
                .where(KboEnterprise.type_of_enterprise == "2")
                .order_by(KboEnterprise.enterprise_number)
            )
        )
        chosen = rng.sample(numbers, count)
        names = dict(
            session.execute(
                select(KboDenomination.entity_number, KboDenomination.denomination).where(
                    KboDenomination.entity_number.in_(chosen),
                    KboDenomination.type_of_denomination == "001",
                )
            ).all()
        )
        seats = {
            a.entity_number: a
            for a in session.scalars(
                select(KboAddress).where(
                    KboAddress.entity_number.in_(chosen), KboAddress.type_of_address == "REGO"
                )
            )
        }
    return [_payload(number, names, seats, rng) for number in chosen]


def _payload(
    number: str, names: dict[str, str], seats: dict[str, Any], rng: random.Random
) -> dict[str, Any]:  # noqa: E501
    seat = seats.get(number)
    company: dict[str, Any] = {
        "enterprise_number": number,
        "name": names.get(number) or belgian_names.company(rng),
    }
    if seat is not None:
        company["address"] = {
            "street": seat.street_nl or seat.street_fr,
            "house_number": seat.house_number,
            "postcode": seat.zipcode,
            "municipality": seat.municipality_nl or seat.municipality_fr,
            "country": "BE",
        }
    representatives = []
    for role in ("director", "bestuurder"):
        full, birth = belgian_names.person(rng)
        first, _, last = full.rpartition(" ")
        representatives.append(
            {"first_name": first, "last_name": last, "birth_date": birth, "role": role}
        )
    return {"customer_ref": f"API-{number}", "company": company,
            "representatives": representatives}  # fmt: skip


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int) -> None:
    for _ in range(600):
        try:
            requests.get(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise SystemExit("kyc serve did not start")


def report(results: dict[str, dict[str, Any]], scale: float) -> str:
    lines = [
        "# Onboarding API latency",
        "",
        "Produced by `benchmarks/onboarding_api.py`; do not edit by hand.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}. `kyc serve` (one process) with the real UN list "
        "(2026-02-27) and a full-size EU-format list of real listed names; a synthetic "
        f"register of {int(kbo_extract.ENTERPRISES * scale):,} enterprises. Each request "
        "onboards a different customer of the register (its legal name and seat, two "
        "representatives): stored, verified, both mandates checked, three subjects "
        "screened, each recorded in the audit trail, the customer's status worked out. "
        "Times are as the client sees them, from sending to the whole answer.",
        "",
        "| database | clients | requests | errors | p50 | p95 | p99 | onboardings/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, result in results.items():
        for clients, r in result["rounds"].items():
            lines.append(
                f"| {name} | {clients} | {r['requests']} | {r['errors']} | {r['p50']:.0f} ms "
                f"| {r['p95']:.0f} ms | {r['p99']:.0f} ms | {r['per_second']:.1f} |"
            )
    lines += [
        "",
        *(
            f"{name}: the first onboarding, which loads the index into the server, took "
            f"{r['first_s']:.1f} s; {r['names']:,} distinct company names were sent."
            for name, r in results.items()
        ),  # fmt: skip
        "",
        "Goal (issue 15): p95 under 300 ms with the index loaded, at 50 concurrent clients.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
