from __future__ import annotations

import csv
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from kyc.app import customers as customer_jobs
from kyc.app import register as register_jobs
from kyc.app.runtime import Runtime
from kyc.registry.extract import (
    ExtractMeta,
    RegisterImportError,
    latest_extract,
    sequence_problem,
)
from kyc.registry.tables import TABLES, TableSpec
from kyc.store.models import (
    AuditEvent,
    KboAddress,
    KboBranch,
    KboCode,
    KboDenomination,
    KboEnterprise,
    RegisterExtract,
    RegisterRecheck,
)
from tests.conftest import SAMPLES, realdata
from tests.kyc.registry.extracts import KBO, copy_sample, write_update


def _count(runtime: Runtime, model: type) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_full_extract_from_folder(runtime: Runtime) -> None:
    report = register_jobs.import_register(runtime, KBO)
    assert report.created and report.meta.extract_type == "full"
    assert {r.name: r.loaded for r in report.files} == {
        "code.csv": 46,
        "enterprise.csv": 10,
        "establishment.csv": 5,
        "denomination.csv": 12,
        "address.csv": 9,
        "contact.csv": 3,
        "branch.csv": 1,
    }
    assert report.skipped_files == ["activity.csv"] and not report.missing_files
    assert report.quality is not None and not report.quality.findings
    with runtime.sessions() as session:
        extract = session.scalars(select(RegisterExtract)).one()
        assert extract.quality is not None and extract.quality["errors"] == 0
        assert extract.report_file and "kbo_enterprises" in Path(extract.report_file).read_text()
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
    assert register_jobs.import_register(runtime, archive).created
    assert not register_jobs.import_register(runtime, archive).created
    assert _count(runtime, RegisterExtract) == 1
    assert _count(runtime, KboEnterprise) == 10


def test_update_deletes_then_inserts(runtime: Runtime, tmp_path: Path) -> None:
    register_jobs.import_register(runtime, KBO)
    report = register_jobs.import_register(runtime, write_update(tmp_path))
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
    extract = copy_sample(tmp_path)
    with (extract / "enterprise.csv").open("a") as handle:
        handle.write('"0712.345.631","AC","000","2","610",,01-01-2020\n')  # checksum
        handle.write('"0778.901.288","AC","000","2","610",,31-02-2020\n')  # date
        handle.write('"0734.567.835","AC"\n')  # columns
    runtime.settings.register_max_bad_row_share = 0.5
    report = register_jobs.import_register(runtime, extract)
    enterprise = next(r for r in report.files if r.name == "enterprise.csv")
    assert enterprise.loaded == 10 and enterprise.bad_rows == 3
    assert enterprise.examples[0].startswith("line 12: entity number '0712.345.631'")
    assert "line 13: date '31-02-2020'" in enterprise.examples[1]
    assert enterprise.examples[2] == "line 14: 2 columns instead of 7"


