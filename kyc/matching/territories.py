"""Country codes for what lists write in a nationality or country field: an ISO code, a
name in one of many languages (``Russian Federation``, ``Irak``), a former name.

rigour knows them all, but builds its table of some 25,000 names on first use: 3.6 s
in every process that screens, a command as short as ``kyc onboard`` included. That
table ships here as rigour builds it (``python -m kyc.matching.territories`` writes it
again), and answers while the installed rigour is the release it was built from; with
another release, rigour's own lookup answers, slower but never stale.
"""

from __future__ import annotations

import gzip
import json
from functools import cache, lru_cache
from importlib.metadata import version
from pathlib import Path

from rigour.territories import lookup_by_identifier, lookup_territory
from rigour.territories.util import normalize_territory_name

TABLE = Path(__file__).with_name("territory_names.json.gz")


@lru_cache(maxsize=4096)
def territory_code(text: str) -> str | None:
    """The territory's code (``ru``, ``ps``, ``xk``…), or None when it is not one."""
    territory = lookup_by_identifier(text)
    if territory is not None:
        return territory.code
    names = shipped_names()
    if names is None:
        found = lookup_territory(text)
        return None if found is None else found.code
    return names.get(normalize_territory_name(text))


@cache
def shipped_names() -> dict[str, str] | None:
    """The shipped table (normalised name → code), if it is the installed rigour's."""
    with gzip.open(TABLE, "rt", encoding="utf-8") as handle:
        table = json.load(handle)
    return table["names"] if table["rigour"] == version("rigour") else None


def rigour_names() -> dict[str, str]:
    """The table as the installed rigour builds it (slow: what the shipped one saves)."""
    # rigour keeps it private; the shipped table must be exactly that one.
    from rigour.territories.lookup import _get_territory_names

    return {name: territory.code for name, territory in _get_territory_names().items()}


def write_table(path: Path = TABLE) -> None:
    body = json.dumps(
        {"rigour": version("rigour"), "names": rigour_names()},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    path.write_bytes(gzip.compress(body.encode(), mtime=0))


if __name__ == "__main__":
    write_table()
