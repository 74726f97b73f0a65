"""The Belgian national list of the FPS Finance (CSV; column names in ``columns.py``)."""

from __future__ import annotations

from sanctions_sources.base import Source, reader
from sanctions_sources.be import fetch, parse
from sanctions_sources.be import map as be_map

SOURCE = Source(
    key="be",
    title="Belgian national list (FPS Finance)",
    default_url=fetch.DEFAULT_URL,
    local_glob=fetch.LOCAL_GLOB,
    parse=reader(parse.parse_file, be_map.to_common),
    sniff=parse.sniff,
    id_pattern=r"^\S{1,64}$",
    kept_suffix=".csv",
)
