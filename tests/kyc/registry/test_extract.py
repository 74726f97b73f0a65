"""An extract as it arrives: its files read (with how far), its meta, its sequence."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from kyc.registry.extract import ExtractFiles, ExtractMeta, sequence_problem
from kyc.store.models import RegisterExtract
from tests.kyc.registry.extracts import KBO


@pytest.mark.parametrize("packed", [False, True], ids=["folder", "zip"])
def test_reading_a_file_counts_its_bytes(tmp_path: Path, packed: bool) -> None:
    path = KBO
    if packed:
        path = tmp_path / "kbo.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for member in KBO.iterdir():
                archive.write(member, f"KboOpenData/{member.name}")
    files = ExtractFiles(path)
    try:
        size = files.size("enterprise")
        assert size == (KBO / "enterprise.csv").stat().st_size
        with files.open("enterprise") as handle:
            assert files.bytes_read() == 0
            text = handle.read()
        assert files.bytes_read() == size
        assert text.startswith('"EnterpriseNumber",')  # the byte-order mark, if any, is gone
    finally:
        files.close()


def _meta(number: int, kind: str = "update", snapshot: str = "31-10-2026") -> ExtractMeta:
    return ExtractMeta(kind, number, datetime.strptime(snapshot, "%d-%m-%Y").date(), "", "1")


def _state(number: int, snapshot: str = "31-10-2026") -> RegisterExtract:
    return RegisterExtract(
        extract_number=number, snapshot_date=datetime.strptime(snapshot, "%d-%m-%Y").date()
    )


@pytest.mark.parametrize(
    ("current", "meta", "problem"),
    [
        (None, _meta(1, "full"), None),
        (None, _meta(2), "UPDATE #2 needs the extract before it: the register is empty"),
        (_state(1), _meta(2, snapshot="30-11-2026"), None),
        (_state(1), _meta(2, "full", "30-11-2026"), None),
        (_state(1), _meta(1, "full"), None),  # the same month's FULL again: a reload
        (_state(2), _meta(2), "UPDATE #2 was already applied: the register holds #2"),
        (_state(2), _meta(4, snapshot="31-12-2026"), "UPDATE #4 skips #3: the register"),
        (_state(2), _meta(6, snapshot="31-12-2026"), "UPDATE #6 skips #3–#5: the register"),
        (_state(3), _meta(2), "UPDATE #2 (31-10-2026) is older than the register holds #3"),
        (_state(3), _meta(2, "full"), "FULL #2 (31-10-2026) is older than"),
        (_state(3, "30-11-2026"), _meta(4), "UPDATE #4 (31-10-2026) is older than"),
    ],
)
def test_extracts_must_come_in_kbo_sequence(
    current: RegisterExtract | None, meta: ExtractMeta, problem: str | None
) -> None:
    found = sequence_problem(current, meta)
    assert found == problem if problem is None else found is not None and found.startswith(problem)
