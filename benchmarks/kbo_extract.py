"""Synthetic KBO Open Data extracts in the exact real format, at national scale.

A FULL extract (``write_full``): about 1.94 million enterprises, 3.3 million
denominations, 2.8 million addresses and 1.67 million establishments at ``scale=1``, with
Belgian names in Dutch, French and German, legal forms, juridical situations and codes
taken from the real ``code.csv`` in ``../shared/realdata`` (read, never copied), real
postal codes and municipalities; and an UPDATE extract (``write_update``) of a few
thousand changes to it, as KBO writes them: each touched entity's rows deleted, then
all its rows inserted again. Everything is drawn from a fixed seed.

The CSV dialect is KBO's: every text field quoted, dates ``dd-mm-yyyy`` unquoted,
empty values as nothing between the commas.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["Extract", "date", "write_full", "write_update"]
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import belgian_names  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata" / "kbo"
CODES = REALDATA / "update_0147" / "code.csv"
POSTAL_CODES = REALDATA / "codes" / "postal_codes.json"

ENTERPRISES = 1_940_000
# Per enterprise, on average (the real register's proportions).
DENOMINATIONS = 3_300_000 / ENTERPRISES
ADDRESSES = 2_800_000 / ENTERPRISES
ESTABLISHMENTS = 1_670_000 / ENTERPRISES
CONTACTS = 0.3
NATURAL = 0.4  # share of natural persons among enterprises
# Establishments: every natural person has one (its activity's seat), some a second;
# legal persons now and then.
ESTABLISHMENT_CHANCES = {True: (1.0, 0.3), False: (0.55, 0.18)}
BRANCHES = 0.005

# Share of each juridical situation among active enterprises (normal situation first).
SITUATIONS = {"000": 0.93, "012": 0.02, "013": 0.01, "014": 0.01, "030": 0.01, "050": 0.01}
SITUATIONS["100"] = 1 - sum(SITUATIONS.values())
# Legal forms of legal persons, the common ones most often.
FORMS = {"610": 0.45, "014": 0.12, "017": 0.15, "612": 0.05, "616": 0.03, "706": 0.05}
STREETS = ("Kerkstraat", "Stationsstraat", "Dorpsstraat", "Nieuwstraat", "Molenstraat")
RUES = ("Rue de l'Église", "Rue de la Station", "Chaussée de Bruxelles", "Rue Haute")
STRASSEN = ("Kirchstraße", "Bahnhofstraße", "Hauptstraße")


def _check(prefix: str) -> str:
    return f"{prefix}{97 - int(prefix) % 97:02d}"


def enterprise_number(index: int) -> str:
    """The ``index``-th synthetic enterprise number, dotted as KBO writes it."""
    digits = _check(f"0{2_000_000 + index * 4:07d}")
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def establishment_number(index: int) -> str:
    digits = _check(f"2{index:07d}")
    return f"{digits[0]}.{digits[1:4]}.{digits[4:7]}.{digits[7:]}"


def _kbo_date(day: date) -> str:
    return day.strftime("%d-%m-%Y")


@dataclass(frozen=True)
class Extract:
    directory: Path
    number: int
    snapshot: date
    enterprises: int


class _Writer:
    """One CSV file of an extract, in KBO's quoting."""

    def __init__(self, path: Path, header: tuple[str, ...]) -> None:
        self._handle = path.open("w", newline="", encoding="utf-8")
        self._handle.write(",".join(f'"{name}"' for name in header) + "\r\n")
        self.rows = 0

    def row(self, *fields: str | None, dates: tuple[int, ...] = ()) -> None:
        cells = []
        for position, value in enumerate(fields):
            if value is None or value == "":
                cells.append("")
            elif position in dates:
                cells.append(value)
            else:
                cells.append('"' + value.replace('"', '""') + '"')
        self._handle.write(",".join(cells) + "\r\n")
        self.rows += 1

    def close(self) -> None:
        self._handle.close()