def test_too_many_bad_rows_stop_and_keep_the_register(runtime: Runtime, tmp_path: Path) -> None:
    register_jobs.import_register(runtime, KBO)
    extract = copy_sample(tmp_path)
    (extract / "meta.csv").write_text((KBO / "meta.csv").read_text().replace('"1"', '"2"'))
    with (extract / "enterprise.csv").open() as handle:
        rows = list(csv.reader(handle))
    with (extract / "enterprise.csv").open("w", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(rows[0])
        writer.writerows([[r[0][:-1] + "9", *r[1:]] for r in rows[1:]])
    with pytest.raises(RegisterImportError, match="enterprise.csv: 10 of 10 rows are malformed"):
        register_jobs.import_register(runtime, extract)
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
    extract = copy_sample(tmp_path)
    damage(extract)
    with pytest.raises(RegisterImportError, match=reason):
        register_jobs.import_register(runtime, extract)
    assert _count(runtime, KboEnterprise) == 0


def test_not_an_extract(runtime: Runtime, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(RegisterImportError, match="neither a folder nor a zip"):
        register_jobs.import_register(runtime, text)


@pytest.mark.realdata
def test_real_partial_full_extract_127(runtime: Runtime) -> None:
    path = realdata("kbo/full_0127_partial")
    with pytest.raises(
        RegisterImportError, match="missing files: establishment.csv, denomination.csv, contact.csv"
    ):
        register_jobs.import_register(runtime, path)
    assert _count(runtime, RegisterExtract) == 0
    report = register_jobs.import_register(runtime, path, allow_partial=True)
    assert report.meta.extract_number == 127
    assert report.missing_files == ["establishment.csv", "denomination.csv", "contact.csv"]
    assert "missing from this extract" in "\n".join(report.lines())
    assert _count(runtime, KboEnterprise) == 9999
    assert _count(runtime, KboAddress) == 9999
    assert _count(runtime, KboBranch) == 7355
    assert _count(runtime, KboCode) == 14948
    assert sum(r.bad_rows for r in report.files) == 0
    # Most branches belong to enterprises outside the excerpt: a warning, not an error.
    assert report.quality is not None and report.quality.errors == 0
    [warning] = report.quality.findings
    assert warning.table == "kbo_branches" and warning.severity == "warning"
    assert "not in the register" in warning.message


# Rows the seeded register holds besides those of the update's delete keys: they stay.
_KEPT = {"entity_number": "0200.065.765", "establishment_number": "2.100.000.114"}


def _seed_row(spec: TableSpec, key: str) -> dict[str, object]:
    defaults: dict[str, dict[str, object]] = {
        "enterprise": {"status": "AC", "juridical_situation": "000", "type_of_enterprise": "2"},
        "establishment": {"enterprise_number": "0200065765"},
        "denomination": {"language": "2", "type_of_denomination": "001", "denomination": "x"},
        "address": {"type_of_address": "REGO"},
        "contact": {"entity_contact": "ENT", "contact_type": "WEB", "value": "x"},
        "activity": {
            "activity_group": "001",
            "nace_version": "2008",
            "nace_code": "62010",
            "classification": "MAIN",
        },
        "branch": {"enterprise_number": "0200065765"},
    }
    return {spec.key_attribute: spec.key(key), **defaults[spec.name]}


@pytest.mark.realdata
def test_real_update_147_on_a_seeded_register(runtime: Runtime) -> None:
    path = realdata("kbo/update_0147")
    runtime.settings.register_activities = True
    expected, seeded_keys = {}, {}
    with runtime.sessions() as session, session.begin():
        for spec in TABLES:
            with (path / f"{spec.name}_delete.csv").open(newline="") as handle:
                keys = [row[0] for row in list(csv.reader(handle))[1:]]
            kept = _KEPT.get(spec.key_attribute, _KEPT["entity_number"])
            if spec.name == "branch":
                kept = "9.000.000.101"
            session.execute(insert(spec.model), [_seed_row(spec, k) for k in [*keys, kept]])
            with (path / f"{spec.name}_insert.csv").open(newline="") as handle:
                inserts = len(list(csv.reader(handle))) - 1
            # Seeded, less the delete keys' rows (one each), plus the inserts.
            expected[spec.name] = len(keys) + 1 - len(keys) + inserts
            seeded_keys[f"{spec.name}_delete.csv"] = len(keys)
    with pytest.raises(RegisterImportError, match="needs the extract before it"):
        register_jobs.import_register(runtime, path)
    report = register_jobs.import_register(runtime, path, force=True)
    assert report.forced and "register is empty" in report.forced
    assert sum(r.bad_rows for r in report.files) == 0
    deleted = {r.name: r.deleted_rows for r in report.files if r.name.endswith("_delete.csv")}
    assert deleted == seeded_keys  # each seeded row of a delete key, and no other
    for spec in TABLES:
        assert _count(runtime, spec.model) == expected[spec.name], spec.name
    assert _count(runtime, KboCode) == 21500
    with runtime.sessions() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "register.imported")
        ).one()
        assert event.outcome == "imported, sequence rule overridden"
        assert "register is empty" in event.details["forced"]


def test_an_update_that_skips_one_is_refused_unless_forced(
    runtime: Runtime, tmp_path: Path
) -> None:
    register_jobs.import_register(runtime, KBO)
    update = write_update(tmp_path)
    (update / "meta.csv").write_text((update / "meta.csv").read_text().replace('"2"', '"3"'))
    with pytest.raises(RegisterImportError, match=r"UPDATE #3 skips #2.*--force"):
        register_jobs.import_register(runtime, update)
    assert _count(runtime, RegisterExtract) == 1
    report = register_jobs.import_register(runtime, update, force=True)
    assert report.forced is not None and report.forced.startswith("UPDATE #3 skips #2")
    assert "forced: UPDATE #3 skips #2" in "\n".join(report.lines())
    # The register's state is now #3: #4 follows it.
    with runtime.sessions() as session:
        assert (
            sequence_problem(
                latest_extract(session), ExtractMeta("update", 4, date(2026, 11, 30), "", "1")
            )
            is None
        )


