"""An organisation's name in Latin letters, with what only its written form tells:
legal forms written in another script or with punctuation (``ООО``, ``beschränkter
Haftung``, ``Sp. z o.o.``, ``有限公司``), forms written out in several words, and the
words rigour's tagger marks as generic in their own script (``شركة``)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from rigour.names import (
    extract_org_types,
)
from rigour.text.scripts import text_scripts

from kyc.names.org_tables import (
    NO_MEANING,
    Meaning,
    meaning,
    native_conjunctions,
    native_form,
    tables,
)
from kyc.names.text import (
    CONSONANT_SCRIPTS,
    join_abbreviations,
    normalize,
)


@cache
def _written_out() -> tuple[re.Pattern[str], dict[str, str]]:
    """Belgian forms written out in full, and forms written in several words in another
    script (``با مسئولیت محدود``), as one pattern over accent-free text."""
    phrases: dict[str, str] = {
        **tables()["belgian_forms"]["written_out"],
        **tables()["other_forms"]["phrases"],
    }
    by_length = sorted(phrases, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, p.split())) for p in by_length)
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    return pattern, {" ".join(p.split()): form for p, form in phrases.items()}


def _folded(text: str) -> str:
    """The text with accents and dots gone, character for character (positions agree)."""
    return "".join(_fold_char(char) for char in text)


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in ".,-":
        return " "
    if char.isascii():
        return char
    base = unicodedata.normalize("NFKD", char)[0]
    return base if base.isascii() else char


@cache
def _first_words() -> frozenset[str]:
    """The first word of each phrase of :func:`_written_out`, as its ASCII text begins."""
    phrases = {**tables()["belgian_forms"]["written_out"], **tables()["other_forms"]["phrases"]}
    return frozenset(phrase.split()[0] for phrase in phrases if phrase.isascii())


def our_phrases(written: str) -> str:
    """Written-out Belgian forms as their abbreviation, before rigour reads them (it
    reads ``commanditaire vennootschap`` as the Dutch CV: in Belgium a cooperative)."""
    pattern, forms = _written_out()
    if written.isascii() and not any(word in written for word in _first_words()):
        return written  # no phrase can begin here
    folded = _folded(written)
    if not pattern.search(folded):
        return written
    parts, last = [], 0
    for match in pattern.finditer(folded):
        parts.append(written[last : match.start()])
        parts.append(forms[" ".join(match.group(0).split())])
        last = match.end()
    return "".join(parts) + written[last:]


def rigour_spans(written: str) -> list[tuple[int, int, str, str]]:
    """Where rigour's org-types table finds a legal form: (start, end, its compare form,
    its generic class). Forms rigour gives no generic class (``corporation``) say
    nothing of the form."""
    found = extract_org_types(written)
    if not found:
        return []
    classes = dict(extract_org_types(written, generic=True))
    spans, position = [], 0
    for matched, target in found:
        start = _whole_word(written, matched, position)
        if start >= 0:
            spans.append((start, start + len(matched), target, classes.get(matched, "co")))
            position = start + len(matched)
    return spans


def _whole_word(text: str, part: str, position: int) -> int:
    """Where ``part`` stands in ``text`` from ``position`` on as whole words, or -1."""
    start = text.find(part, position)
    while start >= 0:
        end = start + len(part)
        before = start == 0 or not text[start - 1].isalnum()
        after = end == len(text) or not text[end].isalnum()
        if before and after:
            return start
        start = text.find(part, start + 1)
    return -1


@dataclass(frozen=True)
class Known:
    """What the name's own script told about words of its Latin reading: what they
    mean, and which were read back from another script (those are never Latin legal
    forms or conjunctions: ``sanat`` written سنت reads back ``snt``, not a form)."""

    meanings: dict[str, Meaning]
    foreign: frozenset[str]
    # Forms written out in several words of another script, as read back: (their
    # words, the form, its class) — rigour knows ``Общество с ограниченной
    # ответственностью`` but not ``obshchestvo s ogranichennoi otvetstvennostyu``.
    phrases: tuple[tuple[str, str, str], ...] = ()
    # Forms written in their own script (المحدودة): forms wherever they stand.
    anywhere: frozenset[str] = frozenset()


_LATIN_ONLY = Known({}, frozenset())


# What normalisation turns into spaces, and rigour's table may read as part of a form.
_PUNCTUATION = re.compile(r"[^a-z0-9\s]")


def in_latin_letters(written: str) -> tuple[str, Known]:
    """The name in Latin letters, with what only its written form tells: legal forms
    written in another script or with punctuation (``ООО``, ``beschränkter Haftung``,
    ``Sp. z o.o.``, ``有限公司``) as the forms they are, and the words rigour's tagger
    marks as generic in their own script (``شركة``)."""
    if written.isascii() and not _PUNCTUATION.search(written):
        return normalize(written), _LATIN_ONLY  # nothing only the written form tells
    parts, position, phrases = [], 0, []
    for start, end, target, form_class in rigour_spans(written):
        matched = written[start:end]
        if len(matched.split()) > 1 and (not matched.isascii() or normalize(matched) != matched):
            phrases.append((normalize(join_abbreviations(matched)), target, form_class))
        elif not matched.isascii() or normalize(matched) != matched:
            parts += [written[position:start], f" {target} "]
            position = end
    parts.append(written[position:])
    text = join_abbreviations("".join(parts))
    if text.isascii() and not phrases:
        return normalize(text), _LATIN_ONLY
    words: list[str] = []
    meanings: dict[str, Meaning] = {}
    foreign: set[str] = set()
    anywhere: set[str] = set()
    known_phrases = {word for phrase, _t, _c in phrases for word in phrase.split()}
    native_and = native_conjunctions()
    for word in text.split():
        if word in native_and:
            words.append("and")
            continue
        native = None if word.isascii() else native_form(word)
        if native is not None:
            rest, _form, form_class = native
            words += [rest, _CLASS_WORDS.get(form_class, form_class)]
            anywhere.add(_CLASS_WORDS.get(form_class, form_class))
        else:
            if not word.isascii():
                read_back = normalize(word).split()
                if _written_without_vowels(word):
                    foreign.update(w for w in read_back if w not in known_phrases)
                if (found := meaning(word)) != NO_MEANING:
                    meanings.update(dict.fromkeys(read_back, found))
            words.append(word)
    known = Known(meanings, frozenset(foreign - set(words)), tuple(phrases), frozenset(anywhere))
    return normalize(" ".join(words)), known


# A legal form written in its own script, as the word of our tables of its class.
_CLASS_WORDS = {"llc": "llc", "jsc": "jsc"}


def _written_without_vowels(word: str) -> bool:
    """Whether the word is written in a script without vowels (Arabic, Hebrew…): read
    back, its consonants may spell a Latin form by chance (سدن ``sdn``)."""
    return bool(text_scripts(word) & CONSONANT_SCRIPTS)
