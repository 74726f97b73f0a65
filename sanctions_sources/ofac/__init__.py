"""OFAC Specially Designated Nationals list, legacy CSV set."""

from __future__ import annotations

from pathlib import Path

from kyc.model import ParsedList
from sanctions_sources.base import Source
from sanctions_sources.ofac import fetch, parse
from sanctions_sources.ofac import map as ofac_map


def read(path: Path) -> ParsedList:
    # The legacy CSV set carries no publication date.
    return ofac_map.to_common(parse.parse_file(path))


SOURCE = Source(
    key="ofac",
    title="OFAC SDN list (legacy CSV set)",
    default_url=fetch.DEFAULT_URL,
    local_glob=fetch.LOCAL_GLOB,
    parse=read,
    sniff=fetch.sniff,
    id_pattern=r"^[0-9]+$",
    kept_suffix=".zip",
    read_bytes=fetch.read_bytes,
    member_urls=fetch.MEMBER_URLS,
    bundle=fetch.bundle,
    locate=fetch.locate,
)
