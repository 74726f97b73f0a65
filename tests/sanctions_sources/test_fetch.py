"""Downloads against a real HTTP server on 127.0.0.1 (pytest-httpserver)."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from sanctions_sources.fetch import FetchError, download, find_local_file, http_session
from sanctions_sources.registry import get_source
from tests.conftest import SAMPLES

UN = get_source("un")
BODY = (SAMPLES / "lists" / "un_sample.xml").read_bytes()


def _download(
    server: HTTPServer,
    keep: Path,
    *,
    retries: int = 0,
    timeout: float = 5.0,
    max_bytes: int = 10_000_000,
):
    with http_session(retries) as session:
        return download(
            UN, server.url_for("/un.xml"), session, keep, timeout=timeout, max_bytes=max_bytes
        )


def test_download_is_kept_content_addressed_with_its_metadata(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/un.xml").respond_with_data(
        BODY, headers={"ETag": '"v1"', "Last-Modified": "Wed, 19 Nov 2026 00:00:05 GMT"}
    )
    result = _download(httpserver, tmp_path)
    digest = hashlib.sha256(BODY).hexdigest()
    assert result.path == tmp_path / "un" / f"{digest}.xml"
    assert result.path.read_bytes() == BODY
    metadata = json.loads(result.path.with_name(result.path.name + ".json").read_text())
    assert metadata["etag"] == '"v1"' and metadata["status"] == 200


def test_server_errors_are_retried(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_ordered_request("/un.xml").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/un.xml").respond_with_data(BODY)
    assert _download(httpserver, tmp_path, retries=2).size == len(BODY)


@pytest.mark.parametrize("status", [403, 404, 500])
def test_error_status_is_refused(httpserver: HTTPServer, tmp_path: Path, status: int) -> None:
    httpserver.expect_request("/un.xml").respond_with_data("no", status=status)
    with pytest.raises(FetchError, match=f"HTTP {status}"):
        _download(httpserver, tmp_path)
    assert not (tmp_path / "un").exists()


def test_html_error_page_is_not_a_list(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/un.xml").respond_with_data(
        "<!DOCTYPE html><html><body>Maintenance</body></html>", content_type="text/html"
    )
    with pytest.raises(FetchError, match="did not return"):
        _download(httpserver, tmp_path)


def test_empty_body_is_refused(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/un.xml").respond_with_data(b"")
    with pytest.raises(FetchError, match="empty body"):
        _download(httpserver, tmp_path)


def test_oversize_body_is_refused(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/un.xml").respond_with_data(BODY)
    with pytest.raises(FetchError, match="exceeds 100 bytes"):
        _download(httpserver, tmp_path, max_bytes=100)


def test_truncated_body_is_refused(httpserver: HTTPServer, tmp_path: Path) -> None:
    def truncated(_request: Request) -> Response:
        response = Response(BODY[:500], content_type="application/xml")
        response.headers["Content-Length"] = str(len(BODY))
        response.automatically_set_content_length = False
        return response

    httpserver.expect_request("/un.xml").respond_with_handler(truncated)
    with pytest.raises(FetchError):
        _download(httpserver, tmp_path)
    assert not list(tmp_path.rglob("*.xml"))


def test_slow_server_times_out(httpserver: HTTPServer, tmp_path: Path) -> None:
    def slow(_request: Request) -> Response:
        time.sleep(1.5)
        return Response(BODY)

    httpserver.expect_request("/un.xml").respond_with_handler(slow)
    with pytest.raises(FetchError, match="failed"):
        _download(httpserver, tmp_path, timeout=0.5)


def test_local_directory_serves_the_newest_matching_file(tmp_path: Path) -> None:
    older, newer = tmp_path / "un_2026-01.xml", tmp_path / "UN_consolidated.xml"
    older.write_bytes(BODY)
    newer.write_bytes(BODY)
    os.utime(older, (1, 1))
    (tmp_path / "eu_sample.xml").write_bytes(b"<export/>")
    assert find_local_file(UN, tmp_path) == newer
    with pytest.raises(FetchError, match="not a directory"):
        find_local_file(UN, tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FetchError, match=r"no file matching un\*.xml"):
        find_local_file(UN, tmp_path / "empty")


def test_conditional_request_answered_304_writes_nothing(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request(
        "/un.xml",
        headers={"If-None-Match": '"v1"', "If-Modified-Since": "Wed, 19 Nov 2026 00:00:05 GMT"},
    ).respond_with_data("", status=304)
    with http_session(0) as session:
        result = download(
            UN,
            httpserver.url_for("/un.xml"),
            session,
            tmp_path,
            timeout=5,
            max_bytes=10_000_000,
            etag='"v1"',
            last_modified="Wed, 19 Nov 2026 00:00:05 GMT",
        )
    assert result.not_modified and result.status_code == 304 and result.etag == '"v1"'
    assert not (tmp_path / "un").exists()
