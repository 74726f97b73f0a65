"""Read the FPS Finance national list CSV into records keyed by the columns of
``columns.py``. The delimiter (comma or semicolon) and the encoding (UTF-8, else
Windows-1252) are detected."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from sanctions_sources.base import ListFormatError
from sanctions_sources.be.columns import COLUMNS, REQUIRED

SOURCE = "be"


@dataclass(frozen=True, slots=True)
class BeRow:
    line: int
    values: dict[str, tuple[str, ...]]  # column key → the cell's values (line-separated)

    def first(self, key: str) -> str:
        return self.values.get(key, ("",))[0] if self.values.get(key) else ""


def sniff(head: bytes) -> bool:
    first_line = head.split(b"\n", 1)[0].lower()
    return b"wholename" in first_line or b"number" in first_line and b"type" in first_line


def _text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def parse_file(path: Path) -> list[BeRow]:
    text = _text(path)
    if not text.strip():
        raise ListFormatError(SOURCE, path, "the file is empty")
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader)]
    positions = _positions(path, header)
    rows = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise ListFormatError(
                SOURCE, path, f"line {reader.line_num}: {len(row)} columns instead of {len(header)}"
            )
        rows.append(BeRow(reader.line_num, {key: _values(row[i]) for key, i in positions.items()}))
    return rows


def _positions(path: Path, header: list[str]) -> dict[str, int]:
    wanted = {key: name.strip().lower() for key, name in COLUMNS.items()}
    missing = [COLUMNS[key] for key in REQUIRED if wanted[key] not in header]
    if missing:
        raise ListFormatError(SOURCE, path, f"missing columns: {', '.join(missing)}")
    return {key: header.index(name) for key, name in wanted.items() if name in header}


def _values(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.replace("\r\n", "\n").split("\n") if part.strip())
