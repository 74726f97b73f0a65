"""UK Sanctions List (FCDO), XML."""

from __future__ import annotations

from sanctions_sources.base import Source, reader
from sanctions_sources.uk import fetch, parse
from sanctions_sources.uk import map as uk_map

SOURCE = Source(
    key="uk",
    title="UK Sanctions List",
    default_url=fetch.DEFAULT_URL,
    local_glob=fetch.LOCAL_GLOB,
    parse=reader(parse.parse_file, uk_map.to_common),
    sniff=parse.sniff,
    id_pattern=r"^[A-Z]{2,4}[0-9]{4}$",
)
