from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from kyc import jobs
from kyc.jobs import Runtime
from kyc.registry.importer import RegisterImportError, entity_number
from kyc.store.models import KboAddress, KboCode, KboDenomination, KboEnterprise, RegisterExtract
from tests.conftest import SAMPLES, realdata

KBO = SAMPLES / "kbo"


def _count(runtime: Runtime, model: type) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _copy_sample(tmp_path: Path) -> Path:
    target = tmp_path / "extract"
    shutil.copytree(KBO, target)
    return target


def test_full_extract_from_folder(runtime: Runtime) -> None:
    report = jobs.import_register(runtime, KBO)
    assert report.created and report.meta.extract_type == "full"
    assert {r.name: r.loaded for r in report.files} == {
        "code.csv": 26,
        "enterprise.csv": 10,
        "denomination.csv": 12,
        "address.csv": 9,
    }
    with runtime.sessions() as session:
        acme = session.get_one(KboEnterprise, "0712345630")
        assert (acme.juridical_form, str(acme.start_date)) == ("610", "2011-05-03")
        assert (
            session.scalar(
                select(KboDenomination.denomination)
                .where(KboDenomination.entity_number == "0723456781")
                .where(KboDenomination.type_of_denomination == "002")
            )
            == "BdM"
        )


def test_zip_extract_and_idempotence(runtime: Runtime, tmp_path: Path) -> None:
    archive = tmp_path / "KboOpenData_0001_2026_11_Full.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in KBO.iterdir():
            zipped.write(path, path.name)
    assert jobs.import_register(runtime, archive).created
    assert not jobs.import_register(runtime, archive).created
    assert _count(runtime, RegisterExtract) == 1
    assert _count(runtime, KboEnterprise) == 10


def _write_update(tmp_path: Path) -> Path:
    update = tmp_path / "update"
    update.mkdir()
    shutil.copy(KBO / "code.csv", update / "code.csv")
    (update / "meta.csv").write_text(
        (KBO / "meta.csv").read_text().replace('"full"', '"update"').replace('"1"', '"2"')
    )
    (update / "enterprise_delete.csv").write_text('"EnterpriseNumber"\n"0756.789.050"\n')
    (update / "enterprise_insert.csv").write_text(
        '"EnterpriseNumber","Status","JuridicalSituation","TypeOfEnterprise","JuridicalForm",'
        '"JuridicalFormCAC","StartDate"\n"0756.789.050","AC","000","2","610",,12-11-2008\n'
    )
    (update / "denomination_delete.csv").write_text('"EntityNumber"\n"0712.345.630"\n')
    (update / "denomination_insert.csv").write_text(
        '"EntityNumber","Language","TypeOfDenomination","Denomination"\n'
        '"0712.345.630","2","001","ACME Logistics Group"\n'
        '"0712.345.630","2","002","ACME"\n'
    )
    return update


def test_update_deletes_then_inserts(runtime: Runtime, tmp_path: Path) -> None:
    jobs.import_register(runtime, KBO)
    report = jobs.import_register(runtime, _write_update(tmp_path))
    assert report.meta.extract_type == "update"
    with runtime.sessions() as session:
        assert session.get_one(KboEnterprise, "0756789050").juridical_situation == "000"
        names = session.scalars(
            select(KboDenomination.denomination).where(
                KboDenomination.entity_number == "0712345630"
            )
        )
        assert sorted(names) == ["ACME", "ACME Logistics Group"]
    assert _count(runtime, KboEnterprise) == 10


def test_malformed_rows_are_reported_with_line_numbers(runtime: Runtime, tmp_path: Path) -> None:
    extract = _copy_sample(tmp_path)
    with (extract / "enterprise.csv").open("a") as handle:
        handle.write('"0712.345.631","AC","000","2","610",,01-01-2020\n')  # checksum
        handle.write('"0778.901.288","AC","000","2","610",,31-02-2020\n')  # date
        handle.write('"0734.567.835","AC"\n')  # columns
    runtime.settings.register_max_bad_row_share = 0.5
    report = jobs.import_register(runtime, extract)
    enterprise = next(r for r in report.files if r.name == "enterprise.csv")
    assert enterprise.loaded == 10 and enterprise.bad_rows == 3
    assert enterprise.examples[0].startswith("line 12: entity number '0712.345.631'")
    assert "line 13: date '31-02-2020'" in enterprise.examples[1]
    assert enterprise.examples[2] == "line 14: 2 columns instead of 7"


