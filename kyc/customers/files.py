"""Customer files read into labelled raw records: JSON (a list of customers, or
``{"customers": [...]}``) and CSV (one row per representative)."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

from kyc.customers.schema import (
    CSV_COMPANY_COLUMNS,
    CSV_REPRESENTATIVE_COLUMNS,
    CSV_REQUIRED_COLUMNS,
    CustomerFileError,
    RawRecord,
)


def read_customer_file(path: Path) -> list[RawRecord]:
    """Read a customer file (``.json`` or ``.csv``) into labelled raw records."""
    if not path.is_file():
        raise CustomerFileError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _read_json(path)
    if suffix == ".csv":
        return _read_csv(path)
    raise CustomerFileError(f"{path}: unknown file type {suffix!r} (use .csv or .json)")


def _read_json(path: Path) -> list[RawRecord]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CustomerFileError(f"{path}: not valid UTF-8 JSON ({error})") from error
    items = document.get("customers") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise CustomerFileError(f"{path}: expected a list of customers or {{'customers': [...]}}")
    return [RawRecord(_json_label(i, item), item) for i, item in enumerate(items, start=1)]


def _json_label(index: int, item: object) -> str:
    ref = item.get("customer_ref") if isinstance(item, dict) else None
    return f"record {index}" + (f" ({ref})" if isinstance(ref, str) and ref else "")


def _read_csv(path: Path) -> list[RawRecord]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or []]
            _check_csv_header(path, header)
            reader.fieldnames = header
            return _group_csv_rows(reader)
    except UnicodeDecodeError as error:
        raise CustomerFileError(f"{path}: not UTF-8 text ({error})") from error
    except csv.Error as error:
        raise CustomerFileError(f"{path}: malformed CSV ({error})") from error


def _check_csv_header(path: Path, header: Sequence[str]) -> None:
    missing = [name for name in CSV_REQUIRED_COLUMNS if name not in header]
    if missing:
        raise CustomerFileError(f"{path}: missing required columns: {', '.join(missing)}")
    unknown = set(header) - set(CSV_COMPANY_COLUMNS) - set(CSV_REPRESENTATIVE_COLUMNS)
    if unknown:
        raise CustomerFileError(f"{path}: unknown columns: {', '.join(sorted(unknown))}")


def _group_csv_rows(reader: csv.DictReader[str]) -> list[RawRecord]:
    groups: dict[str, tuple[list[int], list[dict[str, str]]]] = {}
    for row in reader:
        if None in row:
            raise CustomerFileError(f"line {reader.line_num}: more values than columns")
        key = (row.get("customer_ref") or "").strip() or (row.get("enterprise_number") or "")
        lines, rows = groups.setdefault(key.strip(), ([], []))
        lines.append(reader.line_num)
        rows.append(row)
    return [_csv_record(lines, rows) for lines, rows in groups.values()]


def _csv_record(lines: list[int], rows: list[dict[str, str]]) -> RawRecord:
    first = rows[0]
    company = {
        "enterprise_number": first.get("enterprise_number"),
        "name": first.get("company_name"),
        "peppol_id": first.get("peppol_id"),
        "address": {
            key: first.get(key)
            for key in ("street", "house_number", "box", "postcode", "municipality", "country")
            if first.get(key)
        },
    }
    representatives = [
        {column.removeprefix("rep_"): row.get(column) for column in CSV_REPRESENTATIVE_COLUMNS}
        for row in rows
        if any((row.get(column) or "").strip() for column in CSV_REPRESENTATIVE_COLUMNS)
    ]
    span = f"line {lines[0]}" if len(lines) == 1 else f"lines {lines[0]}-{lines[-1]}"
    ref = (first.get("customer_ref") or "").strip()
    label = span + (f" ({ref})" if ref else "")
    record: dict[str, object] = {
        "customer_ref": first.get("customer_ref"),
        "company": company,
        "representatives": representatives,
    }
    if (first.get("relationship_end") or "").strip():
        record["relationship_end"] = {
            "ended_on": first["relationship_end"],
            "reason": first.get("relationship_end_reason"),
            "onboarding_refused": (first.get("onboarding_refused") or "").strip().lower()
            in ("true", "yes", "1"),
        }
    return RawRecord(label, record)
