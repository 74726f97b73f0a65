"""Read OFAC's legacy SDN CSV set (``sdn.csv``, ``add.csv``, ``alt.csv``,
``sdn_comments.csv``: no header row, ``-0-`` for empty, Windows-1252 text, a final
Ctrl-Z line) into records shaped like the files."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sanctions_sources.base import ListFormatError
from sanctions_sources.ofac.fetch import REQUIRED

SOURCE = "ofac"
EMPTY = "-0-"
SDN_COLUMNS = 12
_EOF = "\x1a"


@dataclass(frozen=True, slots=True)
class OfacAlias:
    alt_type: str
    name: str


@dataclass(slots=True)
class OfacSdn:
    ent_num: str
    name: str
    sdn_type: str
    programs: tuple[str, ...]
    title: str
    remarks: str
    aliases: list[OfacAlias] = field(default_factory=list)
    address_countries: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class OfacSet:
    records: tuple[OfacSdn, ...]


def _value(text: str) -> str:
    text = text.strip()
    return "" if text == EMPTY else text


def _rows(path: Path, archive: zipfile.ZipFile, name: str, width: int) -> list[list[str]]:
    raw = archive.read(name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    rows = []
    for line_number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or (len(row) == 1 and row[0].strip() in ("", _EOF)):
            continue
        if len(row) != width:
            raise ListFormatError(
                SOURCE, path, f"{name} line {line_number}: {len(row)} columns instead of {width}"
            )
        rows.append([_value(cell) for cell in row])
    return rows


def parse_file(path: Path) -> OfacSet:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise ListFormatError(SOURCE, path, "not the OFAC CSV set (a zip of sdn.csv…)") from error
    with archive:
        names = set(archive.namelist())
        missing = [name for name in REQUIRED if name not in names]
        if missing:
            raise ListFormatError(SOURCE, path, f"missing files: {', '.join(missing)}")
        records = _records(path, archive)
        _attach(path, archive, records, names)
    return OfacSet(tuple(records.values()))


def _records(path: Path, archive: zipfile.ZipFile) -> dict[str, OfacSdn]:
    records: dict[str, OfacSdn] = {}
    for row in _rows(path, archive, "sdn.csv", SDN_COLUMNS):
        ent_num, name, sdn_type, program, title, *_, remarks = row
        if not ent_num.isdigit():
            raise ListFormatError(
                SOURCE, path, f"sdn.csv: entry number {ent_num!r} is not a number"
            )
        if ent_num in records:
            raise ListFormatError(SOURCE, path, f"sdn.csv: entry {ent_num} appears twice")
        programs = tuple(p.strip(" []") for p in program.split("] [") if p.strip(" []"))
        records[ent_num] = OfacSdn(ent_num, name, sdn_type.lower(), programs, title, remarks)
    return records


def _attach(
    path: Path, archive: zipfile.ZipFile, records: dict[str, OfacSdn], names: set[str]
) -> None:
    for ent_num, _alt_num, alt_type, alt_name, _remarks in _rows(path, archive, "alt.csv", 5):
        if ent_num in records and alt_name:
            records[ent_num].aliases.append(OfacAlias(alt_type.lower(), alt_name))
    for ent_num, _num, _street, _city, country, _remarks in _rows(path, archive, "add.csv", 6):
        if ent_num in records and country:
            records[ent_num].address_countries.append(country)
    if "sdn_comments.csv" in names:
        extended: dict[str, str] = defaultdict(str)
        for ent_num, text in _rows(path, archive, "sdn_comments.csv", 2):
            extended[ent_num] += text
        for ent_num, text in extended.items():
            if ent_num in records:
                # OFAC cut remarks at 1,000 characters; the rest continues here.
                records[ent_num].remarks += text
