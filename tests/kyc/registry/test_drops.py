from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kyc.app import register as register_jobs
from kyc.app.runtime import Runtime
from kyc.registry.drops import plan_drop_imports
from tests.kyc.registry.extracts import BAD_ENTERPRISE_ROW, KBO, write_update


def _drop(folder: Path, name: str, kind: str, number: int, snapshot: str = "31-10-2026") -> Path:
    """An extract of which only meta.csv matters to the plan."""
    extract = folder / name
    extract.mkdir(parents=True)
    (extract / "meta.csv").write_text(
        '"Variable","Value"\n'
        f'"SnapshotDate","{snapshot}"\n"ExtractType","{kind}"\n"ExtractNumber","{number}"\n'
    )
    return extract


def _planned(folder: Path, current: int | None) -> list[str]:
    return [extract.path.name for extract in plan_drop_imports(folder, current).to_import]


def test_an_empty_register_starts_from_the_newest_full_and_follows_its_updates(
    tmp_path: Path,
) -> None:
    for number in (5, 7):
        _drop(tmp_path, f"full_{number}", "full", number)
    for number in (6, 8, 9, 11):
        _drop(tmp_path, f"update_{number}", "update", number)
    plan = plan_drop_imports(tmp_path, None)
    assert [e.path.name for e in plan.to_import] == ["full_7", "update_8", "update_9"]
    assert plan.waiting == ["update_11: UPDATE #11 waits for #10 (the register will hold #9)"]


UPDATES_8_TO_12 = [("update", n) for n in range(8, 13)]


@pytest.mark.parametrize(
    ("current", "drops", "planned"),
    [
        # the updates that come next, in order; older ones are already in
        (7, [("update", 6), ("full", 5), ("update", 9), ("update", 8)], ["update_8", "update_9"]),
        # a newer FULL beyond where the updates reach replaces them
        (7, [("update", 9), ("update", 10), ("full", 10)], ["full_10"]),
        # updates that reach further than the newer FULL are followed
        (7, [("full", 10), *UPDATES_8_TO_12], [f"update_{n}" for n in range(8, 13)]),
        # nothing follows
        (7, [("update", 7), ("full", 7), ("update", 9)], []),
        (None, [("update", 2)], []),
    ],
)  # fmt: skip
def test_the_plan_follows_kbo_s_sequence(
    tmp_path: Path, current: int | None, drops: list[tuple[str, int]], planned: list[str]
) -> None:
    for kind, number in drops:
        _drop(tmp_path, f"{kind}_{number}", kind, number)
    assert _planned(tmp_path, current) == planned


def test_of_two_files_with_one_number_the_later_snapshot_is_taken(tmp_path: Path) -> None:
    _drop(tmp_path, "a", "update", 8, "01-11-2026")
    _drop(tmp_path, "b", "update", 8, "02-11-2026")
    assert _planned(tmp_path, 7) == ["b"]


def test_zips_are_read_as_kbo_ships_them(tmp_path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(tmp_path / "KboOpenData_0001_2026_11_Full.zip", "w") as archive:
        for path in KBO.iterdir():
            archive.write(path, path.name)
    _drop(tmp_path, "KboOpenData_0002_2026_11_Update", "update", 2)
    assert _planned(tmp_path, None) == [
        "KboOpenData_0001_2026_11_Full.zip",
        "KboOpenData_0002_2026_11_Update",
    ]


def test_updates_without_a_full_wait_and_unreadable_files_are_named(tmp_path: Path) -> None:
    _drop(tmp_path, "update_2", "update", 2)
    (tmp_path / "broken.zip").write_bytes(b"not a zip")
    (tmp_path / "notes.txt").write_text("ignored")
    (tmp_path / "no_meta").mkdir()
    plan = plan_drop_imports(tmp_path, None)
    assert plan.to_import == []
    assert plan.waiting == ["update_2: UPDATE #2 waits for a FULL extract to apply to"]
    assert plan.unreadable == [f"{tmp_path / 'broken.zip'}: neither a folder nor a zip file"]


def test_a_drop_folder_is_imported_in_order_once(runtime: Runtime, tmp_path: Path) -> None:
    shutil.copytree(KBO, tmp_path / "full_1")
    write_update(tmp_path, 3, name="update_3")
    write_update(tmp_path, 2, name="update_2")
    done = register_jobs.import_register_drops(runtime, tmp_path)
    assert [r.meta.extract_number for r in done.reports] == [1, 2, 3]
    assert done.failure is None
    again = register_jobs.import_register_drops(runtime, tmp_path)
    assert again.reports == []
    assert again.lines() == [f"nothing to import from {tmp_path} (the register holds #3)"]


def test_a_failing_extract_stops_the_folder_and_keeps_those_before(
    runtime: Runtime, tmp_path: Path
) -> None:
    shutil.copytree(KBO, tmp_path / "full_1")
    write_update(tmp_path, 2, BAD_ENTERPRISE_ROW, name="update_2")  # 1 bad row in 1
    write_update(tmp_path, 3, name="update_3")
    done = register_jobs.import_register_drops(runtime, tmp_path)
    assert [r.meta.extract_number for r in done.reports] == [1]
    assert done.failure is not None and "enterprise_insert.csv" in done.failure
    assert done.lines()[-1].startswith("stopped: ")
    with runtime.sessions() as session:
        from kyc.registry.extract import latest_extract

        current = latest_extract(session)
        assert current is not None and current.extract_number == 1


def test_the_cli_imports_the_drop_folder(runtime: Runtime, tmp_path: Path) -> None:
    from kyc.cli import app

    drop = tmp_path / "drop"
    shutil.copytree(KBO, drop / "full_1")
    env = {
        "KYC_DATA_DIR": str(runtime.settings.data_dir),
        "KYC_DATABASE_URL": runtime.settings.effective_database_url,
        "KYC_REGISTER_DIR": str(drop),
    }
    first = CliRunner().invoke(app, ["registry", "import"], env=env)
    assert first.exit_code == 0, first.output
    assert "full extract #1" in first.output
    write_update(drop, 2, BAD_ENTERPRISE_ROW, name="update_2")
    second = CliRunner().invoke(app, ["registry", "import"], env=env)
    assert second.exit_code == 1
    assert "stopped: " in second.output
    forced = CliRunner().invoke(app, ["registry", "import", "--force"], env=env)
    assert forced.exit_code == 2 and "--force takes one extract" in forced.output
