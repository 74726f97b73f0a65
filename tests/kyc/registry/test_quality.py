from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from kyc.app import register as register_jobs
from kyc.app.runtime import Runtime
from kyc.store.models import AuditEvent, RegisterExtract
from tests.kyc.registry.extracts import copy_sample, write_update


def test_a_code_the_code_table_lacks_is_a_quality_error(runtime: Runtime, tmp_path: Path) -> None:
    extract = copy_sample(tmp_path)
    text = (extract / "enterprise.csv").read_text()
    (extract / "enterprise.csv").write_text(text.replace('"AC","012"', '"AC","999"'))
    report = register_jobs.import_register(runtime, extract)
    assert report.created and report.quality is not None
    assert [(f.table, f.severity) for f in report.quality.findings] == [
        ("kbo_enterprises", "error")
    ]
    assert "juridical_situation is not a JuridicalSituation code" in "\n".join(report.lines())
    with runtime.sessions() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "register.quality_checked")
        ).one()
        assert event.outcome == "1 errors, 0 warnings"


def test_an_update_is_checked_on_the_rows_it_changed_only(runtime: Runtime, tmp_path: Path) -> None:
    extract = copy_sample(tmp_path)
    text = (extract / "enterprise.csv").read_text()
    (extract / "enterprise.csv").write_text(text.replace('"AC","012"', '"AC","999"'))
    full = register_jobs.import_register(runtime, extract)
    assert full.quality is not None and full.quality.errors == 1  # 0711.122.242's code
    update = register_jobs.import_register(runtime, write_update(tmp_path))
    assert update.quality is not None and not update.quality.findings
    assert update.quality.reports[0].evaluated > 0  # the changed rows were checked


def test_the_report_lies_next_to_the_register_version(runtime: Runtime, tmp_path: Path) -> None:
    extract = copy_sample(tmp_path)
    text = (extract / "enterprise.csv").read_text()
    (extract / "enterprise.csv").write_text(text.replace('"AC","012"', '"AC","999"'))
    report = register_jobs.import_register(runtime, extract)
    index = runtime.settings.data_dir / "register" / f"{report.extract_id}.quality.html"
    with runtime.sessions() as session:
        assert session.get_one(RegisterExtract, report.extract_id).report_file == str(index)
    page = index.read_text()
    assert page.startswith("<!DOCTYPE html>") and page.count("<html") == 1
    assert "<li><b>error</b> kbo_enterprises: a juridical_situation is not a" in page
    tables = sorted(p.name for p in (index.parent / f"{report.extract_id}.quality").iterdir())
    assert "kbo_enterprises.html" in tables and len(tables) == page.count("<tr><td><a href=")
    assert f'href="{report.extract_id}.quality/kbo_enterprises.html"' in page
    assert "<html" in (index.parent / f"{report.extract_id}.quality" / tables[0]).read_text()
