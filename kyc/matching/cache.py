"""Built matchers kept on disk, one per set of list versions, weights and matcher code.

Building the index of a full-size list takes seconds (analysing 50,000 aliases, their
vocabulary and its searches); reading it back takes under half a second, as the
matcher keeps its index as arrays and where each alias comes from, not the analysed
names themselves. A command run and a flow run each start a new process, so without
this every batch would pay the build again for lists that change a few times a month.

The files are Python pickles, which run code when read: they are read only from a
directory and a file that belong to the user running the command and that nobody else
may write (as an SSH key is), else the matcher is rebuilt and not stored there. A file
that cannot be read back (truncated, or written by other code) is removed and the
matcher rebuilt.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import pickle
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import TypeVar, cast

import kyc

_log = logging.getLogger(__name__)
M = TypeVar("M")
# The code whose change makes a stored matcher stale: the matcher and name analysis.
_CODE = (Path(kyc.__file__).parent / "matching", Path(kyc.__file__).parent / "names")
# Transliteration, legal forms and phonetics (rigour), string similarity (rapidfuzz).
_LIBRARIES = ("rigour", "rapidfuzz")


def code_fingerprint() -> str:
    """The matcher's code, and the versions of the libraries whose tables it builds on."""
    digest = hashlib.sha256()
    for package in _LIBRARIES:
        digest.update(f"{package}=={metadata.version(package)}".encode())
    for root in _CODE:
        for path in sorted((*root.rglob("*.py"), *root.rglob("*.toml"))):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class MatcherCache:
    """A directory of built matchers, named by what they were built from; the ``keep``
    most recently used stay. ``settings`` are what shapes a build besides the lists
    (the weights)."""

    def __init__(self, directory: Path, settings: Mapping[str, object], keep: int = 3) -> None:
        self.directory = directory
        self.settings = dict(settings)
        self.keep = keep

    def get(self, versions: Mapping[str, object], build: Callable[[], M]) -> M:
        """The matcher over these list versions (each described by what identifies its
        content), read back if stored, else built by ``build`` and stored."""
        path = self.directory / f"{self.key(versions)}.pickle"
        loaded = self._load(path)
        if loaded is not None:
            os.utime(path)  # recently used: kept when older ones are removed
            return cast(M, loaded)
        matcher = build()
        self._store(path, matcher)
        return matcher

    def key(self, versions: Mapping[str, object]) -> str:
        described = json.dumps(
            {"settings": self.settings, "versions": versions, "code": code_fingerprint()},
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(described.encode()).hexdigest()[:32]

    def _load(self, path: Path) -> object | None:
        if not path.exists():
            return None
        if not (_trusted(self.directory) and _trusted(path)):
            _log.warning(
                "stored matcher %s not read: %s or the file may be written by another user",
                path.name,
                self.directory,
            )
            return None
        try:
            with path.open("rb") as handle, _collector_paused():
                loaded: object = pickle.load(handle)
                return loaded
        except Exception as error:  # any unreadable file is rebuilt, whatever broke it
            _log.warning("stored matcher %s unreadable (%s); rebuilding", path.name, error)
            path.unlink(missing_ok=True)
            return None

    def _store(self, path: Path, matcher: object) -> None:
        temporary: str | None = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not _trusted(self.directory):
                return  # it would never be read back (see _load)
            handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".partial")
            with os.fdopen(handle, "wb") as file:
                pickle.dump(matcher, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)  # whole or not at all, even with two writers
            temporary = None
        except (OSError, pickle.PicklingError) as error:  # costs speed, not the run
            _log.warning("could not store the matcher (%s)", error)
            return
        finally:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
        self._prune()

    def _prune(self) -> None:
        stored = sorted(
            self.directory.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True
        )
        for old in stored[self.keep :]:
            old.unlink(missing_ok=True)


def _trusted(path: Path) -> bool:
    """Whether only the user running this may have written ``path``: theirs, and not
    writable by group or others."""
    status = path.stat()
    owner = os.geteuid() if hasattr(os, "geteuid") else status.st_uid
    return status.st_uid == owner and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading millions of objects back, the collector would walk them again and again
    (four times slower)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
