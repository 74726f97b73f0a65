"""Functions held in enterprises, from the provider's CSV or the KBO reuse XML."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kyc.app import customers as customer_jobs
from kyc.app import register as register_jobs
from kyc.app.runtime import Runtime
from kyc.registry.functions import FunctionsImportError, read_csv, read_reuse_xml
from kyc.store.models import AuditEvent, KboFunction
from tests.conftest import SAMPLES

FUNCTIONS = SAMPLES / "kbo_functions"
HEADER = "enterprise_number,function_code,first_name,last_name,holder_enterprise_number,begin,end\n"


def _stored(runtime: Runtime) -> list[KboFunction]:
    with runtime.sessions() as session:
        return list(session.scalars(select(KboFunction).order_by(KboFunction.id)))


def test_the_csv_is_imported_with_its_holders_and_dates(runtime: Runtime) -> None:
    report = register_jobs.import_functions(runtime, FUNCTIONS / "functions.csv")
    assert (report.functions, report.enterprises, report.source) == (11, 6, "csv")
    stored = _stored(runtime)
    peeters = next(f for f in stored if f.last_name == "Peeters")
    assert (peeters.enterprise_number, peeters.function_code, peeters.end) == (
        "0712345630",
        "13",
        None,
    )
    assert peeters.birth_date == date(1970, 5, 12)
    dubois = next(f for f in stored if f.last_name == "Dubois")
    assert dubois.end == date(2019, 12, 31)
    held = next(f for f in stored if f.holder_enterprise_number)
    assert held.holder_enterprise_number == "0712345630" and held.last_name is None
    assert (held.representative_first_name, held.representative_last_name) == ("Marie", "Dubois")
    with runtime.sessions() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "register.functions_imported")
        ).one()
        assert event.details == {"source": "csv", "functions": 11, "enterprises": 6}
        assert "Peeters" not in str(event.details)


def test_importing_again_replaces_each_enterprise_s_functions(
    runtime: Runtime, tmp_path: Path
) -> None:
    register_jobs.import_functions(runtime, FUNCTIONS / "functions.csv")
    register_jobs.import_functions(runtime, FUNCTIONS / "functions.csv")
    assert len(_stored(runtime)) == 11
    smaller = tmp_path / "one.csv"
    smaller.write_text(HEADER + "0712.345.630,30,Jan,Peeters,,2011-05-03,2026-01-31\n")
    register_jobs.import_functions(runtime, smaller)
    stored = _stored(runtime)
    assert len(stored) == 10  # 0712.345.630 now has one function; the others are as they were
    assert [f.end for f in stored if f.enterprise_number == "0712345630"] == [date(2026, 1, 31)]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("0712.345.631,30,Jan,Peeters,,2011-05-03,", "line 2: enterprise_number"),
        ("0712.345.630,30,Jan,Peeters,,03-05-2011,", "begin '03-05-2011' is not a date"),
        ("0712.345.630,30,Jan,Peeters,0723.456.781,2011-05-03,", "a person .* or an enterprise"),
        ("0712.345.630,30,,,,2011-05-03,", "the holder is missing"),
        ("0712.345.630,30,Jan,Peeters,,2011-05-03,2010-01-01", "is before begin"),
        ("0712.345.630,director,Jan,Peeters,,2011-05-03,", "not a KBO function code"),
        ("0712.345.630,30,Jan,Peeters,,2011-05-03", "6 values instead of 7"),
        ("0712.345.630,30,,,0723.456.781,2011-05-03,,1970-01-01,,", "birth date belongs"),
        ("0712.345.630,30,Jan,Peeters,,2011-05-03,,,Marie,Dubois", "representative belongs"),
        ("0712.345.630,30,,,0723.456.781,2011-05-03,,,Marie,", "needs a last name"),
        ("0712.345.630,30,Jan,Peeters,,2011-05-03,,12/05/1970,,", "birth_date '12/05/1970'"),
    ],
)
def test_a_malformed_row_refuses_the_whole_file(
    runtime: Runtime, tmp_path: Path, row: str, reason: str
) -> None:
    register_jobs.import_functions(runtime, FUNCTIONS / "functions.csv")
    bad = tmp_path / "bad.csv"
    header, tail = HEADER, ""
    if row.count(",") > 6:  # the optional columns
        header = HEADER.strip() + ",birth_date,representative_first_name,representative_last_name\n"
        tail = ",,,"
    bad.write_text(header + row + "\n" + f"0734.567.835,10,Sofie,Janssens,,2004-07-01,{tail}\n")
    with pytest.raises(FunctionsImportError, match=reason):
        register_jobs.import_functions(runtime, bad)
    assert len(_stored(runtime)) == 11  # nothing lost, nothing added


@pytest.mark.parametrize(
    "header",
    ["enterprise,code", HEADER.strip() + ",nickname", HEADER.strip() + ",birth_date,birth_date"],
)
def test_a_wrong_header_is_refused(tmp_path: Path, header: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(header + "\n0712.345.630,30\n")
    with pytest.raises(FunctionsImportError, match="the header must be"):
        read_csv(bad)


def test_the_reuse_xml_is_read_as_a_stream_of_functions() -> None:
    records = list(read_reuse_xml(FUNCTIONS / "reuse_functions.xml"))
    assert [(r.enterprise_number, r.function_code, r.last_name) for r in records] == [
        ("0712345630", "30", "Peeters"),
        ("0712345630", "30", "Dubois"),
        ("0723456781", "13", None),
    ]
    assert records[1].end == date(2019, 12, 31) and records[1].end_reason == "002"
    assert records[2].holder_enterprise_number == "0712345630"
    assert records[0].runs_on(date(2026, 11, 25)) and not records[1].runs_on(date(2026, 1, 1))


def _one_function_xml(tmp_path: Path, begin: str) -> Path:
    path = tmp_path / "reuse.xml"
    path.write_text(
        '<Commercialisation xmlns="http://economie.fgov.be/kbo/reuse"><Enterprises>'
        "<Enterprise><Nbr>0712345630</Nbr><Functions><Function><Code>30</Code>"
        f"<Validity><Begin>{begin}</Begin></Validity>"
        "<HeldByPerson><Name>Peeters</Name><FirstName>Jan</FirstName></HeldByPerson>"
        "</Function></Functions></Enterprise></Enterprises></Commercialisation>"
    )
    return path


@pytest.mark.parametrize("begin", ["03.05.2011", "2011-05-03", "03-05-2011"])
def test_reuse_dates_as_the_manual_writes_them_and_as_iso(tmp_path: Path, begin: str) -> None:
    [record] = read_reuse_xml(_one_function_xml(tmp_path, begin))
    assert record.begin == date(2011, 5, 3)


def test_a_reuse_date_that_is_no_date_is_named(tmp_path: Path) -> None:
    with pytest.raises(FunctionsImportError, match="Begin '31.02.2011' is not a date"):
        list(read_reuse_xml(_one_function_xml(tmp_path, "31.02.2011")))


def test_the_reuse_xml_replaces_what_came_from_the_feed(runtime: Runtime) -> None:
    report = register_jobs.import_functions(runtime, FUNCTIONS / "reuse_functions.xml")
    assert (report.functions, report.source) == (3, "reuse-xml")
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(KboFunction)) == 3


def test_a_hostile_xml_file_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><Enterprises><Enterprise><Nbr>&b;</Nbr>'
        "</Enterprise></Enterprises>"
    )
    with pytest.raises(FunctionsImportError, match="not a readable reuse XML file"):
        list(read_reuse_xml(bomb))


def test_the_customers_of_the_file_s_enterprises_are_checked_again(runtime: Runtime) -> None:
    register_jobs.import_register(runtime, SAMPLES / "kbo")
    customer_jobs.import_customer_file(runtime, SAMPLES / "customers.csv")
    report = register_jobs.import_functions(runtime, FUNCTIONS / "functions.csv")
    assert len(report.reverified) == 5  # the five customers among the file's enterprises
    assert "customers checked again: 5" in report.lines()[0]
    with runtime.sessions() as session:
        changed = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "company.register_changed")
        ).all()
        assert len(changed) == 5 and all(e.details["register_extract_id"] for e in changed)
