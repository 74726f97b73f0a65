"""Import KBO Open Data extracts (FULL or UPDATE) from a folder or a zip.

Files are streamed row by row; malformed rows are counted and reported with their line
numbers and skipped, unless there are too many of them. The whole import is one
transaction: on any error the register stays as it was.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kyc.audit import Auditor
from kyc.identifiers import (
    InvalidIdentifier,
    has_valid_check_digits,
    normalize_enterprise_number,
    normalize_establishment_number,
)
from kyc.registry.bulk import BulkInsert, Row, RowsRefused, bulk_inserter, refresh_statistics
from kyc.registry.quality import RegisterQuality
from kyc.settings import Purpose
from kyc.store.models import (
    Base,
    KboActivity,
    KboAddress,
    KboBranch,
    KboCode,
    KboContact,
    KboDenomination,
    KboEnterprise,
    KboEstablishment,
    RegisterExtract,
)

# Rows handed to the database at once: large enough to keep the driver busy, small
# enough to keep memory flat on files of millions of rows.
_BATCH = 20_000
_REPORTED_BAD_ROWS = 20


class RegisterImportError(ValueError):
    """The extract cannot be imported; nothing was changed."""


class RowError(ValueError):
    pass


# --- reading an extract --------------------------------------------------------------


class ExtractFiles:
    """The CSV files of an extract, whether unpacked in a folder or inside a zip."""

    def __init__(self, path: Path) -> None:
        self.path = path
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

    @contextmanager
    def open(self, name: str) -> Iterator[TextIO]:
        member = self._names[f"{name}.csv"]
        if self._zip is not None:
            with self._zip.open(member) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        else:
            with (self.path / member).open(encoding="utf-8-sig", newline="") as handle:
                yield handle

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


# --- row conversion ---------------------------------------------------------------------
# Each converter turns a CSV row into a tuple in the order of its table's ``columns``:
# millions of rows go straight to the database driver (see kyc.registry.bulk).


def entity_number(text: str) -> str:
    """Enterprise (0/1…) or establishment (2–8…) number, 10 digits, check digits verified."""
    digits = text.replace(".", "").strip()
    # The common case, checked directly: a register has millions of numbers.
    if len(digits) == 10 and digits.isdigit() and digits[0] != "9":
        if has_valid_check_digits(digits):
            return digits
    try:
        if digits[:1] in ("0", "1"):
            return normalize_enterprise_number(digits)
        return normalize_establishment_number(digits)
    except InvalidIdentifier as error:
        raise RowError(f"entity number {text!r}: {error}") from error


def kbo_date(text: str, *, required: bool = False) -> date | None:
    if not text:
        if required:
            raise RowError("a required date is empty")
        return None
    try:
        return _date(text)
    except ValueError as error:
        raise RowError(f"date {text!r} is not a calendar date written dd-mm-yyyy") from error


@lru_cache(maxsize=100_000)
def _date(text: str) -> date:
    # Dates repeat across millions of rows: each is parsed once.
    return datetime.strptime(text, "%d-%m-%Y").date()


def _opt(text: str) -> str | None:
    return text or None


def _enterprise_number(text: str) -> str:
    number = entity_number(text)
    if number[0] not in "01":
        raise RowError(f"{text!r} is not an enterprise number")
    return number


def _establishment_number(text: str) -> str:
    number = entity_number(text)
    if number[0] in "01":
        raise RowError(f"{text!r} is not an establishment number")
    return number


def branch_id(text: str) -> str:
    """A branch office's id: ten digits, but not an official number (no check digits)."""
    digits = text.replace(".", "").strip()
    if not (len(digits) == 10 and digits.isdigit()):
        raise RowError(f"branch id {text!r} is not ten digits")
    return digits


def _enterprise(row: list[str]) -> Row:
    number, status, situation, kind, form, form_cac, start = row
    return (
        _enterprise_number(number),
        status,
        situation,
        kind,
        _opt(form),
        _opt(form_cac),
        kbo_date(start, required=True),
    )


def _establishment(row: list[str]) -> Row:
    number, start, enterprise = row
    return (
        _establishment_number(number),
        kbo_date(start, required=True),
        _enterprise_number(enterprise),
    )