def test_an_update_row_that_clashes_is_refused_and_changes_nothing(
    runtime: Runtime, tmp_path: Path
) -> None:
    register_jobs.import_register(runtime, KBO)
    update = write_update(tmp_path)
    (update / "enterprise_delete.csv").write_text('"EnterpriseNumber"\n')  # forgot the key
    with pytest.raises(RegisterImportError, match="enterprise_insert.csv: a row clashes"):
        register_jobs.import_register(runtime, update)
    assert _count(runtime, RegisterExtract) == 1
    with runtime.sessions() as session:
        names = session.scalars(
            select(KboDenomination.denomination).where(
                KboDenomination.entity_number == "0712345630"
            )
        )
        assert "ACME Logistics Group" not in list(names)  # the update's deletes undone too


def test_customers_of_enterprises_an_update_changed_are_checked_again(
    runtime: Runtime, tmp_path: Path
) -> None:
    first = register_jobs.import_register(runtime, KBO)
    customer_jobs.import_customer_file(runtime, SAMPLES / "customers.csv")
    assert first.extract_id is not None
    # Checked once on the FULL: 0756.789.050 is bankrupt there.
    [before], _ = register_jobs.reverify_companies(runtime, ["0756789050"], first.extract_id)
    assert before.endswith("unchecked → needs_review")
    report = register_jobs.import_register(runtime, write_update(tmp_path))
    assert report.touched == {"0756789050", "0712345630"}
    assert sorted(line.split(": ")[1] for line in report.reverified) == [
        "needs_review → verified",  # the update ends the bankruptcy
        "unchecked → verified",
    ]
    assert "2 enterprises changed; customers checked again: 2" in "\n".join(report.lines())
    with runtime.sessions() as session:
        events = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "company.register_changed")
            .order_by(AuditEvent.seq)
        ).all()
        changed = next(e for e in events if e.details["previous_verdict"] == "needs_review")
        assert changed.details["register_extract_id"] == report.extract_id
        assert "register.situation_not_normal" in changed.details["findings_removed"]
        assert "register.situation_normal" in changed.details["findings_added"]


def test_a_deployment_leaves_the_checks_to_the_extracts_event(
    runtime: Runtime, tmp_path: Path
) -> None:
    """Imported without checking again (the deployment), the changed customers wait
    with the extract, and are checked when its event starts recheck_extract: once,
    however often it is asked."""
    register_jobs.import_register(runtime, KBO)
    customer_jobs.import_customer_file(runtime, SAMPLES / "customers.csv")
    report = register_jobs.import_register(runtime, write_update(tmp_path), recheck=False)
    assert report.extract_id is not None and report.reverified == []
    with runtime.readers() as session:
        waiting = session.scalars(
            select(RegisterRecheck.enterprise_number).where(
                RegisterRecheck.extract_id == report.extract_id
            )
        ).all()
    assert sorted(waiting) == ["0712345630", "0756789050"]
    companies, _mandates = register_jobs.recheck_extract(runtime, report.extract_id)
    assert [line.split(": ")[1] for line in companies] == ["unchecked → verified"] * 2
    assert register_jobs.recheck_extract(runtime, report.extract_id) == ([], [])
    assert _count(runtime, RegisterRecheck) == 0


def test_an_establishment_change_counts_as_its_enterprise_change(
    runtime: Runtime, tmp_path: Path
) -> None:
    register_jobs.import_register(runtime, KBO)
    update = write_update(tmp_path)
    for name in ("enterprise", "denomination"):
        (update / f"{name}_delete.csv").unlink()
        (update / f"{name}_insert.csv").unlink()
    # 2.100.000.411 (of 0745.678.986) closes; 2.100.000.213 (of 0712.345.630) gets a
    # new phone number, its contact row deleted and inserted again.
    (update / "establishment_delete.csv").write_text('"EstablishmentNumber"\n"2.100.000.411"\n')
    (update / "contact_delete.csv").write_text('"EntityNumber"\n"2.100.000.213"\n')
    (update / "contact_insert.csv").write_text(
        '"EntityNumber","EntityContact","ContactType","Value"\n'
        '"2.100.000.213","EST","TEL","03 765 43 21"\n'
    )
    report = register_jobs.import_register(runtime, update)
    assert report.touched == {"0745678986", "0712345630"}
