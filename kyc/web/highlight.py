"""The words of a name that the other name shares, to highlight (compared as the
matcher reads them: case, accents and script set aside)."""

from __future__ import annotations

import re

from kyc.names import normalize

_WORDS = re.compile(r"\S+")


def highlighted(name: str, others: list[str]) -> list[tuple[str, bool]]:
    """The name cut into words and the spaces between them, each with whether the
    word appears in one of ``others``. The template escapes every piece."""
    known = {word for other in others for word in normalize(other).split()}
    pieces: list[tuple[str, bool]] = []
    position = 0
    for found in _WORDS.finditer(name):
        if found.start() > position:
            pieces.append((name[position : found.start()], False))
        words = normalize(found.group()).split()
        pieces.append((found.group(), bool(words) and all(w in known for w in words)))
        position = found.end()
    if position < len(name):
        pieces.append((name[position:], False))
    return pieces