def _denomination(row: list[str]) -> Row:
    number, language, kind, text = row
    if not text.strip():
        raise RowError("the denomination is empty")
    return (entity_number(number), language, kind, text)


_ADDRESS_FIELDS = (
    "country_nl",
    "country_fr",
    "zipcode",
    "municipality_nl",
    "municipality_fr",
    "street_nl",
    "street_fr",
    "house_number",
    "box",
    "extra_address_info",
)


def _address(row: list[str]) -> Row:
    number, kind, *middle, striking_off = row
    return (entity_number(number), kind, *map(_opt, middle), kbo_date(striking_off))


def _contact(row: list[str]) -> Row:
    number, entity_contact, contact_type, value = row
    if not value.strip():
        raise RowError("the contact value is empty")
    return (entity_number(number), entity_contact, contact_type, value)


_NACE_VERSIONS = frozenset({"2003", "2008", "2025"})


def _activity(row: list[str]) -> Row:
    number, group, version, code, classification = row
    if version not in _NACE_VERSIONS:
        raise RowError(f"NACE version {version!r} is not 2003, 2008 or 2025")
    if not code.isdigit():
        raise RowError(f"NACE code {code!r} is not digits")
    return (entity_number(number), group, version, code, classification)


def _branch(row: list[str]) -> Row:
    number, start, enterprise = row
    return (branch_id(number), kbo_date(start, required=True), _enterprise_number(enterprise))


def _code(row: list[str]) -> Row:
    category, code, language, description = row
    return (category, code, language, description)


@dataclass(frozen=True)
class TableSpec:
    """One file of an extract: its columns, how a row becomes a record (a tuple in the
    order of ``columns``), and the key an UPDATE's ``<name>_delete.csv`` lists (in the
    column ``key_attribute``)."""

    name: str
    model: type[Base]
    header: tuple[str, ...]
    columns: tuple[str, ...]
    convert: Callable[[list[str]], Row]
    key_attribute: str
    key: Callable[[str], str] = entity_number


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "enterprise",
        KboEnterprise,
        (
            "EnterpriseNumber",
            "Status",
            "JuridicalSituation",
            "TypeOfEnterprise",
            "JuridicalForm",
            "JuridicalFormCAC",
            "StartDate",
        ),
        (
            "enterprise_number",
            "status",
            "juridical_situation",
            "type_of_enterprise",
            "juridical_form",
            "juridical_form_cac",
            "start_date",
        ),
        _enterprise,
        "enterprise_number",
        _enterprise_number,
    ),
    TableSpec(
        "establishment",
        KboEstablishment,
        ("EstablishmentNumber", "StartDate", "EnterpriseNumber"),
        ("establishment_number", "start_date", "enterprise_number"),
        _establishment,
        "establishment_number",
        _establishment_number,
    ),
    TableSpec(
        "denomination",
        KboDenomination,
        ("EntityNumber", "Language", "TypeOfDenomination", "Denomination"),
        ("entity_number", "language", "type_of_denomination", "denomination"),
        _denomination,
        "entity_number",
    ),
    TableSpec(
        "address",
        KboAddress,
        (
            "EntityNumber",
            "TypeOfAddress",
            "CountryNL",
            "CountryFR",
            "Zipcode",
            "MunicipalityNL",
            "MunicipalityFR",
            "StreetNL",
            "StreetFR",
            "HouseNumber",
            "Box",
            "ExtraAddressInfo",
            "DateStrikingOff",
        ),
        ("entity_number", "type_of_address", *_ADDRESS_FIELDS, "date_striking_off"),
        _address,
        "entity_number",
    ),
    TableSpec(
        "contact",
        KboContact,
        ("EntityNumber", "EntityContact", "ContactType", "Value"),
        ("entity_number", "entity_contact", "contact_type", "value"),
        _contact,
        "entity_number",
    ),
    TableSpec(
        "activity",
        KboActivity,
        ("EntityNumber", "ActivityGroup", "NaceVersion", "NaceCode", "Classification"),
        ("entity_number", "activity_group", "nace_version", "nace_code", "classification"),
        _activity,
        "entity_number",
    ),
    TableSpec(
        "branch",
        KboBranch,
        ("Id", "StartDate", "EnterpriseNumber"),
        ("branch_id", "start_date", "enterprise_number"),
        _branch,
        "branch_id",
        branch_id,
    ),
)
# 36 million rows in a FULL extract: imported only when asked (KYC_REGISTER_ACTIVITIES).
OPTIONAL_TABLE = "activity"
CODE_TABLE = TableSpec(
    "code",
    KboCode,
    ("Category", "Code", "Language", "Description"),
    ("category", "code", "language", "description"),
    _code,
    "category",
)


