"""The batch contract, exactly as outside benchmarks drive it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from kyc.app import lists as list_jobs
from kyc.app import screening as screening_jobs
from kyc.app.runtime import Runtime
from kyc.batch import OUTPUT_COLUMNS, BatchInputError
from tests.conftest import SAMPLES

CONTRACT_HEADER = ["subject_id", "source", "entry_id", "entry_name", "score", "band"]


@pytest.fixture
def lists(runtime: Runtime) -> Runtime:
    list_jobs.refresh_lists(runtime, from_dir=SAMPLES / "lists")
    return runtime


def _run(runtime: Runtime, path: Path, out: Path, threshold: float = 0.86):
    return screening_jobs.screen_batch_file(runtime, path, out, threshold=threshold)


def test_sample_batch_follows_the_contract(lists: Runtime, tmp_path: Path) -> None:
    out = tmp_path / "hits.csv"
    summary = _run(lists, SAMPLES / "screen_batch.csv", out)
    with out.open(newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames is not None
        assert reader.fieldnames[:6] == CONTRACT_HEADER
        rows = list(reader)
    assert summary.rows == 6 and summary.hits == len(rows)
    found = {(r["subject_id"], r["source"], r["entry_id"]) for r in rows}
    assert {("S1", "eu", "900001"), ("S2", "eu", "900001"), ("S3", "eu", "900003")} <= found
    assert ("S5", "un", "QDi.901") in found and ("S5", "eu", "900005") in found
    assert not any(r["subject_id"] == "S4" for r in rows)
    assert len(found) == len(rows)  # one row per (subject, entry)
    for row in rows:
        assert 0.0 <= float(row["score"]) <= 1.0
        assert row["band"] == "review"
        assert json.loads(row["explanation"])["features"]


def test_written_scores_compare_exactly_with_the_threshold(lists: Runtime, tmp_path: Path) -> None:
    out = tmp_path / "hits.csv"
    _run(lists, SAMPLES / "screen_batch.csv", out, threshold=0.0)
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    threshold = sorted(float(r["score"]) for r in rows)[len(rows) // 2]
    out_at = tmp_path / "at.csv"
    _run(lists, SAMPLES / "screen_batch.csv", out_at, threshold=threshold)
    with out_at.open(newline="") as handle:
        kept = list(csv.DictReader(handle))
    assert len(kept) == sum(1 for r in rows if float(r["score"]) >= threshold)


def test_optional_fields_may_be_empty_and_columns_may_be_few(
    lists: Runtime, tmp_path: Path
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "id,name,kind\n1,Viktor Sokolov,person\n2,Baltic Star Shipping,organization\n"
    )
    assert _run(lists, source, tmp_path / "out.csv").hits == 2


def test_blank_lines_are_no_rows_and_columns_may_come_in_any_order(
    lists: Runtime, tmp_path: Path
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("kind,name,id\nperson,Viktor Sokolov,1\n\norganization,Nobody Known,2\n")
    summary = _run(lists, source, tmp_path / "out.csv")
    assert summary.rows == 2 and summary.hits == 1
    assert "1,eu,900001" in (tmp_path / "out.csv").read_text()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id,name\n1,x\n", "missing columns: kind"),
        ("id,name,kind\n1,Jan,company\n", "line 2 .*kind 'company' is not person or organization"),
        ("id,name,kind,birth_date\n1,Jan,person,12-03-1970\n", "line 2 .*birth_date"),
        ("id,name,kind\n,Jan,person\n", "line 2: id is empty"),
        ("id,name,kind\n1,,person\n", "line 2 .*name is empty"),
        ("id,name,kind\n1,Jan,person,extra\n", "line 2: more values than columns"),
    ],
)
def test_bad_input_is_refused_before_anything_is_written(
    lists: Runtime, tmp_path: Path, content: str, message: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "id,name,kind\n" + "9,Viktor Sokolov,person\n" * 3 + content.split("\n", 1)[1]
        if content.startswith("id,name,kind\n")
        else content
    )
    out = tmp_path / "out.csv"
    with pytest.raises(BatchInputError, match=message.replace("line 2", "line [0-9]+")):
        _run(lists, source, out)
    assert not out.exists()
    assert not list(tmp_path.glob(".partial-*"))


def test_output_columns_start_with_the_contract() -> None:
    assert list(OUTPUT_COLUMNS[:6]) == CONTRACT_HEADER


def test_a_second_batch_reads_the_built_matcher_back(
    lists: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    _run(lists, SAMPLES / "screen_batch.csv", first)

    def entries_read(*_args: object) -> None:
        raise AssertionError("the lists were read again")

    monkeypatch.setattr("kyc.screening_context.load_lists", entries_read)
    _run(lists, SAMPLES / "screen_batch.csv", second)
    assert second.read_text() == first.read_text()
    assert list((lists.settings.data_dir / "cache" / "matchers").glob("*.pickle"))
