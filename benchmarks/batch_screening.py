"""Benchmark: `kyc screen batch` on 100,000 rows, in constant memory.

Run with ``.venv/bin/python benchmarks/batch_screening.py [--rows N]``. It builds a
temporary database with the real UN list (``../shared/realdata``; the bundled sample
lists when absent) and the sample EU list, writes a synthetic input of Belgian person
and company names with a fixed seed (``belgian_names``, as varied as a register's; a
hundredth of them listed people with a typo), runs the command as a user would, and
writes ``benchmarks/results/batch_screening.md`` with the distinct names and words.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
REAL_UN = ROOT.parent / "shared" / "realdata" / "un" / "UN_consolidated_2026-02-27.xml"
RESULTS = ROOT / "benchmarks" / "results" / "batch_screening.md"
sys.path.insert(0, str(Path(__file__).resolve().parent))

import belgian_names  # noqa: E402

KYC = str(Path(sys.executable).with_name("kyc"))

# A share of rows that are listed people with a typo, as real hits would look.
_LISTED_SHARE = 0.01


def write_input(path: Path, rows: int, listed: list[str]) -> list[str]:
    """Synthetic Belgian people and companies (``belgian_names``: a register's variety of
    names and words), a hundredth of them listed people with a typo; the names written."""
    rng = random.Random(20261125)
    names = []
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "kind", "birth_date", "nationality", "country"])
        for index, (name, kind, birth) in enumerate(belgian_names.subjects(rows, seed=31)):
            if listed and rng.random() < _LISTED_SHARE:
                name, kind, birth = _misspelt(rng, rng.choice(listed)), "person", ""
            writer.writerow([f"r{index}", name, kind, birth, "BE", "BE"])
            names.append(name)
    return names


def _misspelt(rng: random.Random, name: str) -> str:
    letters = list(name)
    letters[rng.randrange(len(letters))] = rng.choice("aeiou")
    return "".join(letters)


def listed_person_names(un_file: Path) -> list[str]:
    from sanctions_sources.registry import get_source

    entries = get_source("un").parse(un_file).entries
    return [e.display_name for e in entries if e.kind == "person" and len(e.display_name) > 8]


def _peak_child_kib() -> int:
    """Peak resident memory of the largest child process so far (KiB, Linux)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def run(rows: int) -> dict[str, object]:
    un_file = REAL_UN if REAL_UN.exists() else SAMPLES / "lists" / "un_sample.xml"
    with tempfile.TemporaryDirectory() as work:
        # The EU sample holds five entries, below a real list's plausible size.
        env = {**os.environ, "KYC_DATA_DIR": work, "KYC_LIST_ENTRY_RANGES": '{"eu": [1, 1000]}'}
        env.pop("KYC_DATABASE_URL", None)
        for source, path in (("un", un_file), ("eu", SAMPLES / "lists" / "eu_sample.xml")):
            subprocess.run(
                [KYC, "lists", "import", "--source", source, str(path)],
                env=env,
                check=True,
                capture_output=True,
            )
        source_csv, hits_csv = Path(work) / "input.csv", Path(work) / "hits.csv"
        names = write_input(source_csv, rows, listed_person_names(un_file))
        started = time.perf_counter()
        subprocess.run(
            [KYC, "screen", "batch", str(source_csv), "--out", str(hits_csv)],
            env=env,
            check=True,
            capture_output=True,
        )
        elapsed = time.perf_counter() - started
        peak_kib = _peak_child_kib()
        with hits_csv.open() as handle:
            hits = sum(1 for _ in handle) - 1
    distinct, words = belgian_names.vocabulary(names)
    return {
        "rows": rows,
        "distinct": distinct,
        "words": words,
        "list": un_file.name,
        "seconds": elapsed,
        "rows_per_second": rows / elapsed,
        "peak_mib": peak_kib / 1024,
        "hits": hits,
    }


def report(results: list[dict[str, object]]) -> str:
    first = results[0]
    return "\n".join(
        [
            "# Batch screening benchmark",
            "",
            "Produced by `benchmarks/batch_screening.py`; do not edit by hand.",
            "",
            f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}. Lists: `{first['list']}` and the EU sample.",
            "",
            "| rows | distinct names / words | wall time | rows/s "
            "| peak memory (largest child process) | hit rows |",
            "|---:|---:|---:|---:|---:|---:|",
            *(
                f"| {r['rows']:,} | {r['distinct']:,} / {r['words']:,} | {r['seconds']:.1f} s "
                f"| {r['rows_per_second']:,.0f} | {r['peak_mib']:.0f} MiB | {r['hits']:,} |"
                for r in results
            ),
            "",
            "Goal (issue 2): 100,000 rows without running out of memory. The input is read",
            "twice as a stream (check, then screen) and hits are written as they are found,",
            "so memory does not grow with the number of rows. Peak memory is cumulative over",
            "the runs (the largest child so far), so equal figures mean no growth.",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    results = [run(rows) for rows in sorted(args.rows)]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report(results))
    print(report(results))


if __name__ == "__main__":
    main()
