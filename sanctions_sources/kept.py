"""Files kept on disk, written whole or not at all (no network code: the list importer
uses it without loading an HTTP client)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_kept_file(directory: Path, name: str, body: bytes) -> Path:
    """Write atomically (temporary file, then rename) so a crash never leaves half a file."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / name
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".partial-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