def _choice(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _municipalities() -> list[tuple[str, str, str]]:
    codes = json.loads(POSTAL_CODES.read_text())["codes"]
    return [(code, labels["label_nl"], labels["label_fr"]) for code, labels in codes.items()]


class _Register:
    """What an enterprise looks like: drawn once per enterprise, written to each file."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.places = _municipalities()
        self.start = date(1950, 1, 1)

    def start_date(self) -> str:
        return _kbo_date(self.start + timedelta(days=self.rng.randrange(27_000)))

    def enterprise(self, number: str) -> tuple[str, ...]:
        rng = self.rng
        natural = rng.random() < NATURAL
        form = None if natural else _choice(rng, FORMS)
        situation = "000" if natural else _choice(rng, SITUATIONS)
        kind = "1" if natural else "2"
        return (number, "AC", situation, kind, form or "", "", self.start_date())

    def names(self, number: str, natural: bool) -> Iterator[tuple[str, ...]]:
        rng = self.rng
        if natural:
            name, _birth = belgian_names.person(rng)
            yield number, "0", "001", name
            return
        name = belgian_names.company(rng)
        language = rng.choice("1122223")  # FR, NL mostly; DE now and then
        yield number, language, "001", name
        # Legal persons carry the extra names (abbreviations, commercial names).
        extra = (DENOMINATIONS - NATURAL) / (1 - NATURAL) - 1
        while rng.random() < extra:
            kind = rng.choice(("002", "003"))
            text = "".join(word[0] for word in name.split()[:-1]).upper() if kind == "002" else name
            yield number, rng.choice("12"), kind, text or name
            extra -= 1

    def address(self, number: str, kind: str) -> tuple[str | None, ...]:
        rng = self.rng
        code, nl, fr = rng.choice(self.places)
        if code.startswith(("47", "48")):
            street_nl = street_fr = rng.choice(STRASSEN)
        elif code[0] in "13456" and rng.random() < 0.7:
            street_nl = street_fr = rng.choice(RUES)
        else:
            street_nl = street_fr = rng.choice(STREETS)
        box = str(rng.randint(1, 20)) if rng.random() < 0.15 else ""
        return (
            number,
            kind,
            None,
            None,
            code,
            nl,
            fr,
            street_nl,
            street_fr,
            str(rng.randint(1, 250)),
            box,
            "",
            None,
        )


def _header(table: str) -> tuple[str, ...]:
    """A file's columns, as the importer expects them (one definition of the format)."""
    from kyc.registry.tables import TABLES

    return next(spec.header for spec in TABLES if spec.name == table)


ENTERPRISE_HEADER = _header("enterprise")
ESTABLISHMENT_HEADER = _header("establishment")
DENOMINATION_HEADER = _header("denomination")
ADDRESS_HEADER = _header("address")
CONTACT_HEADER = _header("contact")
BRANCH_HEADER = _header("branch")


class _Files:
    """The table files of one extract (``suffix``: "" for a FULL, "_insert" for an UPDATE)."""

    def __init__(self, directory: Path, suffix: str = "") -> None:
        self.enterprise = _Writer(directory / f"enterprise{suffix}.csv", ENTERPRISE_HEADER)
        self.establishment = _Writer(directory / f"establishment{suffix}.csv", ESTABLISHMENT_HEADER)
        self.denomination = _Writer(directory / f"denomination{suffix}.csv", DENOMINATION_HEADER)
        self.address = _Writer(directory / f"address{suffix}.csv", ADDRESS_HEADER)
        self.contact = _Writer(directory / f"contact{suffix}.csv", CONTACT_HEADER)
        self.branch = _Writer(directory / f"branch{suffix}.csv", BRANCH_HEADER)

    def close(self) -> None:
        for writer in vars(self).values():
            writer.close()


def _write_enterprise(register: _Register, files: _Files, index: int) -> None:
    """One enterprise and everything that hangs on it, in every file."""
    rng = register.rng
    number = enterprise_number(index)
    row = register.enterprise(number)
    files.enterprise.row(*row, dates=(6,))
    natural = row[3] == "1"
    for name in register.names(number, natural):
        files.denomination.row(*name)
    if not natural:
        files.address.row(*register.address(number, "REGO"), dates=(12,))
    for position, chance in enumerate(ESTABLISHMENT_CHANCES[natural]):
        if rng.random() >= chance:
            break
        unit = establishment_number(index * 2 + position)
        files.establishment.row(unit, register.start_date(), number, dates=(1,))
        # Addresses: the seat (legal persons) and most establishments.
        if rng.random() < (ADDRESSES - (1 - NATURAL)) / ESTABLISHMENTS:
            files.address.row(*register.address(unit, "BAET"), dates=(12,))
    if rng.random() < CONTACTS:
        files.contact.row(number, "ENT", "WEB", f"www.example-{index}.be")
    if rng.random() < BRANCHES:
        files.branch.row(_branch_id(index), register.start_date(), number, dates=(1,))


def _branch_id(index: int) -> str:
    return f"9.{index // 1_000_000:03d}.{index // 1000 % 1000:03d}.{index % 1000:03d}"


def _write_meta(directory: Path, kind: str, number: int, snapshot: date) -> None:
    with (directory / "meta.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(["Variable", "Value"])
        writer.writerow(["SnapshotDate", _kbo_date(snapshot)])
        writer.writerow(["ExtractTimestamp", _kbo_date(snapshot + timedelta(days=2)) + " 07:02:11"])
        writer.writerow(["ExtractType", kind])
        writer.writerow(["ExtractNumber", str(number)])
        writer.writerow(["Version", "1.0.0"])


def _write_codes(directory: Path) -> None:
    (directory / "code.csv").write_bytes(CODES.read_bytes())


def write_full(directory: Path, scale: float = 1.0, seed: int = 20261125) -> Extract:
    """A FULL extract of ``scale`` × the national register (activity.csv left out: it is
    imported only when asked)."""
    directory.mkdir(parents=True, exist_ok=True)
    snapshot = date(2026, 10, 30)
    _write_meta(directory, "full", 200, snapshot)
    _write_codes(directory)
    register, files = _Register(seed), _Files(directory)
    enterprises = int(ENTERPRISES * scale)
    for index in range(enterprises):
        _write_enterprise(register, files, index)
    files.close()
    return Extract(directory, 200, snapshot, enterprises)


def write_update(directory: Path, full: Extract, changes: int = 5000, seed: int = 7) -> Extract:
    """The UPDATE that follows ``full``: ``changes`` enterprises rewritten (their rows
    deleted and inserted again, drawn anew), a tenth of them struck off, and as many new."""
    directory.mkdir(parents=True, exist_ok=True)
    snapshot = full.snapshot + timedelta(days=1)
    _write_meta(directory, "update", full.number + 1, snapshot)
    _write_codes(directory)
    rng = random.Random(seed)
    touched = sorted(rng.sample(range(full.enterprises), changes))
    removed = set(touched[::10])
    deletes = {
        name: _Writer(directory / f"{name}_delete.csv", (key,))
        for name, key in (
            ("enterprise", "EnterpriseNumber"),
            ("establishment", "EstablishmentNumber"),
            ("denomination", "EntityNumber"),
            ("address", "EntityNumber"),
            ("contact", "EntityNumber"),
            ("branch", "Id"),
        )
    }
    for index in touched:
        number = enterprise_number(index)
        for name in ("enterprise", "denomination", "address", "contact"):
            deletes[name].row(number)
        # Its establishments (and their addresses) and branch, whichever it had.
        for position in range(len(ESTABLISHMENT_CHANCES[True])):
            unit = establishment_number(index * 2 + position)
            deletes["establishment"].row(unit)
            deletes["address"].row(unit)
        deletes["branch"].row(_branch_id(index))
    for writer in deletes.values():
        writer.close()
    register, files = _Register(seed), _Files(directory, "_insert")
    for index in [i for i in touched if i not in removed]:
        _write_enterprise(register, files, index)
    for index in range(full.enterprises, full.enterprises + changes):
        _write_enterprise(register, files, index)
    files.close()
    return Extract(directory, full.number + 1, snapshot, full.enterprises + changes)
