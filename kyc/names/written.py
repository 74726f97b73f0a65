"""One written name, several readings: how lists and registers write more than a name.

- ``A; B`` and ``A / B`` are two names; ``Movement/Army`` is the name with its last
  word changed (``Lord's Resistance Movement/Army``), while ``J/V`` or ``c/o`` is one word.
- For organisations, ``X formerly Y``, ``X f.k.a. Y``, ``X trading as Y``, ``X t/a Y``,
  ``X h/o Y``… name one body twice (``organisations.toml`` lists the markers).
- Brackets: an abbreviation (``Butembo Airlines (BAL)``: its letters come in order
  from the name) is read apart from the name, and on its own; a list of names or a
  name after a marker in brackets are names; a name in Latin letters beside one in
  another script is another name; anything else is a qualifier (``(PAKISTAN)``,
  ``(HONG KONG)``), read both with the name and apart from it. Remarks such as
  ``(original script)`` are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from kyc.names.org_tables import tables
from kyc.names.parts import Aside, Reason
from kyc.names.text import join_letter_slashes, normalize

_OPENING, _CLOSING = "([（［", ")]）］"
_LETTERS_ONLY = re.compile(r"[.\-/&'’\s]")
_SLASHES = re.compile(r"[/\-]")
# At most this many letters, and two words, in a bracketed abbreviation.
_ABBREVIATION_LETTERS = 10


@dataclass(frozen=True, slots=True)
class Reading:
    text: str
    notes: tuple[Aside, ...] = ()
    abbreviation: bool = False


_SEPARATORS = re.compile(r"[;/(\[（［]")


def written_readings(name: str, organisation: bool) -> list[Reading]:
    """The readings of a written name, the name itself first."""
    # Most names hold one reading: nothing to split them on.
    if not _SEPARATORS.search(name) and not (organisation and _markers().search(name)):
        return [Reading(name)] if name.strip() else []
    found: list[Reading] = []
    for part in _top_level_split(name, ";"):
        pieces = _other_names(part) if organisation else [Reading(part)]
        for piece in pieces:
            within = _bracket_readings(piece) if organisation else [piece]
            for reading in within:
                found.extend([reading] if reading.abbreviation else _slash_readings(reading))
    unique = {(r.text.strip(), r.abbreviation): r for r in reversed(found) if r.text.strip()}
    return list(reversed(unique.values()))


def _top_level_split(text: str, separator: str) -> list[str]:
    """``text`` split on ``separator`` where it stands outside brackets."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth = max(0, depth - 1)
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [part for part in parts if part.strip()]


def _masked(text: str) -> str:
    """The text with what stands in brackets blanked (positions kept)."""
    chars, depth = [], 0
    for char in text:
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING and depth:
            depth -= 1
            chars.append(" ")
            continue
        chars.append(" " if depth else char)
    return "".join(chars)


