"""Readable pages of plain records (an access request's answer, the auditor's report):
each section a definition list or a table, escaped by Jinja2 (autoescape on)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape


def shown(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S UTC")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping | list | tuple):
        return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
    return str(value)


def label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("kyc", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    env.filters.update(shown=shown, label=label, columns=columns)
    return env


def render_page(
    title: str, intro: str, sections: Sequence[tuple[str, Any]], restricted: str | None = None
) -> str:
    template = _environment().get_template("report.html")
    return template.render(title=title, intro=intro, sections=sections, restricted=restricted)


def as_json(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2, default=shown, sort_keys=False)
