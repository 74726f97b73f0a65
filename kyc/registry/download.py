"""Downloading a KBO Open Data extract (a login is needed; the flow keeps it in a Secret).

The zip is streamed to disk — a FULL extract is hundreds of megabytes — into a partial
file first, and kept under its own name only once it is whole and a readable zip: a
refused login, a server error, a download cut short or a file too large leaves nothing
behind but a clear error.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlparse

import requests

_CHUNK = 1 << 20


class RegisterDownloadError(RuntimeError):
    """The extract could not be downloaded; nothing was kept."""


def download_extract(
    url: str,
    directory: Path,
    *,
    auth: tuple[str, str] | None,
    timeout: float,
    max_bytes: int,
) -> Path:
    """Download ``url`` into ``directory`` under the name it has in the URL."""
    name = Path(urlparse(url).path).name or "extract.zip"
    directory.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=directory, suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as file:
            _stream(url, file, auth, timeout, max_bytes)
        if not zipfile.is_zipfile(partial):
            raise RegisterDownloadError(f"{url}: not a zip file (cut short, or not an extract)")
        target = directory / name
        os.replace(partial, target)
        return target
    finally:
        Path(partial).unlink(missing_ok=True)


def _stream(
    url: str, file: BinaryIO, auth: tuple[str, str] | None, timeout: float, max_bytes: int
) -> None:
    try:
        with requests.get(url, stream=True, timeout=timeout, auth=auth) as response:
            if response.status_code in (401, 403):
                raise RegisterDownloadError(
                    f"{url}: refused (HTTP {response.status_code}): check the KBO Open Data "
                    "login in the credentials"
                )
            if response.status_code != 200:
                raise RegisterDownloadError(f"{url}: HTTP {response.status_code}")
            written = 0
            for chunk in response.iter_content(_CHUNK):
                written += len(chunk)
                if written > max_bytes:
                    raise RegisterDownloadError(f"{url}: larger than {max_bytes:,} bytes")
                file.write(chunk)
    except requests.RequestException as error:
        raise RegisterDownloadError(f"{url}: download failed ({error})") from error
