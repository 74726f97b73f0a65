"""Getting a list file: from a local directory first, else over HTTP with limits.

The HTTP session is an argument (tests pass one aimed at a local server); what comes
back is checked before anyone parses it: size, and that it looks like the format.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from sanctions_sources.base import Source
from sanctions_sources.kept import write_kept_file

USER_AGENT = "peppol-kyc/0.1 (+sanctions list refresh)"
_SNIFF_BYTES = 4096


class FetchError(RuntimeError):
    """The list could not be obtained; names the source and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source} list: {reason}")
        self.source = source
        self.reason = reason


def http_session(retries: int) -> requests.Session:
    """A session that retries connection errors and 429/5xx answers with backoff."""
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=0.5,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET"}),
        raise_on_status=False,
    )
    session = requests.Session()
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    session.headers["User-Agent"] = USER_AGENT
    return session


def find_local_file(source: Source, directory: Path) -> Path:
    """The newest file in ``directory`` whose name fits the source (e.g. ``un*.xml``)."""
    if not directory.is_dir():
        raise FetchError(source.key, f"{directory} is not a directory")
    located = source.locate(directory) if source.locate else None
    if located is not None:
        return located
    pattern = source.local_glob.lower()
    matches = [
        path
        for path in directory.iterdir()
        if path.is_file() and Path(path.name.lower()).match(pattern)
    ]
    if not matches:
        raise FetchError(source.key, f"no file matching {source.local_glob} in {directory}")
    return max(matches, key=lambda path: (path.stat().st_mtime, path.name))


@dataclass(frozen=True)
class Download:
    """What one request brought: a kept file, or ``not_modified`` (HTTP 304)."""

    url: str
    fetched_at: datetime
    status_code: int
    etag: str | None
    last_modified: str | None
    path: Path | None = None
    sha256: str | None = None
    size: int = 0

    @property
    def not_modified(self) -> bool:
        return self.path is None


def download(
    source: Source,
    url: str,
    session: requests.Session,
    keep_dir: Path,
    *,
    timeout: float,
    max_bytes: int,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Download:
    """Download ``url`` into ``keep_dir/<source>/<sha256>.xml`` (kept for replay).

    With the ``etag``/``last_modified`` of the previous download, the request is
    conditional: an unchanged list costs one HTTP 304 and nothing is written.
    """
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        with session.get(url, stream=True, timeout=timeout, headers=headers) as response:
            if response.status_code == 304:
                return _not_modified(url, response, etag, last_modified)
            _check_status(source, response)
            body = _read_limited(source, response, max_bytes)
    except requests.RequestException as error:
        raise FetchError(source.key, f"download from {url} failed ({error})") from error
    if not body:
        raise FetchError(source.key, f"{url} returned an empty body")
    if not source.sniff(body[:_SNIFF_BYTES]):
        raise FetchError(source.key, f"{url} did not return a {source.title} file")
    digest = hashlib.sha256(body).hexdigest()
    path = write_kept_file(keep_dir / source.key, f"{digest}{source.kept_suffix}", body)
    fetched = Download(
        url=url,
        fetched_at=datetime.now(UTC),
        status_code=response.status_code,
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
        path=path,
        sha256=digest,
        size=len(body),
    )
    _write_fetch_metadata(path, response, fetched)
    return fetched


def download_members(
    source: Source,
    urls: dict[str, str],
    session: requests.Session,
    keep_dir: Path,
    *,
    timeout: float,
    max_bytes: int,
) -> Download:
    """Download every file of a multi-file publication and keep them as one bundle."""
    if source.bundle is None:
        raise FetchError(source.key, "this source is published as one file")
    members: dict[str, bytes] = {}
    for name, url in urls.items():
        try:
            with session.get(url, stream=True, timeout=timeout) as response:
                _check_status(source, response)
                members[name] = _read_limited(source, response, max_bytes)
        except requests.RequestException as error:
            raise FetchError(source.key, f"download from {url} failed ({error})") from error
        if not members[name].strip():
            raise FetchError(source.key, f"{url} returned an empty body")
        if members[name].lstrip().startswith(b"<"):
            raise FetchError(source.key, f"{url} returned a web page, not {name}")
    body = source.bundle(members)
    digest = hashlib.sha256(body).hexdigest()
    path = write_kept_file(keep_dir / source.key, f"{digest}{source.kept_suffix}", body)
    return Download(
        url=" ".join(urls.values()),
        fetched_at=datetime.now(UTC),
        status_code=200,
        etag=None,
        last_modified=None,
        path=path,
        sha256=digest,
        size=len(body),
    )


def _not_modified(
    url: str, response: requests.Response, etag: str | None, last_modified: str | None
) -> Download:
    return Download(
        url=url,
        fetched_at=datetime.now(UTC),
        status_code=304,
        etag=response.headers.get("ETag", etag),
        last_modified=response.headers.get("Last-Modified", last_modified),
    )


def _check_status(source: Source, response: requests.Response) -> None:
    if response.status_code != 200:
        raise FetchError(source.key, f"{response.url} answered HTTP {response.status_code}")


def _read_limited(source: Source, response: requests.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(source.key, f"the body ({declared} bytes) exceeds {max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=1 << 16):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(source.key, f"the body exceeds {max_bytes} bytes")
        chunks.append(chunk)
    body = b"".join(chunks)
    # With a Content-Encoding the header counts compressed bytes, not these.
    encoded = response.headers.get("Content-Encoding")
    if declared and declared.isdigit() and not encoded and int(declared) != len(body):
        raise FetchError(
            source.key, f"truncated body: {len(body)} of {declared} announced bytes arrived"
        )
    return body


def _write_fetch_metadata(path: Path, response: requests.Response, fetched: Download) -> None:
    metadata = {
        "url": fetched.url,
        "final_url": response.url,
        "status": fetched.status_code,
        "etag": fetched.etag,
        "last_modified": fetched.last_modified,
        "content_type": response.headers.get("Content-Type"),
        "size": fetched.size,
        "sha256": fetched.sha256,
        "fetched_at": fetched.fetched_at.isoformat(),
    }
    write_kept_file(path.parent, path.name + ".json", json.dumps(metadata, indent=2).encode())