def test_too_many_bad_rows_stop_and_keep_the_register(runtime: Runtime, tmp_path: Path) -> None:
    jobs.import_register(runtime, KBO)
    extract = _copy_sample(tmp_path)
    (extract / "meta.csv").write_text((KBO / "meta.csv").read_text().replace('"1"', '"2"'))
    with (extract / "enterprise.csv").open() as handle:
        rows = list(csv.reader(handle))
    with (extract / "enterprise.csv").open("w", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(rows[0])
        writer.writerows([[r[0][:-1] + "9", *r[1:]] for r in rows[1:]])
    with pytest.raises(RegisterImportError, match="enterprise.csv: 10 of 10 rows are malformed"):
        jobs.import_register(runtime, extract)
    assert _count(runtime, KboEnterprise) == 10
    assert _count(runtime, RegisterExtract) == 1


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda d: (d / "meta.csv").unlink(), "meta.csv is missing"),
        (lambda d: (d / "denomination.csv").unlink(), "missing files: denomination.csv"),
        (
            lambda d: (d / "address.csv").write_text('"EntityNumber","Street"\n'),
            "address.csv: header",
        ),
        (
            lambda d: (d / "meta.csv").write_text('"Variable","Value"\n"ExtractType","weekly"\n'),
            "meta.csv is invalid",
        ),
    ],
)
def test_unusable_extracts_are_refused(
    runtime: Runtime, tmp_path: Path, damage, reason: str
) -> None:
    extract = _copy_sample(tmp_path)
    damage(extract)
    with pytest.raises(RegisterImportError, match=reason):
        jobs.import_register(runtime, extract)
    assert _count(runtime, KboEnterprise) == 0


def test_not_an_extract(runtime: Runtime, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(RegisterImportError, match="neither a folder nor a zip"):
        jobs.import_register(runtime, text)


def test_entity_numbers_of_both_kinds() -> None:
    assert entity_number("0200.065.765") == "0200065765"
    assert entity_number("2.190.171.611") == "2190171611"


@pytest.mark.realdata
def test_real_partial_full_extract_127(runtime: Runtime) -> None:
    path = realdata("kbo/full_0127_partial")
    with pytest.raises(RegisterImportError, match="missing files: denomination.csv"):
        jobs.import_register(runtime, path)
    report = jobs.import_register(runtime, path, allow_partial=True)
    assert report.meta.extract_number == 127
    assert _count(runtime, KboEnterprise) == 9999
    assert _count(runtime, KboAddress) == 9999
    assert _count(runtime, KboCode) == 14948
    assert sum(r.bad_rows for r in report.files) == 0


@pytest.mark.realdata
def test_real_update_147_on_a_seeded_register(runtime: Runtime) -> None:
    path = realdata("kbo/update_0147")
    keys = (path / "enterprise_delete.csv").read_text().split()[1:]
    inserts = len((path / "enterprise_insert.csv").read_text().splitlines()) - 1
    with runtime.sessions() as session, session.begin():
        session.execute(
            insert(KboEnterprise),
            [
                {
                    "enterprise_number": entity_number(key.strip('"')),
                    "status": "AC",
                    "juridical_situation": "000",
                    "type_of_enterprise": "2",
                }
                for key in keys
            ],
        )
    report = jobs.import_register(runtime, path)
    enterprise_files = {r.name: r for r in report.files if r.name.startswith("enterprise")}
    assert enterprise_files["enterprise_delete.csv"].deleted_keys == len(keys)
    seeded, matched_deletes = len(keys), len(keys)
    assert _count(runtime, KboEnterprise) == seeded - matched_deletes + inserts
    assert _count(runtime, KboCode) == 21500