@cache
def _markers() -> re.Pattern[str]:
    phrases = sorted(tables()["other_name_markers"]["phrases"], key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
    return re.compile(rf"(?<![\w/.])(?:{alternatives})(?![\w/])", re.IGNORECASE)


@cache
def _remarks() -> re.Pattern[str]:
    phrases = sorted(tables()["bracket_remarks"]["phrases"], key=len, reverse=True)
    alternatives = "|".join(r"[\s-]+".join(map(re.escape, p.split())) for p in phrases)
    return re.compile(rf"\s*[-–]?\s*\(?\s*(?:{alternatives})\s*\)?\s*$", re.IGNORECASE)


def _other_names(text: str) -> list[Reading]:
    """``X formerly Y`` → X, and Y read as another name (markers outside brackets)."""
    matches = list(_markers().finditer(_masked(text)))
    if not matches:
        return [Reading(text)]
    cuts = [0, *(i for m in matches for i in (m.start(), m.end())), len(text)]
    pieces = [text[cuts[i] : cuts[i + 1]] for i in range(0, len(cuts), 2)]
    names = [piece.strip(" ,:-") for piece in pieces]
    readings = []
    for index, piece in enumerate(names):
        if not piece:
            continue
        others = tuple(
            Aside(f"{m.group(0)} {names[i + 1]}".strip(), Reason.OTHER_NAME)
            for i, m in enumerate(matches)
            if i + 1 != index
        )
        readings.append(Reading(piece, others if index == 0 else (_other_note(matches, index),)))
    return readings


def _other_note(matches: list[re.Match[str]], index: int) -> Aside:
    return Aside(f"after '{matches[index - 1].group(0)}'", Reason.OTHER_NAME)


def _groups(text: str) -> list[tuple[int, int]]:
    """(start, end) of each top-level bracket group, brackets included; none when the
    brackets do not balance."""
    groups, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in _OPENING:
            if depth == 0:
                start = index
            depth += 1
        elif char in _CLOSING:
            if depth == 0:
                return []
            depth -= 1
            if depth == 0:
                groups.append((start, index + 1))
    return groups if depth == 0 else []


def _bracket_readings(reading: Reading) -> list[Reading]:
    text = reading.text
    groups = _groups(text)
    if not groups:
        return [reading]
    starts = [0, *(end for _start, end in groups)]
    ends = [*(start for start, _end in groups), len(text)]
    main = " ".join(" ".join(text[a:b] for a, b in zip(starts, ends, strict=True)).split())
    notes = list(reading.notes)
    extra: list[Reading] = []
    qualifiers: list[str] = []
    for start, end in groups:
        content = _remarks().sub("", text[start + 1 : end - 1]).strip()
        if not content:
            continue
        kind, found = _bracketed(content, main)
        notes.append(Aside(f"({content})", kind))
        extra.extend(found)
        if kind == Reason.QUALIFIER:
            qualifiers.append(content)
    readings = [Reading(main, tuple(notes))] if main else []
    if qualifiers and main:
        kept = tuple(Aside(f"({q})", Reason.QUALIFIER_KEPT) for q in qualifiers)
        readings.append(
            Reading(_with_qualifiers(text, groups, qualifiers), (*reading.notes, *kept))
        )
    return readings + extra


def _with_qualifiers(text: str, groups: list[tuple[int, int]], qualifiers: list[str]) -> str:
    """The name with its bracketed qualifiers kept as words (and the rest left out)."""
    parts, last = [], 0
    for start, end in groups:
        parts.append(text[last:start])
        content = _remarks().sub("", text[start + 1 : end - 1]).strip()
        if content in qualifiers:
            parts.append(f" {content} ")
        last = end
    parts.append(text[last:])
    return " ".join("".join(parts).split())


def _bracketed(content: str, main: str) -> tuple[Reason, list[Reading]]:
    """What a bracketed text is (an Aside reason) and the readings it adds."""
    marker = _markers().match(content)
    if marker is not None:
        rest = content[marker.end() :].strip(" ,:-")
        note = Aside(f"after '{marker.group(0)}'", Reason.OTHER_NAME)
        return Reason.OTHER_NAME, [_noted(r, note) for r in written_readings(rest, True)]
    if ";" in content or (_latin(content) and main and not _latin(main)):
        note = Aside(f"({content})", Reason.OTHER_NAME)
        return Reason.OTHER_NAME, [_noted(r, note) for r in written_readings(content, True)]
    if is_abbreviation(content, main):
        written = _SLASHES.sub("", content)  # LRM/A, ISIL-K: one abbreviation
        note = Aside(written, Reason.ABBREVIATION_ALONE)
        return Reason.ABBREVIATION, [Reading(written, (note,), abbreviation=True)]
    return Reason.QUALIFIER, []


def _noted(reading: Reading, note: Aside) -> Reading:
    return Reading(reading.text, (note, *reading.notes), reading.abbreviation)


def _latin(text: str) -> bool:
    """Whether every letter of the text is a Latin one."""
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and all(
        char.isascii() or "LATIN" in unicodedata.name(char, "") for char in letters
    )


def is_abbreviation(content: str, name: str) -> bool:
    """Whether a bracketed text abbreviates the name beside it: at most two words and
    ten letters, capitals in it (or very short), its first letter beginning a word of
    the name and its letters coming in order in the name (``BAL`` in ``Butembo
    Airlines``, ``ISIL-K`` in ``Islamic State in Iraq and the Levant - Khorasan``)."""
    letters = _LETTERS_ONLY.sub("", content)
    if not letters.isalpha() or not 2 <= len(letters) <= _ABBREVIATION_LETTERS:
        return False
    if len(content.split()) > 2:
        return False
    capitals = sum(char.isupper() for char in letters)
    if capitals < 2 and len(letters) > 4 and not name.islower():
        return False
    short, long = normalize(letters).replace(" ", ""), normalize(name)
    if not short or not long or short[0] not in {word[0] for word in long.split()}:
        return False
    remaining = iter(long.replace(" ", ""))
    return all(letter in remaining for letter in short)


def _slash_positions(text: str) -> list[int]:
    """Where ``/`` separates names: outside brackets, and not between two single letters
    (``J/V``, ``c/o``)."""
    masked = _masked(text)
    positions = []
    for index, char in enumerate(masked):
        if char != "/":
            continue
        before = masked[max(0, index - 2) : index]
        after = masked[index + 1 : index + 3]
        single_before = len(before) >= 1 and before[-1].isalpha() and not before[:-1].isalnum()
        single_after = len(after) >= 1 and after[0].isalpha() and not after[1:].isalnum()
        if not (single_before and single_after):
            positions.append(index)
    return positions


def _slash_readings(reading: Reading) -> list[Reading]:
    """``A / B``: two names. ``A B/C``: ``A B`` and ``A C`` — the words after the slash
    stand for as many words before it — and ``C`` too when it has two words or more."""
    text = reading.text
    positions = _slash_positions(text)
    if not positions:
        return [_one_word_slashes(reading)]
    bounds = [-1, *positions, len(text)]
    parts = [text[bounds[i] + 1 : bounds[i + 1]] for i in range(len(bounds) - 1)]
    first = parts[0].split()
    note = Aside("/", Reason.SEPARATED)
    last = parts[-1].split()
    if all(len(part.split()) == 1 for part in parts[:-1]) and len(last) > 1:
        # Arm/Fronta/Páirtí Saortha …: each word before the slashes stands for the first
        # word after them.
        rest = " ".join(last[1:])
        found = [Reading(f"{part.strip()} {rest}", (*reading.notes, note)) for part in parts[:-1]]
        found.append(Reading(parts[-1].strip(), (note,)))
        if len(parts) == 2:  # Al-Qa'ida/Islamic Army: or two names
            found.insert(0, Reading(parts[0].strip(), (*reading.notes, note)))
        return [_one_word_slashes(r) for r in found]
    found = [Reading(parts[0].strip(), (*reading.notes, note), reading.abbreviation)]
    for position, part in zip(positions, parts[1:], strict=True):
        words = part.split()
        if not words:
            continue
        around = text[position - 1 : position] + text[position + 1 : position + 2]
        spaced = any(char.isspace() for char in around)
        if spaced or len(words) > 1 or len(words) >= len(first):
            found.append(Reading(part.strip(), (note,)))
        if not spaced and len(words) < len(first):
            found.append(Reading(" ".join([*first[: -len(words)], *words]), (note,)))
    return [_one_word_slashes(r) for r in found if len(r.text.replace(" ", "")) > 1]


def _one_word_slashes(reading: Reading) -> Reading:
    """``J/V``, ``c/o`` as one word (``JV``)."""
    joined = join_letter_slashes(reading.text)
    return (
        reading if joined == reading.text else Reading(joined, reading.notes, reading.abbreviation)
    )
