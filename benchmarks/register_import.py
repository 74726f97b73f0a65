"""Benchmark: importing the whole Belgian register (KBO Open Data) and a daily update.

Run with ``.venv/bin/python benchmarks/register_import.py [--scale 1.0]``. It writes a
synthetic FULL extract at national scale and the UPDATE that follows it
(``kbo_extract``, in ``benchmarks/.work/kbo``), then times ``kyc registry import`` as a
user runs it, each in a process of its own, into an empty SQLite database and, when a
server answers (``KYC_BENCH_POSTGRES_DSN``, default the CI server), into a fresh
PostgreSQL schema: the FULL, then the UPDATE. Results go to
``benchmarks/results/register_import.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import kbo_extract  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / ".work" / "kbo"
RESULTS = ROOT / "benchmarks" / "results" / "register_import.md"
KYC = str(Path(sys.executable).with_name("kyc"))
POSTGRES_DSN = os.environ.get("KYC_BENCH_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test")
UPDATE_CHANGES = 5000


def extracts(scale: float) -> tuple[kbo_extract.Extract, kbo_extract.Extract, float]:
    """The FULL and UPDATE extracts at this scale (written once, then reused)."""
    marker = WORK / f"scale-{scale}"
    full_dir, update_dir = WORK / "full", WORK / "update"
    started = time.perf_counter()
    if not marker.exists():
        for old in WORK.glob("*"):
            subprocess.run(["rm", "-rf", str(old)], check=True)
        full = kbo_extract.write_full(full_dir, scale=scale)
        kbo_extract.write_update(update_dir, full, changes=UPDATE_CHANGES)
        marker.write_text(str(full.enterprises))
    enterprises = int(marker.read_text())
    full = kbo_extract.Extract(full_dir, 200, kbo_extract.date(2026, 10, 30), enterprises)
    update = kbo_extract.Extract(update_dir, 201, kbo_extract.date(2026, 10, 31), enterprises)
    return full, update, time.perf_counter() - started


def _rows(directory: Path) -> int:
    return sum(
        sum(1 for _ in path.open("rb")) - 1
        for path in directory.glob("*.csv")
        if path.name not in ("meta.csv", "code.csv")
    )


def _import(env: dict[str, str], path: Path) -> tuple[float, float, str]:
    """Wall time, peak memory of the importing process, and its first report line."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            [KYC, "registry", "import", str(path)], env=env, stdout=out, stderr=err
        )
        # wait4 gives this process's own peak, not the largest of every child so far.
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if process.returncode:
            raise RuntimeError(f"kyc registry import {path} failed: {err.read().decode()[-2000:]}")
        return elapsed, usage.ru_maxrss / 1024, out.read().decode().splitlines()[0]


def run(database_url: str | None, data: Path, full: Path, update: Path) -> dict[str, object]:
    env = {**os.environ, "KYC_DATA_DIR": str(data)}
    env.pop("KYC_DATABASE_URL", None)
    if database_url:
        env["KYC_DATABASE_URL"] = database_url
    full_s, full_peak, full_line = _import(env, full)
    update_s, update_peak, update_line = _import(env, update)
    return {
        "full_s": full_s,
        "full_peak": full_peak,
        "update_s": update_s,
        "update_peak": update_peak,
        "lines": (full_line, update_line),
    }


def postgres(full: Path, update: Path, data: Path) -> dict[str, object] | None:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_DSN, autocommit=True, connect_timeout=3) as admin:
            schema = f"kyc_bench_{uuid.uuid4().hex[:8]}"
            admin.execute(f'CREATE SCHEMA "{schema}"')
    except Exception as error:  # no server here: the report says so
        print(f"PostgreSQL not measured: {error}", file=sys.stderr)
        return None
    base = POSTGRES_DSN.replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        return run(f"{base}?options={quote(f'-csearch_path={schema}')}", data, full, update)
    finally:
        with psycopg.connect(POSTGRES_DSN, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


def report(
    scale: float,
    full: kbo_extract.Extract,
    rows: tuple[int, int],
    generated: float,
    sqlite: dict[str, object],
    pg: dict[str, object] | None,
) -> str:
    lines = [
        "# Register import",
        "",
        "Produced by `benchmarks/register_import.py`; do not edit by hand.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}. A synthetic FULL extract in KBO's format at "
        f"{scale:g} × national scale: {full.enterprises:,} enterprises and {rows[0]:,} rows "
        f"in its table files (written in {generated:.0f} s, or reused), then the UPDATE that "
        f"follows it ({UPDATE_CHANGES:,} enterprises rewritten or struck off and as many "
        f"new: {rows[1]:,} rows). `kyc registry import` as a user runs it, each in a new "
        "process, into an empty database; activities are not imported (the default).",
        "",
        "| database | FULL import | peak memory | UPDATE import | peak memory |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, result in (("SQLite", sqlite), ("PostgreSQL (COPY)", pg)):
        if result is None:
            lines.append(f"| {name} | not measured (no server answered) | | | |")
            continue
        lines.append(
            f"| {name} | {result['full_s']:.0f} s | {result['full_peak']:,.0f} MiB "
            f"| {result['update_s']:.1f} s | {result['update_peak']:,.0f} MiB |"
        )
    lines += [
        "",
        "Goals (issue 5): the FULL import under 3 minutes and 2 GB on this machine with",
        "SQLite, also measured on PostgreSQL; an update in seconds.",
        "",
        "What the importer said (SQLite):",
        "",
        *(f"    {line}" for line in sqlite["lines"]),  # type: ignore[attr-defined]
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    full, update, generated = extracts(args.scale)
    rows = (_rows(full.directory), _rows(update.directory))
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        sqlite = run(None, work / "sqlite", full.directory, update.directory)
        pg = postgres(full.directory, update.directory, work / "postgres")
    text = report(args.scale, full, rows, generated, sqlite, pg)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
