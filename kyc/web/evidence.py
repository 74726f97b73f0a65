"""A finding's evidence as a reviewer reads it: a value, not a Python literal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def shown(value: object) -> str:
    """``{"FR": "Faillite", "NL": "Faillissement"}`` as ``FR: Faillite · NL:
    Faillissement``, a list as its items; the template escapes the text."""
    if isinstance(value, Mapping):
        return " · ".join(f"{key}: {shown(item)}" for key, item in value.items())
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return ", ".join(shown(item) for item in value)
    if value is None:
        return "-"
    return str(value)
