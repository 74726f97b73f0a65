"""What every sanctions source provides, and the errors they raise."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from kyc.model import ParsedList


class ListFormatError(ValueError):
    """A list file that cannot be read: names the source, the file and the reason."""

    def __init__(self, source: str, path: Path | str, reason: str) -> None:
        super().__init__(f"{source} list {path}: {reason}")
        self.source = source
        self.path = str(path)
        self.reason = reason


@dataclass(frozen=True)
class Source:
    """One publisher's list: where it lives and how to read it into the common model.

    ``parse`` reads the publisher's format (``parse.py``) and maps it (``map.py``);
    ``sniff`` tells from the first bytes whether a body is this format at all, so an
    HTML error page is never mistaken for a list; ``id_pattern`` is what the source's
    entry identifiers look like (its quality suite checks every one).
    """

    key: str
    title: str
    default_url: str
    local_glob: str
    parse: Callable[[Path], ParsedList]
    sniff: Callable[[bytes], bool]
    id_pattern: str
    kept_suffix: str = ".xml"
    read_bytes: Callable[[Path], bytes] = lambda path: path.read_bytes()
    # Sources published as several files (OFAC's CSV set): member name → address. Their
    # files are kept as one canonical zip, so one version has one digest.
    member_urls: dict[str, str] | None = None
    bundle: Callable[[dict[str, bytes]], bytes] | None = None
    # Finds a local copy in a directory when it is not one file matching local_glob.
    locate: Callable[[Path], Path | None] | None = None


Records = TypeVar("Records")


def reader(
    parse_file: Callable[[Path], Records], to_common: Callable[[Records], ParsedList]
) -> Callable[[Path], ParsedList]:
    """A source's ``parse``: its own format first, then the mapping to the common model."""

    def read(path: Path) -> ParsedList:
        return to_common(parse_file(path))

    return read
