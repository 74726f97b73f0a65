"""An extract of KBO Open Data as it arrives: its CSV files (in a folder or a zip), its
``meta.csv``, and whether it may follow the register's current state."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from kyc.store.models import RegisterExtract

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer


class RegisterImportError(ValueError):
    """The extract cannot be imported; nothing was changed."""


class ExtractFiles:
    """The CSV files of an extract, whether unpacked in a folder or inside a zip."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._counter: _CountingReader | None = None
        if path.is_dir():
            self._zip: zipfile.ZipFile | None = None
            self._names = {p.name.lower(): p.name for p in path.iterdir() if p.suffix == ".csv"}
        elif zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
            self._names = {
                Path(n).name.lower(): n for n in self._zip.namelist() if n.lower().endswith(".csv")
            }
        else:
            raise RegisterImportError(f"{path}: neither a folder nor a zip file")

    def has(self, name: str) -> bool:
        return f"{name}.csv" in self._names

    def size(self, name: str) -> int:
        """The bytes of a file (uncompressed), which a progress bar counts up to."""
        member = self._names[f"{name}.csv"]
        if self._zip is not None:
            return self._zip.getinfo(member).file_size
        return (self.path / member).stat().st_size

    @contextmanager
    def open(self, name: str) -> Iterator[TextIO]:
        """The file as text; :meth:`bytes_read` tells how far it has been read."""
        member = self._names[f"{name}.csv"]
        with (
            self._zip.open(member) if self._zip is not None else (self.path / member).open("rb")
        ) as raw:
            self._counter = _CountingReader(raw)
            buffered = io.BufferedReader(self._counter, buffer_size=1 << 16)
            yield io.TextIOWrapper(buffered, encoding="utf-8-sig", newline="")

    def bytes_read(self) -> int:
        """How many bytes of the file opened last were read so far."""
        return self._counter.count if self._counter is not None else 0

    def sha256(self) -> str:
        digest = hashlib.sha256()
        if self._zip is None:
            for key in sorted(self._names):
                digest.update(key.encode())
                digest.update((self.path / self._names[key]).read_bytes())
        else:
            with self.path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
        return digest.hexdigest()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


class _CountingReader(io.RawIOBase):
    """A binary stream that counts the bytes read through it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        data = self._raw.read(len(view))
        view[: len(data)] = data
        self.count += len(data)
        return len(data)


@dataclass(frozen=True)
class ExtractMeta:
    extract_type: str
    extract_number: int
    snapshot_date: date
    extract_timestamp: str
    version: str


def read_meta(files: ExtractFiles) -> ExtractMeta:
    if not files.has("meta"):
        raise RegisterImportError(f"{files.path}: meta.csv is missing")
    with files.open("meta") as handle:
        values = {row[0]: row[1] for row in csv.reader(handle) if len(row) >= 2}
    try:
        extract_type = values["ExtractType"].strip().lower()
        if extract_type not in ("full", "update"):
            raise ValueError(f"ExtractType {extract_type!r} is neither full nor update")
        return ExtractMeta(
            extract_type=extract_type,
            extract_number=int(values["ExtractNumber"]),
            snapshot_date=datetime.strptime(values["SnapshotDate"], "%d-%m-%Y").date(),
            extract_timestamp=values.get("ExtractTimestamp", ""),
            version=values.get("Version", ""),
        )
    except (KeyError, ValueError) as error:
        raise RegisterImportError(f"{files.path}: meta.csv is invalid ({error})") from error


def sequence_problem(current: RegisterExtract | None, meta: ExtractMeta) -> str | None:
    """Why this extract may not follow the register's current state, if it may not.

    KBO numbers its extracts one after the other, the monthly FULL and its UPDATE under
    the same number: UPDATE #n turns the state of #n−1 into #n, and a FULL replaces
    everything.
    """
    number, kind = meta.extract_number, meta.extract_type.upper()
    if current is None:
        if meta.extract_type == "update":
            return f"UPDATE #{number} needs the extract before it: the register is empty"
        return None
    state = f"the register holds #{current.extract_number} ({current.snapshot_date:%d-%m-%Y})"
    if number < current.extract_number or meta.snapshot_date < current.snapshot_date:
        return f"{kind} #{number} ({meta.snapshot_date:%d-%m-%Y}) is older than {state}"
    if meta.extract_type == "update" and number != current.extract_number + 1:
        if number == current.extract_number:
            return f"UPDATE #{number} was already applied: {state}"
        gap = f"#{current.extract_number + 1}" + (
            f"–#{number - 1}" if number - 1 > current.extract_number + 1 else ""
        )
        return f"UPDATE #{number} skips {gap}: {state}"
    return None


def latest_extract(session: Session) -> RegisterExtract | None:
    return session.scalar(select(RegisterExtract).order_by(RegisterExtract.id.desc()).limit(1))
