"""Built matchers are read back instead of built again, and never trusted when broken."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kyc.matching.base import IndexedList
from kyc.matching.cache import MatcherCache
from kyc.matching.engine import AlignMatcher
from kyc.model import EntryKind, ScreeningSubject
from sanctions_sources.registry import get_source
from tests.conftest import SAMPLES

VERSIONS = {"un": [1, "ab" * 32, 7]}


class Builds:
    """A matcher builder that counts its calls."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> AlignMatcher:
        self.count += 1
        entries = get_source("un").parse(SAMPLES / "lists" / "un_sample.xml").entries
        return AlignMatcher([IndexedList("un", 1, entries)])


def _hits(matcher: AlignMatcher) -> list[str]:
    subject = ScreeningSubject("s1", EntryKind.PERSON, "Abdulrahman Yusuf al-Masri")
    return [match.entry_id for match in matcher.screen(subject, 0.86)]


def test_a_matcher_is_built_once_and_read_back(tmp_path: Path) -> None:
    cache, build = MatcherCache(tmp_path, {"weights": {}}), Builds()
    first = cache.get(VERSIONS, build)
    again = cache.get(VERSIONS, build)
    assert build.count == 1 and again is not first
    assert _hits(again) == _hits(first) == ["QDi.901"]


def test_other_versions_or_settings_build_another(tmp_path: Path) -> None:
    build = Builds()
    MatcherCache(tmp_path, {"weights": {}}).get(VERSIONS, build)
    MatcherCache(tmp_path, {"weights": {}}).get({"un": [2, "cd" * 32, 7]}, build)
    MatcherCache(tmp_path, {"weights": {"initial": 0.4}}).get(VERSIONS, build)
    assert build.count == 3


def test_a_truncated_file_is_rebuilt(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cache, build = MatcherCache(tmp_path, {}), Builds()
    cache.get(VERSIONS, build)
    [stored] = tmp_path.glob("*.pickle")
    stored.write_bytes(stored.read_bytes()[:1000])
    with caplog.at_level(logging.WARNING):
        rebuilt = cache.get(VERSIONS, build)
    assert build.count == 2 and _hits(rebuilt) == ["QDi.901"]
    assert "unreadable" in caplog.text
    assert cache.get(VERSIONS, build) is not None and build.count == 2  # stored again, whole


def test_only_the_most_recently_used_are_kept(tmp_path: Path) -> None:
    cache, build = MatcherCache(tmp_path, {}, keep=2), Builds()
    for version in range(4):
        cache.get({"un": [version]}, build)
    assert len(list(tmp_path.glob("*.pickle"))) == 2
    assert not list(tmp_path.glob("*.partial"))


def test_a_directory_that_cannot_be_written_costs_only_speed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    with caplog.at_level(logging.WARNING):
        matcher = MatcherCache(blocked, {}).get(VERSIONS, Builds())
    assert _hits(matcher) == ["QDi.901"]
    assert "could not store" in caplog.text


@pytest.mark.parametrize("shared", ["directory", "file"])
def test_a_file_others_may_write_is_never_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, shared: str
) -> None:
    cache, build = MatcherCache(tmp_path, {}), Builds()
    cache.get(VERSIONS, build)
    [stored] = tmp_path.glob("*.pickle")
    (tmp_path if shared == "directory" else stored).chmod(0o777 if shared == "directory" else 0o666)
    with caplog.at_level(logging.WARNING):
        rebuilt = cache.get(VERSIONS, build)
    assert build.count == 2 and _hits(rebuilt) == ["QDi.901"]
    assert "may be written by another user" in caplog.text


def test_a_directory_others_may_write_gets_no_matcher(tmp_path: Path) -> None:
    tmp_path.chmod(0o777)
    MatcherCache(tmp_path, {}).get(VERSIONS, Builds())
    assert not list(tmp_path.glob("*.pickle"))
