"""Benchmark: parse + validate + store + diff of a full-size EU list, and of the real UN list.

Run with ``.venv/bin/python benchmarks/list_import.py``. It builds a full-size EU FSF
XML 1.1 file (about 6,200 entities and 44,000 name aliases) from the real-names corpus in
``../shared/realdata/names/``, and a second version of it with about 2 % of the entries
added, removed or changed, then measures, each case in a fresh process after its
imports: importing version 1 into an empty SQLite database, importing version 2 (which
includes the change set against version 1), and importing the real UN list. Results go
to ``benchmarks/results/list_import.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import quoteattr

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"
NAMES = REALDATA / "names" / "sanctiontoolkit_combined_sanction_lists_20220505_main.csv"
REAL_UN = REALDATA / "un" / "UN_consolidated_2026-02-27.xml"
RESULTS = ROOT / "benchmarks" / "results" / "list_import.md"
ENTITIES, ALIASES = 6_200, 44_000
NS = "http://eu.europa.ec/fpi/fsd/export"


def _groups() -> list[tuple[str, list[str], str, str]]:
    """(kind, names, birth date, country) per listed subject of the names corpus."""
    import pandas as pd

    frame = pd.read_csv(NAMES, dtype=str, keep_default_na=False)
    frame = frame[frame["full_name"].str.strip() != ""]
    groups = []
    for _, rows in frame.groupby(["sanction_list", "list_internal_id"], sort=True):
        names = list(dict.fromkeys(n.strip() for n in rows["full_name"]))
        types = " ".join(rows["entity_type"]).lower()
        if any(word in types for word in ("vessel", "aircraft", "ship")):
            continue  # the lists' parsers leave vessels and aircraft out
        person = "individual" in types or "person" in types
        groups.append(("person" if person else "enterprise", names, rows["DOB"].iloc[0],
                       rows["nationality"].iloc[0]))  # fmt: skip
    return groups


# Every name, citizenship and birth date of the real export carries one of these.
SUMMARY = (
    '<regulationSummary regulationType="regulation" publicationDate="2022-03-15" '
    'numberTitle="2022/263 (OJ L 42I)" publicationUrl="https://eur-lex.europa.eu/legal-content/'
    'EN/TXT/?uri=CELEX:32022R0263"/>'
)


def _entity(logical_id: int, kind: str, names: list[str], dob: str, country: str) -> str:
    regulation = (
        f'<regulation regulationType="regulation" organisationType="council" '
        f'publicationDate="2022-03-15" entryIntoForceDate="2022-03-15" '
        f'numberTitle="2022/{logical_id % 997} (OJ L 1)" programme="BENCH" '
        f'logicalId="{logical_id}1">'
        "<publicationUrl>https://eur-lex.europa.eu/</publicationUrl></regulation>"
    )
    aliases = "".join(
        f'<nameAlias firstName="" middleName="" lastName="" wholeName={quoteattr(name)} '
        f'function="" title="" nameLanguage="" strong="{"false" if i and i % 7 == 0 else "true"}" '
        f'regulationLanguage="en" logicalId="{logical_id}{i:03d}">{SUMMARY}</nameAlias>'
        for i, name in enumerate(names)
    )
    code, letter = ("person", "P") if kind == "person" else ("enterprise", "E")
    birth = ""
    if kind == "person" and len(dob) == 10 and dob[4] == "-":
        birth = (
            f'<birthdate circa="false" calendarType="GREGORIAN" birthdate="{dob}" '
            'countryIso2Code="00" countryDescription="UNKNOWN" '
            f'year="{dob[:4]}" regulationLanguage="en" logicalId="{logical_id}9">{SUMMARY}'
            "</birthdate>"
        )
    citizenship = ""
    if len(country) == 2 and country.isalpha():
        citizenship = (
            f'<citizenship region="" countryIso2Code="{country.upper()}" countryDescription="" '
            f'regulationLanguage="en" logicalId="{logical_id}8">{SUMMARY}</citizenship>'
        )
    return (
        f'<sanctionEntity designationDetails="" unitedNationId="" '
        f'euReferenceNumber="EU.{logical_id}" logicalId="{logical_id}">{regulation}'
        f'<subjectType code="{code}" classificationCode="{letter}"/>'
        f"{aliases}{citizenship}{birth}</sanctionEntity>\n"
    )


def build_eu_files(directory: Path) -> tuple[Path, Path, dict[str, int]]:
    """Version 1 and version 2 (about 2 % churn) of a full-size EU-format list."""
    rng = random.Random(20261125)
    groups = sorted(_groups(), key=lambda g: -len(g[1]))[: ENTITIES + 200]
    chosen = groups[:ENTITIES]
    total = sum(len(g[1]) for g in chosen)
    # Pad with real names of other subjects so each entity reaches its share of aliases.
    spare = [name for g in groups[ENTITIES:] for name in g[1]]
    while total < ALIASES:
        kind, names, dob, country = chosen[rng.randrange(len(chosen))]
        names.append(spare[rng.randrange(len(spare))])
        total += 1
    v1 = [(1_000_000 + i, *g) for i, g in enumerate(chosen)]
    v2 = list(v1)
    churn = len(v1) // 150  # 0.67 % each of removed, added, changed
    for _ in range(churn):
        v2.pop(rng.randrange(len(v2)))
    for i in range(churn):
        v2.append((2_000_000 + i, *groups[ENTITIES + i % 200]))
    for _ in range(churn):
        index = rng.randrange(len(v2))
        logical_id, kind, names, dob, country = v2[index]
        v2[index] = (logical_id, kind, [*names, f"{names[0]} Jr"], dob, country)
    paths = []
    for label, entities, stamp in (("v1", v1, "2026-11-01"), ("v2", v2, "2026-11-02")):
        path = directory / f"eu_full_{label}.xml"
        with path.open("w", encoding="utf-8") as out:
            out.write(
                f'<?xml version="1.0" encoding="UTF-8"?>\n<export xmlns="{NS}" '
                f'generationDate="{stamp}T10:00:00.000+01:00" globalFileId="1">\n'
            )
            for entity in entities:
                out.write(_entity(*entity))
            out.write("</export>\n")
        paths.append(path)
    stats = {
        "xsd_valid": _valid_against_xsd(paths[0]),
        "entities": len(v1),
        "aliases": total,
        "churn_each": churn,
        "megabytes": round(paths[0].stat().st_size / 1e6),
    }
    return paths[0], paths[1], stats


def _valid_against_xsd(path: Path) -> int:
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(REALDATA / "eu" / "eu_fsf_schema_1_1.xsd")))
    return int(schema.validate(etree.parse(str(path))))


def measure(case: str, files: list[str]) -> dict[str, float]:
    """One case in this process: the imports first, then the timed work."""
    import great_expectations  # noqa: F401  (imported before timing: "after imports")
    from great_expectations.render.renderer import ValidationResultsPageRenderer  # noqa: F401

    from kyc.app import lists as list_jobs
    from kyc.app.runtime import Runtime
    from kyc.settings import Settings

    work = Path(tempfile.mkdtemp())
    settings = Settings(data_dir=work, list_entry_ranges={"eu": (1, 100_000)})
    runtime = Runtime.open(settings)
    source = "un" if case == "un" else "eu"
    for path in files[:-1]:
        list_jobs.import_list(runtime, source, Path(path))
    started = time.perf_counter()
    result = list_jobs.import_list(runtime, source, Path(files[-1]))
    elapsed = time.perf_counter() - started
    change = result.change_set
    return {
        "seconds": elapsed,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "entries": result.entry_count,
        "changes": (change.added + change.removed + change.changed) if change else 0,
    }


def _child(case: str, files: list[str]) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--measure", case, *files],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def report(stats: dict[str, int], rows: list[tuple[str, str, dict[str, float]]]) -> str:
    lines = [
        "# List import benchmark",
        "",
        "Produced by `benchmarks/list_import.py`; do not edit by hand.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite. Each case runs in a fresh process, timed "
        "after its imports; the time covers parse, quality gates "
        "(Great Expectations), storing the version and its entries, and the change set "
        "against the active version; peak memory is the process's maximum resident size.",
        "",
        f"Full-size EU-format file built from the real-names corpus: {stats['entities']:,} "
        f"entities, {stats['aliases']:,} name aliases, {stats['megabytes']} MB "
        f"({'valid' if stats['xsd_valid'] else 'NOT valid'} against the official XSD); "
        "version 2 removes, adds and changes "
        f"{stats['churn_each']} entities each.",
        "",
        "| case | goal | time | peak memory | entries | changes |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for case, goal, result in rows:
        lines.append(
            f"| {case} | {goal} | {result['seconds']:.2f} s | {result['peak_mib']:.0f} MiB "
            f"| {result['entries']:,.0f} | {result['changes']:,.0f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--measure", nargs="+", metavar=("CASE", "FILE"))
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], args.measure[1:])))
        return
    with tempfile.TemporaryDirectory() as work:
        v1, v2, stats = build_eu_files(Path(work))
        rows = [
            ("EU full size, first import", "< 10 s, < 500 MB", _child("eu", [str(v1)])),
            (
                "EU full size, next version + change set",
                "< 10 s, < 500 MB",
                _child("eu", [str(v1), str(v2)]),
            ),
            ("UN real list (2026-02-27)", "< 2 s", _child("un", [str(REAL_UN)])),
        ]
    text = report(stats, rows)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
