"""Text of names: Unicode folded to lower-case ASCII words, and what scripts keep.

Transliteration is rigour's (``rigour.text.ascii_text``: ICU-style tables for Cyrillic,
Greek, Arabic, Han…); Korean is romanised syllable by syllable in the spelling people
use; names written without vowels get consonant skeletons to compare with.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii
from rigour.text import ascii_text

# Scripts written without (most) vowels: their transliterations are consonant skeletons.
CONSONANT_SCRIPTS: frozenset[str] = frozenset({"Arabic", "Hebrew", "Syriac", "Thaana", "Thai"})
# Two names in one of these scripts compare better as written than transliterated
# (Hangul syllables and Han characters lose distinctions in Latin letters).
NATIVE_SCRIPTS: frozenset[str] = frozenset({"Hangul", "Han"})

ABBREVIATION = re.compile(r"\b(?:[^\W\d_]\.){2,}")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_VOWELS = re.compile(r"[aeiouyw]")
_REPEATS = re.compile(r"(.)\1+")
_SKELETON_VOWELS = re.compile(r"[aeiouy]")

# Korean surnames as they are usually written in Latin letters (the official
# romanisation writes 이 as "i", 박 as "bak"…), and the vowels the popular spellings use.
_KOREAN_SURNAMES = {
    "gim": "kim",
    "i": "lee",
    "bag": "park",
    "bak": "park",
    "choe": "choi",
    "jeong": "jung",
    "gang": "kang",
    "jo": "cho",
    "yun": "yoon",
    "jang": "jang",
    "im": "lim",
    "han": "han",
    "o": "oh",
    "seo": "seo",
    "sin": "shin",
    "gwon": "kwon",
    "hwang": "hwang",
    "an": "ahn",
    "song": "song",
    "ryu": "ryu",
    "yu": "yoo",
    "hong": "hong",
    "go": "ko",
    "mun": "moon",
}
_KOREAN_VOWELS = (("eo", "o"), ("eu", "u"))
_HANGUL_SYLLABLES = range(0xAC00, 0xD7A4)
_HANGUL = re.compile("[\uac00-\ud7a3]")  # a regular expression scans far faster than a loop


def _romanise_korean(text: str) -> str:
    """Hangul syllable by syllable, family name first, in the spelling most people use."""
    words = []
    for word in text.split():
        syllables = [ascii_text(ch) for ch in word if ord(ch) in _HANGUL_SYLLABLES]
        if not syllables:
            words.append(word)
            continue
        family, *given = syllables
        words.append(_KOREAN_SURNAMES.get(family, family))
        for syllable in given:
            for old, new in _KOREAN_VOWELS:
                syllable = syllable.replace(old, new)
            words.append(syllable)
    return " ".join(words)


@lru_cache(maxsize=500_000)
def normalize(text: str) -> str:
    """Lower-case ASCII words separated by single spaces; idempotent."""
    composed = unicodedata.normalize("NFKC", text)
    if _HANGUL.search(composed):
        composed = _romanise_korean(composed)
    composed = join_abbreviations(composed)
    unquoted = composed.replace("'", "").replace("\u2019", "")
    # Transliteration leaves ASCII as it is, and costs microseconds a name to find so.
    ascii_form = (unquoted if unquoted.isascii() else _joined(latin_ascii(unquoted))).lower()
    return " ".join(_NON_WORD.sub(" ", ascii_form).split())


# What transliteration writes for a letter without a Latin one (ع as ? or '): part of the
# word, not a break in it (``الصناعية`` → ``alsnayt``).
_MARKS = str.maketrans("", "", "?'`\u02bb\u02bc\u02bf\u02be")


def _joined(transliterated: str) -> str:
    return transliterated.translate(_MARKS)


def join_abbreviations(text: str) -> str:
    """``B.V.B.A.`` → ``BVBA``, ``О.О.О.`` → ``ООО``: dotted letters as one word."""
    return ABBREVIATION.sub(lambda m: m.group(0).replace(".", ""), text)


# ``J/V``, ``c/o``, ``t/a``: one word.
_LETTER_SLASH_LETTER = re.compile(r"(?<![^\W\d_])([^\W\d_])/([^\W\d_])(?![^\W\d_])")


def join_letter_slashes(text: str) -> str:
    """``J/V`` → ``JV``: two single letters around a slash are one word."""
    return _LETTER_SLASH_LETTER.sub(r"\1\2", text) if "/" in text else text


def latin_ascii(text: str) -> str:
    """``ascii_text``, taking a shortcut where stripping the accents is all it does
    (René, Müller, Çelik: most names that are not ASCII here), which it does the same
    way a hundred times slower."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    if stripped.isascii():
        return stripped
    try:
        return ascii_text(text)
    except Exception:  # ICU refuses some sequences (ゝ after a Linear B sign): any text goes
        return anyascii(text)


# Sounds that a script without them writes with its nearest letter (Arabic has no p, v).
_CONSONANT_FOLDS = str.maketrans({"p": "b", "v": "f", "g": "j", "q": "k", "c": "k", "z": "s"})


def consonant_skeleton(text: str) -> str:
    """``mohamed ali`` → ``mhmdl``: what an abjad spelling of the name keeps."""
    folded = _VOWELS.sub("", text.replace(" ", "")).translate(_CONSONANT_FOLDS)
    return _REPEATS.sub(r"\1", folded)


@lru_cache(maxsize=200_000)
def consonant_skeletons(text: str) -> tuple[tuple[str, ...], ...]:
    """The words' skeletons — twice, as a w may be a vowel (و) or a v (ו): once without
    it, once as f. Words that keep no consonant are left out."""
    words = [word_skeletons(word) for word in text.split()]
    readings = (tuple(s for s in (pair[w_as] for pair in words) if s) for w_as in (0, 1))
    return tuple(dict.fromkeys(readings))


# Latin spellings of one sound, which a script without vowels writes with one letter
# (چ, ف, ك س): ``parchin`` ~ ``پارچین``. Only in names written in Latin letters: read
# back from such a script, ``sph`` (سپه) is s, p, h.
_LATIN_SPELLINGS = (("ch", "c"), ("ph", "f"), ("ck", "k"), ("x", "ks"))
# An Arabic original writes a foreign ch as تش, read back as tsh; Persian has چ, read
# back as ch.
_ABJAD_SPELLINGS = (("tsh", "c"), ("ch", "c"))


@lru_cache(maxsize=200_000)
def word_skeletons(word: str, latin: bool = True) -> tuple[str, str]:
    """A word's skeleton with its w read as a vowel, and read as an f (``latin``: the
    word was written in Latin letters, not read back from a script without vowels)."""
    for spelling, letter in _LATIN_SPELLINGS if latin else _ABJAD_SPELLINGS:
        word = word.replace(spelling, letter)
    stripped = _SKELETON_VOWELS.sub("", word)
    return tuple(  # type: ignore[return-value]
        _REPEATS.sub(r"\1", stripped.replace("w", w_as).translate(_CONSONANT_FOLDS))
        for w_as in ("", "f")
    )


_NATIVE_SEPARATORS = re.compile(r"[\s\-\u00b7\u30fb,.'\u2019()]+")


def native_words(name: str) -> tuple[str, ...]:
    """The words of a name as written (for names compared in their own script)."""
    return tuple(
        w for w in _NATIVE_SEPARATORS.split(unicodedata.normalize("NFKC", name).lower()) if w
    )