# --- import ---------------------------------------------------------------------------


@dataclass
class FileReport:
    name: str
    rows: int = 0
    loaded: int = 0
    deleted_keys: int = 0
    deleted_rows: int = 0
    bad_rows: int = 0
    examples: list[str] = field(default_factory=list)

    def bad(self, line: int, reason: str) -> None:
        self.bad_rows += 1
        if len(self.examples) < _REPORTED_BAD_ROWS:
            self.examples.append(f"line {line}: {reason}")


@dataclass(frozen=True)
class ExtractMeta:
    extract_type: str
    extract_number: int
    snapshot_date: date
    extract_timestamp: str
    version: str


@dataclass
class RegisterImportReport:
    meta: ExtractMeta
    sha256: str
    created: bool
    extract_id: int | None = None
    files: list[FileReport] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)
    skipped_files: list[str] = field(default_factory=list)
    forced: str | None = None  # the sequence rule this import was allowed to break
    quality: RegisterQuality | None = None  # checked once the import is committed
    # Enterprises an UPDATE changed (None for a FULL, which changes everything).
    touched: frozenset[str] | None = None
    reverified: list[str] = field(default_factory=list)  # one line per customer checked again
    mandates_moved: list[str] = field(default_factory=list)  # representatives' verdicts moved

    def lines(self) -> list[str]:
        head = (
            f"KBO {self.meta.extract_type} extract #{self.meta.extract_number} "
            f"(snapshot {self.meta.snapshot_date:%d-%m-%Y})"
        )
        if not self.created:
            return [f"{head}: already imported (no change)"]
        lines = [f"{head}: imported as register version {self.extract_id}"]
        if self.forced:
            lines.append(f"  forced: {self.forced}")
        for report in self.files:
            if report.name.endswith("_delete.csv"):
                keys, rows = report.deleted_keys, report.deleted_rows
                line = f"  {report.name}: {keys} keys, {rows} rows deleted"
            else:
                line = f"  {report.name}: {report.loaded} rows loaded"
            if report.bad_rows:
                line += f", {report.bad_rows} malformed rows skipped"
            lines.append(line)
            lines.extend(f"    {example}" for example in report.examples)
        if self.missing_files:
            lines.append("  missing from this extract: " + ", ".join(self.missing_files))
        if self.skipped_files:
            lines.append(
                "  not imported (KYC_REGISTER_ACTIVITIES is off): " + ", ".join(self.skipped_files)
            )
        if self.quality is not None:
            lines.extend(self.quality.lines())
        if self.touched is not None:
            lines.append(
                f"  {len(self.touched)} enterprises changed; customers checked again: "
                f"{len(self.reverified)}"
            )
            lines.extend(f"    {line}" for line in self.reverified)
            lines.append(f"  mandates whose verdict moved: {len(self.mandates_moved)}")
            lines.extend(f"    {line}" for line in self.mandates_moved)
        return lines


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


# Establishment numbers start with 2 to 8 (enterprises with 0 or 1; branch ids with 9).
_ESTABLISHMENT_DIGITS = frozenset("2345678")


