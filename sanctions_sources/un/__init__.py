"""UN Security Council consolidated sanctions list (XML)."""

from __future__ import annotations

from sanctions_sources.base import Source, reader
from sanctions_sources.un import fetch, parse
from sanctions_sources.un import map as un_map

SOURCE = Source(
    key="un",
    title="UN Security Council consolidated list",
    default_url=fetch.DEFAULT_URL,
    local_glob=fetch.LOCAL_GLOB,
    parse=reader(parse.parse_file, un_map.to_common),
    sniff=parse.sniff,
    id_pattern=r"^[A-Z]{2}[ie]\.[0-9]+$",
)
