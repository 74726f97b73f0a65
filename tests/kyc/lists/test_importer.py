"""Importing list files through the quality gates."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kyc.app import lists as list_jobs
from kyc.app import rescreen as rescreen_jobs
from kyc.app.runtime import Runtime
from kyc.lists import ActivationRefused, ListHeld, ListRejected, active_versions, load_entries
from kyc.settings import DEFAULT_ENTRY_RANGES
from kyc.store.models import AuditEvent, ListEntryRow, ListVersion
from sanctions_sources.base import ListFormatError
from sanctions_sources.registry import UnknownSource
from tests.conftest import SAMPLES, realdata

EU_SAMPLE = SAMPLES / "lists" / "eu_sample.xml"
UN_SAMPLE = SAMPLES / "lists" / "un_sample.xml"


def _count(runtime: Runtime, model: type) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _active(runtime: Runtime, source: str) -> ListVersion | None:
    with runtime.sessions() as session:
        return active_versions(session).get(source)


def _last_activation(runtime: Runtime) -> AuditEvent | None:
    with runtime.sessions() as session:
        return session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "list.activated")
            .order_by(AuditEvent.seq.desc())
        ).first()


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _newer(text: str, day: int = 20) -> str:
    """The UN sample, published on another day of November 2026."""
    return text.replace("2026-11-19T00:00:05.123Z", f"2026-11-{day:02d}T00:00:05.123Z")


def test_import_stores_keeps_checks_and_activates(runtime: Runtime) -> None:
    result = list_jobs.import_list(runtime, "eu", EU_SAMPLE)
    assert result.created and result.entry_count == 5
    assert result.change_set is not None and result.change_set.added == 5
    kept = runtime.settings.raw_lists_dir / "eu"
    assert (kept / f"{result.sha256}.xml").read_bytes() == EU_SAMPLE.read_bytes()
    page = (kept / f"{result.sha256}.quality.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and page.count("<html") == 1  # one document
    assert page.count("<iframe") == 2 and 'srcdoc="&lt;' in page  # with GX's two pages
    with runtime.sessions() as session:
        version = session.get_one(ListVersion, result.version_id)
        assert (version.status, version.quality["passed"]) == ("accepted", True)
        assert version.quality["dates_checked"] > 0
        assert active_versions(session)["eu"].id == result.version_id
        assert {e.entry_id for e in load_entries(session, version.id)} == {
            "900001",
            "900002",
            "900003",
            "900004",
            "900005",
        }


def test_same_bytes_twice_is_a_no_op(runtime: Runtime, tmp_path: Path) -> None:
    first = list_jobs.import_list(runtime, "un", UN_SAMPLE)
    before = (_count(runtime, ListVersion), _count(runtime, AuditEvent))
    copy = tmp_path / "un_copy.xml"
    shutil.copy(UN_SAMPLE, copy)
    again = list_jobs.import_list(runtime, "un", copy)
    assert not again.created and again.version_id == first.version_id
    assert (_count(runtime, ListVersion), _count(runtime, AuditEvent)) == before


BAD_FILES = {
    "truncated": (lambda t: t[: len(t) // 3], "malformed XML"),
    "empty": (lambda t: "", "malformed XML"),
    "html": (
        lambda t: "<html><body>503 Service Unavailable</body></html>",
        "root element is <html>",
    ),
    "duplicate-ids": (
        lambda t: _newer(t).replace("<REFERENCE_NUMBER>KPi.901", "<REFERENCE_NUMBER>QDi.901"),
        "an entry identifier appears more than once (2: QDi.901, QDi.901)",
    ),
    "bad-date": (
        lambda t: _newer(t).replace("<LISTED_ON>2017-06-02", "<LISTED_ON>2017-02-30"),
        "a date does not parse (1: KPi.901 LISTED_ON='2017-02-30')",
    ),
    "bad-id": (
        lambda t: _newer(t).replace("<REFERENCE_NUMBER>KPi.901", "<REFERENCE_NUMBER>KP 901"),
        "an entry identifier does not look like",
    ),
    "entity-expansion": (
        lambda t: (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
            '<CONSOLIDATED_LIST dateGenerated="2026-11-20">&a;</CONSOLIDATED_LIST>'
        ),
        "forbidden XML construct",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_file_is_rejected_and_changes_nothing_else(
    runtime: Runtime, tmp_path: Path, case: str
) -> None:
    damage, reason = BAD_FILES[case]
    good = list_jobs.import_list(runtime, "un", UN_SAMPLE)
    entries = _count(runtime, ListEntryRow)
    bad = _write(tmp_path, "un_bad.xml", damage(UN_SAMPLE.read_text()))
    with pytest.raises(
        ListRejected, match=r"un list version \d+ \(un_bad.xml\) rejected: "
    ) as raised:
        list_jobs.import_list(runtime, "un", bad)
    assert reason in str(raised.value)
    assert _count(runtime, ListEntryRow) == entries
    assert _active(runtime, "un").id == good.version_id  # type: ignore[union-attr]
    with runtime.sessions() as session:
        rejected = session.get_one(ListVersion, raised.value.version_id)
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "list.rejected")
        ).one()
    assert rejected.status == "rejected" and reason in (rejected.status_reason or "")
    assert event.subject_ref == f"list:un:{rejected.id}"
    with pytest.raises(ListRejected):  # the same bytes again: the same answer, no new row
        list_jobs.import_list(runtime, "un", bad)
    assert _count(runtime, ListVersion) == 2


def test_implausible_size_is_rejected(runtime: Runtime) -> None:
    runtime.settings.list_entry_ranges = {**runtime.settings.list_entry_ranges, "eu": (100, 1000)}
    with pytest.raises(ListRejected, match="outside the plausible range 100–1000"):
        list_jobs.import_list(runtime, "eu", EU_SAMPLE)
    assert _active(runtime, "eu") is None


def test_older_file_is_held_until_a_person_activates_it(runtime: Runtime, tmp_path: Path) -> None:
    newer = list_jobs.import_list(
        runtime, "un", _write(tmp_path, "un_new.xml", _newer(UN_SAMPLE.read_text(), 21))
    )
    with pytest.raises(ListHeld, match=r"held: published 2026-11-19 00:00 UTC, before the active"):
        list_jobs.import_list(runtime, "un", UN_SAMPLE)
    assert _active(runtime, "un").id == newer.version_id  # type: ignore[union-attr]
    with runtime.sessions() as session:
        held = session.scalars(select(ListVersion).where(ListVersion.status == "held")).one()
    change_set, _run = list_jobs.activate_version(
        runtime, held.id, "rollback: the newer file was wrong"
    )
    assert _active(runtime, "un").id == held.id  # type: ignore[union-attr]
    assert (change_set.added, change_set.removed, change_set.changed) == (0, 0, 0)
    event = _last_activation(runtime)
    assert event is not None and event.details["reason"] == "rollback: the newer file was wrong"


def test_forcing_an_older_file_needs_and_records_a_reason(runtime: Runtime, tmp_path: Path) -> None:
    list_jobs.import_list(
        runtime, "un", _write(tmp_path, "un_new.xml", _newer(UN_SAMPLE.read_text(), 21))
    )
    forced = list_jobs.import_list(runtime, "un", UN_SAMPLE, force_reason="publisher re-issued it")
    assert _active(runtime, "un").id == forced.version_id  # type: ignore[union-attr]
    event = _last_activation(runtime)
    assert event is not None and event.details["reason"].startswith(
        "forced: publisher re-issued it"
    )


def test_a_much_smaller_version_is_held(runtime: Runtime, tmp_path: Path) -> None:
    list_jobs.import_list(runtime, "un", UN_SAMPLE)
    text = _newer(UN_SAMPLE.read_text())
    start, end = text.index("<ENTITIES>"), text.index("</ENTITIES>") + len("</ENTITIES>")
    smaller = _write(tmp_path, "un_small.xml", text[:start] + "<ENTITIES/>" + text[end:])
    with pytest.raises(ListHeld, match="3 entries, 25% fewer than the active version"):
        list_jobs.import_list(runtime, "un", smaller)


def test_rejected_versions_can_never_be_activated(runtime: Runtime, tmp_path: Path) -> None:
    bad = _write(tmp_path, "un_bad.xml", "<CONSOLIDATED_LIST>")
    with pytest.raises(ListRejected) as raised:
        list_jobs.import_list(runtime, "un", bad)
    with pytest.raises(ActivationRefused, match="can never be active"):
        list_jobs.activate_version(runtime, raised.value.version_id, "please")


def test_unknown_source_is_named(runtime: Runtime) -> None:
    with pytest.raises(UnknownSource, match="unknown sanctions source 'ofax'"):
        list_jobs.import_list(runtime, "ofax", UN_SAMPLE)


def test_unreadable_path(runtime: Runtime, tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="missing.xml: no such file or directory"):
        list_jobs.import_list(runtime, "un", tmp_path / "missing.xml")


def test_refresh_from_directory_activates_and_screens(loaded: Runtime) -> None:
    report = list_jobs.refresh_lists(loaded, from_dir=SAMPLES / "lists")
    assert [r.summary() for r in report.results][0].startswith("eu: version 1 already imported")
    assert report.refusals == [] and report.delta_runs == []


@pytest.mark.realdata
def test_real_un_list_passes_the_gates_with_default_ranges(runtime: Runtime) -> None:
    runtime.settings.list_entry_ranges = dict(DEFAULT_ENTRY_RANGES)
    path = realdata("un/UN_consolidated_2026-02-27.xml")
    result = list_jobs.import_list(runtime, "un", path)
    assert result.entry_count == 1003
    with runtime.sessions() as session:
        version = session.get_one(ListVersion, result.version_id)
    root = ET.parse(path).getroot()
    written = [e.text for e in root.iter("LISTED_ON")] + [
        e.text
        for dob in root.iter("INDIVIDUAL_DATE_OF_BIRTH")
        for tag in ("DATE", "YEAR", "FROM_YEAR", "TO_YEAR")
        for e in dob.iter(tag)
    ]
    assert version.quality["passed"]
    assert version.quality["dates_checked"] == sum(1 for text in written if text and text.strip())


@pytest.mark.realdata
def test_real_eu_excerpt_reports_the_unnamed_entry_and_stays_accepted(runtime: Runtime) -> None:
    result = list_jobs.import_list(runtime, "eu", realdata("eu/eu_fsf_excerpt_2026-08-05.xml"))
    assert result.unnamed_entries == ("999999",)
    with runtime.sessions() as session:
        version = session.get_one(ListVersion, result.version_id)
    assert version.status == "accepted"
    assert version.quality["record_findings"] == [
        "entry 999999 has no name: kept, but not screened"
    ]


def test_every_source_imports_and_is_screened_when_configured(loaded: Runtime) -> None:
    lists = SAMPLES / "lists"
    ofac = list_jobs.import_list(loaded, "ofac", lists / "ofac")
    assert (loaded.settings.raw_lists_dir / "ofac" / f"{ofac.sha256}.zip").is_file()
    list_jobs.import_list(loaded, "uk", lists / "uk_sample.xml")
    list_jobs.import_list(loaded, "be", lists / "be_sample.csv")
    loaded.settings.list_sources = ["eu", "un", "ofac", "uk", "be"]
    rescreen_jobs.rescreen_all(loaded)
    from kyc.review.decisions import list_hits

    with loaded.sessions() as session:
        hits = {(h.subject_name, h.source) for h in list_hits(session)}
    assert {("Viktor Sokolov", s) for s in ("eu", "ofac", "uk")} <= hits
    assert {("Baltic Star Shipping NV", s) for s in ("eu", "ofac", "uk")} <= hits


def test_refresh_takes_every_configured_source_from_one_directory(runtime: Runtime) -> None:
    runtime.settings.list_sources = ["eu", "un", "ofac", "uk", "be"]
    report = list_jobs.refresh_lists(runtime, from_dir=SAMPLES / "lists")
    assert [r.summary().split(":")[0] for r in report.results] == ["eu", "un", "ofac", "uk", "be"]
    assert report.refusals == [] and len(report.delta_runs) == 5


@pytest.mark.realdata
def test_real_ofac_set_passes_the_gates_with_default_ranges(runtime: Runtime) -> None:
    runtime.settings.list_entry_ranges = dict(DEFAULT_ENTRY_RANGES)
    result = list_jobs.import_list(runtime, "ofac", realdata("ofac"))
    assert result.entry_count == 8293 and result.published_at is None
    with runtime.sessions() as session:
        version = session.get_one(ListVersion, result.version_id)
    assert version.quality["record_findings"] == [
        "left out: 277 aircraft records",
        "left out: 406 vessel records",
    ]


def test_a_source_without_a_known_address_says_what_to_do(runtime: Runtime) -> None:
    from sanctions_sources.fetch import FetchError

    with pytest.raises(FetchError, match="set KYC_LIST_URLS or use --from-dir"):
        list_jobs.fetch_list(runtime, "be")