@dataclass
class RegisterImporter:
    session: Session
    auditor: Auditor
    now: datetime
    max_bad_row_share: float
    with_activities: bool = False
    _bulk: BulkInsert = field(init=False)
    # Enterprises an UPDATE deleted or wrote rows of: their customers are checked again.
    touched: set[str] = field(init=False, default_factory=set)
    # Establishments an UPDATE wrote rows of, traced to their enterprise once all is loaded.
    _establishments: set[str] = field(init=False, default_factory=set)

    def __post_init__(self) -> None:
        self._bulk = bulk_inserter(self.session)

    def run(
        self, path: Path, *, allow_partial: bool = False, force: bool = False
    ) -> RegisterImportReport:
        files = ExtractFiles(path)
        try:
            return self._run(files, allow_partial, force)
        finally:
            files.close()

    def _run(self, files: ExtractFiles, allow_partial: bool, force: bool) -> RegisterImportReport:
        meta = read_meta(files)
        digest = files.sha256()
        if self.session.scalar(select(RegisterExtract).where(RegisterExtract.sha256 == digest)):
            return RegisterImportReport(meta, digest, created=False)
        report = RegisterImportReport(meta, digest, created=True)
        report.forced = self._check_sequence(files, meta, force)
        report.missing_files = self._check_files(files, meta, allow_partial)
        report.files.append(self._replace_codes(files))
        for spec in self._tables():
            if meta.extract_type == "full":
                report.files.extend(self._load_full(files, spec))
            else:
                report.files.extend(self._apply_update(files, spec))
        if meta.extract_type == "full":
            refresh_statistics(self.session, [spec.model.__tablename__ for spec in self._tables()])
        if not self.with_activities:
            names = (
                ("activity",)
                if meta.extract_type == "full"
                else ("activity_delete", "activity_insert")
            )
            report.skipped_files = [f"{name}.csv" for name in names if files.has(name)]
        report.extract_id = self._record(meta, digest, report)
        if meta.extract_type == "update":
            self._trace_establishments(self._establishments)
            report.touched = frozenset(self.touched)
        return report

    def _tables(self) -> list[TableSpec]:
        return [s for s in TABLES if self.with_activities or s.name != OPTIONAL_TABLE]

    def _check_sequence(self, files: ExtractFiles, meta: ExtractMeta, force: bool) -> str | None:
        problem = sequence_problem(latest_extract(self.session), meta)
        if problem and not force:
            raise RegisterImportError(f"{files.path}: {problem} (--force imports it anyway)")
        return problem

    def _check_files(
        self, files: ExtractFiles, meta: ExtractMeta, allow_partial: bool
    ) -> list[str]:
        """The files a FULL extract lacks (refused unless a partial extract is allowed)."""
        if not files.has("code"):
            raise RegisterImportError(f"{files.path}: missing files: code.csv")
        if meta.extract_type != "full":
            return []
        missing = [f"{spec.name}.csv" for spec in self._tables() if not files.has(spec.name)]
        if missing and not allow_partial:
            raise RegisterImportError(
                f"{files.path}: missing files: {', '.join(missing)} (--allow-partial imports "
                "what there is)"
            )
        return missing

    def _replace_codes(self, files: ExtractFiles) -> FileReport:
        self.session.execute(delete(KboCode))
        return self._insert_rows(files, CODE_TABLE, "code")

    def _load_full(self, files: ExtractFiles, spec: TableSpec) -> list[FileReport]:
        self.session.execute(delete(spec.model))
        if not files.has(spec.name):
            return []
        return [self._insert_rows(files, spec, spec.name)]

    def _apply_update(self, files: ExtractFiles, spec: TableSpec) -> list[FileReport]:
        reports = []
        if files.has(f"{spec.name}_delete"):
            reports.append(self._delete_keys(files, spec))
        if files.has(f"{spec.name}_insert"):
            reports.append(self._insert_rows(files, spec, f"{spec.name}_insert"))
        return reports

    def _delete_keys(self, files: ExtractFiles, spec: TableSpec) -> FileReport:
        name = f"{spec.name}_delete"
        report = FileReport(f"{name}.csv")
        column = getattr(spec.model, spec.key_attribute)
        keys: list[str] = []
        for line, row in self._rows(files, name, None, report):
            try:
                keys.append(spec.key(row[0]))
            except RowError as error:
                report.bad(line, str(error))
        self._note_touched(keys)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            # Traced before the delete: afterwards the establishment may be gone.
            self._trace_establishments(chunk)
            statement = delete(spec.model).where(column.in_(chunk))
            report.deleted_rows += self.session.execute(statement).rowcount  # type: ignore[attr-defined]
        report.deleted_keys = len(keys)
        self._check_share(report)
        return report

    def _insert_rows(self, files: ExtractFiles, spec: TableSpec, name: str) -> FileReport:
        report = FileReport(f"{name}.csv")
        batch: list[Row] = []
        # The entities an UPDATE's rows belong to (the entity itself, or its owner).
        owners = [
            spec.columns.index(column)
            for column in ("enterprise_number", "entity_number")
            if column in spec.columns and name.endswith("_insert")
        ]
        for line, row in self._rows(files, name, spec.header, report):
            try:
                batch.append(spec.convert(row))
            except RowError as error:
                report.bad(line, str(error))
                continue
            self._note_touched(batch[-1][i] for i in owners)
            if len(batch) == _BATCH:
                self._flush(spec, batch, report)
        self._flush(spec, batch, report)
        self._check_share(report)
        return report

    def _note_touched(self, numbers: Iterable[str]) -> None:
        for number in numbers:
            if number[0] in "01":
                self.touched.add(number)
            elif number[0] in _ESTABLISHMENT_DIGITS:
                self._establishments.add(number)

    def _trace_establishments(self, numbers: Iterable[str]) -> None:
        """Count an establishment's change as its enterprise's (its address, its names)."""
        wanted = sorted(n for n in numbers if n[0] in _ESTABLISHMENT_DIGITS)
        for start in range(0, len(wanted), 500):
            self.touched.update(
                self.session.scalars(
                    select(KboEstablishment.enterprise_number).where(
                        KboEstablishment.establishment_number.in_(wanted[start : start + 500])
                    )
                )
            )

    def _flush(self, spec: TableSpec, batch: list[Row], report: FileReport) -> None:
        if not batch:
            return
        try:
            self._bulk(spec.model.__table__, spec.columns, batch)  # type: ignore[arg-type]
        except RowsRefused as error:
            # A key already in the register: an UPDATE whose delete file missed it, or a
            # FULL that repeats a row. The whole import is undone.
            raise RegisterImportError(
                f"{report.name}: a row clashes with one already loaded ({error}); "
                "nothing was imported"
            ) from error
        report.loaded += len(batch)
        batch.clear()

    def _rows(
        self,
        files: ExtractFiles,
        name: str,
        header: tuple[str, ...] | None,
        report: FileReport,
    ) -> Iterable[tuple[int, list[str]]]:
        with files.open(name) as handle:
            reader = csv.reader(handle)
            found = next(reader, None)
            if found is None:
                return
            if header is not None and tuple(found) != header:
                raise RegisterImportError(
                    f"{name}.csv: header {','.join(found)} is not {','.join(header)}"
                )
            width = len(found)
            try:
                for row in reader:
                    report.rows += 1
                    if len(row) != width:
                        report.bad(reader.line_num, f"{len(row)} columns instead of {width}")
                        continue
                    yield reader.line_num, row
            except csv.Error as error:
                raise RegisterImportError(
                    f"{name}.csv line {reader.line_num}: malformed CSV ({error})"
                ) from error

    def _check_share(self, report: FileReport) -> None:
        if report.rows and report.bad_rows / report.rows > self.max_bad_row_share:
            shown = "; ".join(report.examples[:5])
            raise RegisterImportError(
                f"{report.name}: {report.bad_rows} of {report.rows} rows are malformed, more "
                f"than the allowed share {self.max_bad_row_share:.1%} ({shown})"
            )

    def _record(self, meta: ExtractMeta, digest: str, report: RegisterImportReport) -> int:
        extract = RegisterExtract(
            extract_number=meta.extract_number,
            extract_type=meta.extract_type,
            snapshot_date=meta.snapshot_date,
            extract_timestamp=meta.extract_timestamp,
            format_version=meta.version,
            sha256=digest,
            imported_at=self.now,
            row_counts={r.name: r.loaded for r in report.files},
        )
        self.session.add(extract)
        self.session.flush()
        self.auditor.record(
            self.session,
            action="register.imported",
            purpose=Purpose.REGISTER_MAINTENANCE,
            outcome="imported, sequence rule overridden" if report.forced else "imported",
            subject_ref=f"register:{extract.id}",
            details={
                "extract_type": meta.extract_type,
                "extract_number": meta.extract_number,
                "snapshot_date": meta.snapshot_date.isoformat(),
                "sha256": digest,
                "rows": extract.row_counts,
                "malformed_rows": {r.name: r.bad_rows for r in report.files if r.bad_rows},
                "missing_files": report.missing_files,
                "forced": report.forced,
            },
        )
        return extract.id


def latest_extract(session: Session) -> RegisterExtract | None:
    return session.scalar(select(RegisterExtract).order_by(RegisterExtract.id.desc()).limit(1))
