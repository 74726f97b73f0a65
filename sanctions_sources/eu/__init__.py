"""EU Financial Sanctions Files (FSF), XML 1.1."""

from __future__ import annotations

from sanctions_sources.base import Source, reader
from sanctions_sources.eu import fetch, parse
from sanctions_sources.eu import map as eu_map

SOURCE = Source(
    key="eu",
    title="EU Financial Sanctions Files (consolidated list)",
    default_url=fetch.DEFAULT_URL,
    local_glob=fetch.LOCAL_GLOB,
    parse=reader(parse.parse_file, eu_map.to_common),
    sniff=parse.sniff,
    id_pattern=r"^[0-9]+$",
)
