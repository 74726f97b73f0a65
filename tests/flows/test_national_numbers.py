"""National numbers stay secret everywhere.

Valid numbers are planted in every input path — a customer CSV and a JSON file, an
onboarding payload, the mandate command, review, offboarding and rectification reasons,
the data subject's requests — with every logger at DEBUG (SQLAlchemy's statements and
parameters included). The jobs and flows of the demo run over them. Then every output
is searched for the digits in any common writing (plain, with dots and dash, spaced):
standard output and error, the log file, every file under the data directory and the
exports (the SQLite database as bytes), Prefect's database, and a dump of the
PostgreSQL schema.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from flows.import_customers import import_customers
from flows.import_register import import_register
from flows.onboarding_screening import onboarding_screening
from flows.refresh_lists import refresh_lists
from flows.rescreen_all import rescreen_all
from flows.retention import retention
from kyc.cli import app
from tests.conftest import POSTGRES_DSN, SAMPLES, TEST_PASSWORD
from tests.snapshots import schema_of


def national_number(born: date, serial: int) -> str:
    """A valid Belgian national number (born before 2000): YYMMDD, serial, check."""
    base = f"{born:%y%m%d}{serial:03d}"
    return f"{base}{97 - int(base) % 97:02d}"


def enterprise_number(stem: int) -> str:
    base = f"0{stem:07d}"
    return f"{base}{97 - int(base) % 97:02d}"


PLANTED = {
    "csv": national_number(date(1984, 7, 12), 123),
    "json": national_number(date(1979, 2, 3), 45),
    "onboarding": national_number(date(1991, 11, 30), 7),
    "mandate": national_number(date(1966, 4, 1), 210),
    "reason": national_number(date(1958, 9, 9), 333),
}


def writings(number: str) -> re.Pattern[bytes]:
    """The digits plain, or grouped YY MM DD SSS CC with dots, dashes, spaces or slashes."""
    groups = (number[0:2], number[2:4], number[4:6], number[6:9], number[9:11])
    return re.compile(rb"(?<!\d)" + rb"[.\-\s/]?".join(g.encode() for g in groups) + rb"(?!\d)")


def dotted(number: str) -> str:
    return f"{number[0:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:11]}"


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Path]:
    """Every logger at DEBUG, into a file (SQLAlchemy logs statements and parameters)."""
    path = tmp_path / "logs" / "debug.log"
    path.parent.mkdir()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    # The root, and the loggers whose own level or handlers would keep records from it.
    loggers = [logging.getLogger(name) for name in ("", "sqlalchemy", "prefect", "kyc")]
    saved = [(logger.level, logger.propagate) for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
    try:
        yield path
    finally:
        for logger, (level, propagate) in zip(loggers, saved, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.propagate = propagate
        handler.close()


def _inputs(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    csv = folder / "customers.csv"
    csv.write_text(
        "customer_ref,enterprise_number,company_name,rep_first_name,rep_last_name,"
        "rep_birth_date,rep_role,rep_national_number\n"
        f"C-501,{enterprise_number(2000501)},Planted One BV,Noor,Verhaegen,1984-07-12,"
        f"director,{dotted(PLANTED['csv'])}\n",
        encoding="utf-8",
    )
    record = {
        "customer_ref": "C-502",
        "company": {"enterprise_number": enterprise_number(2000502), "name": "Planted Two BV"},
        "representatives": [
            {"first_name": "Ilse", "last_name": "Goossens", "birth_date": "1979-02-03",
             "role": "director", "national_number": PLANTED["json"]}
        ],
    }  # fmt: skip
    (folder / "customers.json").write_text(json.dumps([record]), encoding="utf-8")
    payload = json.loads((SAMPLES / "onboarding.json").read_text(encoding="utf-8"))
    payload["representatives"][0]["national_number"] = PLANTED["onboarding"]
    payload["representatives"][0]["birth_date"] = "1991-11-30"
    onboarding = folder / "onboarding.json"
    onboarding.write_text(json.dumps(payload), encoding="utf-8")
    return {"csv": csv, "json": folder / "customers.json", "onboarding": onboarding}


@pytest.mark.slow
def test_no_national_number_leaves_a_trace(
    flow_env: Path, tmp_path: Path, database_url: str, debug_log: Path
) -> None:
    files = _inputs(tmp_path / "inputs")
    exports = tmp_path / "exports"
    outputs: list[str] = []
    runner = CliRunner()

    def kyc(*args: str, stdin: str | None = None) -> tuple[int, str]:
        result = runner.invoke(app, list(args), input=stdin)
        outputs.extend((result.stdout, result.stderr))
        return result.exit_code, result.stdout + result.stderr

    # The demo's flows, over planted files.
    refresh_lists(from_dir=str(SAMPLES / "lists"))
    functions = SAMPLES / "kbo_functions" / "functions.csv"
    import_register(path=str(SAMPLES / "kbo"), functions_path=str(functions))
    results: list[Any] = [import_customers(path=str(SAMPLES / "customers.csv"))]
    results.append(import_customers(path=str(files["csv"])))
    results.append(onboarding_screening(payload_path=str(files["onboarding"])))
    results += [rescreen_all(), retention()]
    outputs.append(json.dumps(results, default=str))

    # The commands a person types, with numbers where they do not belong.
    assert kyc("customers", "import", str(files["json"]))[0] == 0
    code, said = kyc("mandates", "check", enterprise_number(2000501), "--first-name", "Noor",
                     "--last-name", dotted(PLANTED["mandate"]))  # fmt: skip
    assert code in (0, 1), said
    _add_reviewer(flow_env)
    code, listed = kyc("review", "list", "--json")
    hit_id = str(json.loads(outputs[-2])[0]["id"])
    code, said = kyc("review", "decide", hit_id, "--decision", "false_positive", "--reason",
                     f"his number is {dotted(PLANTED['reason'])}", "--reviewer", "ana")  # fmt: skip
    assert code == 1, said
    code, said = kyc("customers", "offboard", enterprise_number(2000501), "--date",
                     "2026-12-01", "--reason", f"nn {PLANTED['reason']}")  # fmt: skip
    assert code == 1, said
    for number in (PLANTED["csv"], PLANTED["json"], PLANTED["onboarding"]):
        code, said = kyc("privacy", "export", "--national-number", "-", "--out", str(exports),
                         stdin=dotted(number) + "\n")  # fmt: skip
        assert code == 0, said
    code, said = kyc("privacy", "rectify", "--national-number", "-", "--field", "last_name",
                     "--value", PLANTED["reason"], "--reason", "x",
                     stdin=PLANTED["csv"])  # fmt: skip
    assert code == 1, said
    assert kyc("audit", "export", "--out", str(exports / "trail.jsonl"))[0] == 0
    assert kyc("audit", "report", "--from", "2000-01-01", "--to", "2030-12-31", "--out",
               str(exports / "report.html"))[0] == 0  # fmt: skip
    assert len(list(exports.glob("access-*.html"))) == 3
    _deliver_prefect_logs()

    haystacks = _haystacks(tmp_path, outputs, database_url)
    searched = " ".join(haystacks)
    assert "prefect database" in searched and "debug.log" in searched
    assert ("kyc.db" in searched) != ("pg_dump" in searched)
    assert b"INSERT INTO persons" in haystacks[str(debug_log)]  # statements were logged
    database = haystacks.get("pg_dump") or haystacks[database_url.split("///", 1)[1]]
    assert b"Verhaegen" in database  # the person was stored: her number was not
    found = [
        f"{key} in {where}"
        for where, data in haystacks.items()
        for key, number in PLANTED.items()
        if writings(number).search(data)
    ]
    assert found == []
    # The search itself finds what it looks for.
    assert writings(PLANTED["csv"]).search(files["csv"].read_bytes())


def _add_reviewer(data: Path) -> None:
    from kyc.app import users as user_jobs
    from kyc.app.runtime import Runtime
    from kyc.settings import load_settings

    runtime = Runtime.open(load_settings())
    try:
        user_jobs.add_user(runtime, "ana", "analyst", TEST_PASSWORD)
    finally:
        runtime.close()


def _deliver_prefect_logs() -> None:
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=15)


def _haystacks(root: Path, outputs: list[str], database_url: str) -> dict[str, bytes]:
    """Every output of the run, named."""
    from prefect.settings import PREFECT_API_DATABASE_CONNECTION_URL, PREFECT_HOME

    found = {f"output {i}": text.encode() for i, text in enumerate(outputs)}
    inputs = root / "inputs"
    for path in root.rglob("*"):
        if path.is_file() and inputs not in path.parents:
            found[str(path)] = path.read_bytes()
    prefect_db = str(PREFECT_API_DATABASE_CONNECTION_URL.value() or "")
    if prefect_db.startswith("sqlite"):
        path = Path(prefect_db.split("///", 1)[1])
        for suffix in ("", "-wal"):
            wal = path.with_name(path.name + suffix)
            if wal.exists():
                found[f"prefect database {wal.name}"] = wal.read_bytes()
    for path in Path(str(PREFECT_HOME.value())).rglob("*.log"):
        found[str(path)] = path.read_bytes()
    if database_url.startswith("postgresql"):
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "-n", schema_of(database_url), POSTGRES_DSN],
            capture_output=True,
            check=True,
        )
        found["pg_dump"] = dump.stdout
    return found
