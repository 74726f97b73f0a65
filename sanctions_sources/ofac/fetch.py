"""Where OFAC publishes the SDN list's legacy CSV set, and how a local copy is recognised."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

MEMBERS = ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")
BASE = "https://www.treasury.gov/ofac/downloads"
MEMBER_URLS = {name: f"{BASE}/{name}" for name in MEMBERS}
DEFAULT_URL = MEMBER_URLS["sdn.csv"]
# A zip of the set named ofac*.zip, or a directory holding sdn.csv and the others.
LOCAL_GLOB = "ofac*.zip"
REQUIRED = ("sdn.csv", "alt.csv", "add.csv")
_EPOCH = (1980, 1, 1, 0, 0, 0)


def bundle(members: dict[str, bytes]) -> bytes:
    """One canonical zip: the same files always give the same bytes (and digest)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, members[name])
    return buffer.getvalue()


def read_bytes(path: Path) -> bytes:
    """A directory of the CSV files, or a zip of them, as the canonical bundle."""
    if path.is_dir():
        members = {
            p.name.lower(): p.read_bytes() for p in path.iterdir() if p.name.lower() in MEMBERS
        }
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = {
                Path(n).name.lower(): archive.read(n)
                for n in archive.namelist()
                if Path(n).name.lower() in MEMBERS
            }
    else:
        members = {"sdn.csv": path.read_bytes()} if path.name.lower() == "sdn.csv" else {}
    return bundle(members)


def locate(directory: Path) -> Path | None:
    if (directory / "sdn.csv").is_file():
        return directory
    nested = directory / "ofac"
    return nested if (nested / "sdn.csv").is_file() else None


def sniff(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")
