"""Downloading an extract: whole and readable, or nothing kept and a clear reason."""

from __future__ import annotations

import base64
import zipfile
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from kyc.registry.download import RegisterDownloadError, download_extract
from tests.conftest import SAMPLES

NAME = "KboOpenData_0001_2026_11_Full.zip"


def _zip(tmp_path: Path) -> bytes:
    archive = tmp_path / "source.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in (SAMPLES / "kbo").iterdir():
            zipped.write(path, path.name)
    return archive.read_bytes()


def _download(server: HTTPServer, target: Path, max_bytes: int = 10_000_000) -> Path:
    return download_extract(
        server.url_for(f"/{NAME}"),
        target,
        auth=("provider", "s3cret"),
        timeout=5.0,
        max_bytes=max_bytes,
    )


def test_the_zip_is_downloaded_with_the_login(httpserver: HTTPServer, tmp_path: Path) -> None:
    body = _zip(tmp_path)
    login = "Basic " + base64.b64encode(b"provider:s3cret").decode()
    httpserver.expect_request(f"/{NAME}", headers={"Authorization": login}).respond_with_data(body)
    path = _download(httpserver, tmp_path / "drop")
    assert path == tmp_path / "drop" / NAME and path.read_bytes() == body
    assert list((tmp_path / "drop").iterdir()) == [path]


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (401, b"login required", "refused \\(HTTP 401\\): check the KBO Open Data login"),
        (500, b"oops", "HTTP 500"),
        (200, b"PK\x03\x04 cut short", "not a zip file"),
    ],
)
def test_a_failed_download_keeps_nothing(
    httpserver: HTTPServer, tmp_path: Path, status: int, body: bytes, reason: str
) -> None:
    httpserver.expect_request(f"/{NAME}").respond_with_data(body, status=status)
    with pytest.raises(RegisterDownloadError, match=reason):
        _download(httpserver, tmp_path / "drop")
    assert list((tmp_path / "drop").iterdir()) == []


def test_a_file_too_large_is_refused(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request(f"/{NAME}").respond_with_data(_zip(tmp_path))
    with pytest.raises(RegisterDownloadError, match="larger than 100 bytes"):
        _download(httpserver, tmp_path / "drop", max_bytes=100)
    assert list((tmp_path / "drop").iterdir()) == []
