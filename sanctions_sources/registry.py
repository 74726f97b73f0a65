"""The one list of sanctions sources the pipeline knows."""

from __future__ import annotations

from sanctions_sources import be, eu, ofac, uk, un
from sanctions_sources.base import Source

SOURCES: dict[str, Source] = {
    source.key: source for source in (eu.SOURCE, un.SOURCE, ofac.SOURCE, uk.SOURCE, be.SOURCE)
}


class UnknownSource(KeyError):
    def __str__(self) -> str:
        known = ", ".join(sorted(SOURCES))
        return f"unknown sanctions source {self.args[0]!r} (known: {known})"


def get_source(key: str) -> Source:
    try:
        return SOURCES[key]
    except KeyError:
        raise UnknownSource(key) from None
