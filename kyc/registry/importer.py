"""Import KBO Open Data extracts (FULL or UPDATE) from a folder or a zip.

Files are streamed row by row; malformed rows are counted and reported with their line
numbers and skipped, unless there are too many of them. The whole import is one
transaction: on any error the register stays as it was.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kyc.audit import Auditor
from kyc.progress import Stages
from kyc.purposes import Purpose
from kyc.registry.bulk import BulkInsert, Row, RowsRefused, bulk_inserter, refresh_statistics
from kyc.registry.extract import (
    ExtractFiles,
    ExtractMeta,
    RegisterImportError,
    latest_extract,
    read_meta,
    sequence_problem,
)
from kyc.registry.quality import RegisterQuality
from kyc.registry.tables import CODE_TABLE, OPTIONAL_TABLE, TABLES, RowError, TableSpec
from kyc.store.models import KboCode, KboEstablishment, RegisterExtract

# Rows handed to the database at once: large enough to keep the driver busy, small
# enough to keep memory flat on files of millions of rows.
_BATCH = 20_000
_REPORTED_BAD_ROWS = 20
# Rows between progress reports: often enough for a bar, rare enough to cost nothing.
_PROGRESS_ROWS = 10_000


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


# Establishment numbers start with 2 to 8 (enterprises with 0 or 1; branch ids with 9).
_ESTABLISHMENT_DIGITS = frozenset("2345678")


@dataclass
class RegisterImporter:
    session: Session
    auditor: Auditor
    now: datetime
    max_bad_row_share: float
    with_activities: bool = False
    stages: Stages = field(default_factory=lambda: Stages("register import"))
    _bulk: BulkInsert = field(init=False)
    # Enterprises an UPDATE deleted or wrote rows of: their customers are checked again.
    touched: set[str] = field(init=False, default_factory=set)
    # Establishments an UPDATE wrote rows of, traced to their enterprise once all is loaded.
    _establishments: set[str] = field(init=False, default_factory=set)
    _reported: int = field(init=False, default=0)  # bytes of the current file reported

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
        self.stages.begin("recording")
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
        self.stages.begin(f"{name}.csv", files.size(name), "bytes")
        self._reported = 0
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
                    if report.rows % _PROGRESS_ROWS == 0:
                        self._report_progress(files)
                    if len(row) != width:
                        report.bad(reader.line_num, f"{len(row)} columns instead of {width}")
                        continue
                    yield reader.line_num, row
                self._report_progress(files)
            except csv.Error as error:
                raise RegisterImportError(
                    f"{name}.csv line {reader.line_num}: malformed CSV ({error})"
                ) from error

    def _report_progress(self, files: ExtractFiles) -> None:
        read = files.bytes_read()
        self.stages.advance(read - self._reported)
        self._reported = read

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
