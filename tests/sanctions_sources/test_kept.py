"""Kept files are written whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctions_sources.kept import write_kept_file


def test_a_kept_file_is_replaced_whole(tmp_path: Path) -> None:
    write_kept_file(tmp_path / "un", "a.xml", b"first")
    path = write_kept_file(tmp_path / "un", "a.xml", b"second")
    assert path.read_bytes() == b"second"
    assert [p.name for p in path.parent.iterdir()] == ["a.xml"]


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_room(_source: str, _target: Path) -> None:
        raise OSError("no space left on device")

    monkeypatch.setattr("sanctions_sources.kept.os.replace", no_room)
    with pytest.raises(OSError, match="no space"):
        write_kept_file(tmp_path, "a.xml", b"body")
    assert list(tmp_path.iterdir()) == []
