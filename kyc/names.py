"""Name analysis: normalise, transliterate, and tag the parts of a name.

The tables come from libraries — transliteration (``rigour.text.ascii_text``, ICU-style
tables for Cyrillic, Greek, Arabic, Han, Hangul…), legal forms (``rigour.names``
org types) and phonetic keys (``rigour.text.metaphone``). What is ours: the order of the
steps, the roles a token plays (name, particle, generic word, number, initial), the
Belgian legal forms rigour does not know, and the equivalence of old and new Belgian
forms (BVBA ≈ BV, SPRL ≈ SRL…).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from rigour.names import replace_org_types_compare
from rigour.text import ascii_text, metaphone
from rigour.text.scripts import can_latinize, text_scripts

from kyc.model import EntryKind


class Role(StrEnum):
    NAME = "name"
    PARTICLE = "particle"  # al, bin, van, de… (persons)
    GENERIC = "generic"  # trading, group, holding… (organisations)
    NUMBER = "number"
    INITIAL = "initial"  # a single letter in a person's name


# Belgian legal forms, current and pre-2019, as they read once dots and case are gone;
# each maps to its class: the old and the new name of one form compare as equal.
BELGIAN_LEGAL_FORMS: dict[str, str] = {
    "bv": "bv",
    "bvba": "bv",
    "ebvba": "bv",
    "srl": "bv",
    "sprl": "bv",
    "sprlu": "bv",
    "nv": "nv",
    "sa": "nv",
    "cv": "cv",
    "cvba": "cv",
    "cvoa": "cv",
    "sc": "cv",
    "scrl": "cv",
    "scri": "cv",
    "commv": "commv",
    "comm v": "commv",
    "scomm": "commv",
    "scs": "commv",
    "cva": "commv",
    "sca": "commv",
    "vof": "vof",
    "snc": "vof",
    "vzw": "vzw",
    "asbl": "vzw",
    "ivzw": "ivzw",
    "aisbl": "ivzw",
    "ovm": "ovm",
    "esv": "esv",
    "gie": "esv",
    "se": "se",
}
INTERNATIONAL_LEGAL_FORMS: frozenset[str] = frozenset(
    """
    ltd llc inc corp co plc gmbh ag kg ohg ug sarl sas sasu eurl spa srl bhd pte pvt pty
    oy ab as aps asa kft zrt sro spzoo ooo zao oao pao ojsc cjsc jsc llp lp lllp pjsc ao
    tov pp sl slu bvba nv sa
    """.split()
)
GENERIC_ORG_WORDS: frozenset[str] = frozenset(
    """
    the of and for company compagnie companie group groep groupe holding holdings
    international internationale trading services service management consulting invest
    investment investments enterprise enterprises industries industry corporation
    limited incorporated partners association society trust foundation fund organisation
    organization global solutions systems belgium belgie belgique europe
    """.split()
)
PARTICLES: frozenset[str] = frozenset(
    "al el ul bin ben ibn bint abu abd van von der den de del della di da du le la las los "
    "ter ten te dos das y e".split()
)
HONORIFICS: frozenset[str] = frozenset(
    """
    mr mrs ms miss mme mlle m dhr mevr dr prof sir lord lady sheikh shaykh sheik haji hajji
    hadji mullah mulla maulavi mawlawi maulana imam general gen colonel col major maj
    captain capt lieutenant lt sergeant sgt admiral president minister
    """.split()
)
_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
}
# Scripts written without (most) vowels: their transliterations are consonant skeletons.
CONSONANT_SCRIPTS: frozenset[str] = frozenset({"Arabic", "Hebrew", "Syriac", "Thaana", "Thai"})
# Two names in one of these scripts compare better as written than transliterated
# (Hangul syllables and Han characters lose distinctions in Latin letters).
NATIVE_SCRIPTS: frozenset[str] = frozenset({"Hangul", "Han"})

# Common spellings of one name in Latin script (transliteration variants); each word maps
# to one representative. Metaphone catches many more; these are the ones it misses.
_VARIANT_GROUPS = (
    "muhammad mohammed mohamed mohammad mohamad muhammed mohamad mehmet mohamud",
    "ahmed ahmad ahmet",
    "osama usama usamah",
    "omar umar",
    "bin ibn ben",
    "abu abou",
    "abdul abd abdel abdal",
    "abdullah abdallah",
    "yusuf yousef youssef yusef yosef",
    "hussein husayn hussain husain hosein",
    "hassan hasan",
    "ali aly",
    "khalid khaled",
    "ibrahim ebrahim",
    "mustafa mostafa moustafa",
    "mahmoud mahmud",
    "qasim kasim qassim",
    "aleksandr alexander alexandre aleksander alexandr alexandros alejandro",
    "sergey sergei serguei sergej sergejs",
    "dmitry dmitri dmitriy",
    "yuri yury iouri jurij yuriy",
    "nikolai nikolay nicolai",
    "andrei andrey andrej",
    "alexei alexey aleksei aleksey",
    "evgeny evgeniy yevgeny",
    "mikhail michail mikhael",
    "vyacheslav viacheslav",
    "igor ihor",
)
NAME_VARIANTS: dict[str, str] = {
    word: group.split()[0] for group in _VARIANT_GROUPS for word in group.split()
}
# Abbreviations in organisation names, written out.
ORG_ABBREVIATIONS: dict[str, str] = {
    "intl": "international",
    "int": "international",
    "natl": "national",
    "dept": "department",
    "assn": "association",
    "assoc": "association",
    "bros": "brothers",
    "mfg": "manufacturing",
    "ind": "industries",
    "inds": "industries",
    "svcs": "services",
    "tech": "technology",
    "us": "united states",
    "usa": "united states of america",
    "uk": "united kingdom",
    "st": "saint",
}
_NUMBER_WORDS = {
    word: value
    for value, words in enumerate(
        [
            "zero nul zéro",
            "one een un",
            "two twee deux",
            "three drie trois",
            "four vier quatre",
            "five vijf cinq",
            "six zes",
            "seven zeven sept",
            "eight acht huit",
            "nine negen neuf",
            "ten tien dix",
            "eleven elf onze",
            "twelve twaalf douze",
            "thirteen dertien treize",
            "fourteen veertien quatorze",
            "fifteen vijftien quinze",
            "sixteen zestien seize",
            "seventeen zeventien",
            "eighteen achttien",
            "nineteen negentien",
        ]
    )
    for word in words.split()
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "twintig": 20,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
}

_ABBREVIATION = re.compile(r"\b(?:[^\W\d_]\.){2,}")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_VOWELS = re.compile(r"[aeiouyw]")
_REPEATS = re.compile(r"(.)\1+")


class Token(NamedTuple):
    """One word (a tuple: hashed fast, for the caches of the scorer)."""

    text: str
    role: Role
    phonetic: str
    variant: str  # the representative spelling (NAME_VARIANTS), else the text


@dataclass(frozen=True, slots=True)
class AnalysedName:
    """A name as the matcher sees it."""

    original: str
    kind: EntryKind
    tokens: tuple[Token, ...]
    legal_forms: tuple[str, ...] = ()
    set_aside: tuple[str, ...] = ()  # honorifics and legal forms, for the explanation
    skeleton: str | None = None  # when written in a consonant script
    # The words as written, when the whole name is in one script other than Latin:
    # two such names compare better in their own script than transliterated.
    script: str | None = None
    native: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)


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
    composed = _ABBREVIATION.sub(lambda m: m.group(0).replace(".", ""), composed)
    unquoted = composed.replace("'", "").replace("\u2019", "")
    # Transliteration leaves ASCII as it is, and costs microseconds a name to find so.
    ascii_form = (unquoted if unquoted.isascii() else latin_ascii(unquoted)).lower()
    return " ".join(_NON_WORD.sub(" ", ascii_form).split())


def latin_ascii(text: str) -> str:
    """``ascii_text``, taking a shortcut where stripping the accents is all it does
    (René, Müller, Çelik: most names that are not ASCII here), which it does the same
    way a hundred times slower."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return stripped if stripped.isascii() else ascii_text(text)


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


@lru_cache(maxsize=200_000)
def word_skeletons(word: str) -> tuple[str, str]:
    """A word's skeleton with its w read as a vowel, and read as an f."""
    stripped = _SKELETON_VOWELS.sub("", word)
    return tuple(  # type: ignore[return-value]
        _REPEATS.sub(r"\1", stripped.replace("w", w_as).translate(_CONSONANT_FOLDS))
        for w_as in ("", "f")
    )


_SKELETON_VOWELS = re.compile(r"[aeiouy]")


_ALTERNATIVES = re.compile(r"\s*/\s*")


def alternatives(name: str) -> list[str]:
    """``Al-Qa'ida/Islamic Army`` names two things: each part is a name of its own."""
    parts = [part for part in _ALTERNATIVES.split(name) if len(part.strip()) > 1]
    return parts if len(parts) > 1 else [name]


@lru_cache(maxsize=200_000)
def _phonetic(word: str) -> str:
    if not (word.isalpha() and len(word) > 2):
        return word
    code = metaphone(word)
    # Transliterations disagree most on an initial vowel: Osama / Usama.
    return "A" + code[1:] if code[:1] in "AEIOU" else code


def _number(word: str) -> str | None:
    if word.isdigit():
        return str(int(word))
    return str(_ROMAN[word]) if word in _ROMAN else None


@lru_cache(maxsize=500_000)
def _token(word: str, role: Role) -> Token:
    # The same words come back name after name: one Token each, built once.
    return Token(word, role, _phonetic(word), NAME_VARIANTS.get(word, word))


def spell_numbers(words: list[str]) -> list[str]:
    """``forty four`` / ``forty-four`` → ``44``; ``three`` → ``3``."""
    result: list[str] = []
    for word in words:
        if (
            word in _NUMBER_WORDS
            and result
            and result[-1].isdigit()
            and int(result[-1]) in _TENS.values()
        ):
            result[-1] = str(int(result[-1]) + _NUMBER_WORDS[word])
        elif word in _TENS:
            result.append(str(_TENS[word]))
        elif word in _NUMBER_WORDS:
            result.append(str(_NUMBER_WORDS[word]))
        else:
            result.append(word)
    return result


_SUFFIXES = frozenset({"jr", "sr"})


def _person_tokens(words: list[str]) -> tuple[list[Token], list[str]]:
    """Titles are set aside where titles stand: before the name (M. Dupont), and jr / sr
    after it; a lone letter elsewhere is an initial."""
    start, end = 0, len(words)
    while start < end - 1 and words[start] in HONORIFICS:
        start += 1
    while end > start + 1 and words[end - 1] in _SUFFIXES:
        end -= 1
    kept = words[start:end]
    tokens = []
    for word in kept:
        if word.isdigit():
            tokens.append(_token(word, Role.NUMBER))
        elif len(word) == 1:
            tokens.append(_token(word, Role.INITIAL))
        elif word in PARTICLES:
            tokens.append(_token(word, Role.PARTICLE))
        else:
            tokens.append(_token(word, Role.NAME))
    return tokens, words[:start] + words[end:]


def legal_form_class(form: str) -> str:
    return BELGIAN_LEGAL_FORMS.get(form, form)


def _org_tokens(name: str) -> tuple[list[Token], list[str]]:
    """Legal forms (rigour's table, and ours) come out as set-aside forms."""
    # Twice: as written (accented forms such as "beschränkter") and once transliterated,
    # so that analysing the result again changes nothing.
    written = normalize(replace_org_types_compare(unicodedata.normalize("NFKC", name).lower()))
    compared = normalize(replace_org_types_compare(written))
    words = spell_numbers(
        [w for word in compared.split() for w in ORG_ABBREVIATIONS.get(word, word).split()]
    )
    joined = " ".join(words)
    for two_word in ("comm v",):
        joined = joined.replace(two_word, two_word.replace(" ", ""))
    words = joined.split()
    forms = [w for w in words if w in BELGIAN_LEGAL_FORMS or w in INTERNATIONAL_LEGAL_FORMS]
    rest = [w for w in words if w not in forms]
    if not rest:  # a name made only of legal-form words is a name after all
        rest, forms = words, []
    tokens = []
    for word in rest:
        number = _number(word) if len(rest) > 1 else None
        if number is not None:
            tokens.append(_token(number, Role.NUMBER))
        elif word in GENERIC_ORG_WORDS:
            tokens.append(_token(word, Role.GENERIC))
        else:
            tokens.append(_token(word, Role.NAME))
    return tokens, forms


@lru_cache(maxsize=200_000)
def analyse(name: str, kind: EntryKind) -> AnalysedName:
    """Analyse a name of a person or an organisation; any Unicode string is accepted."""
    if kind is EntryKind.PERSON:
        tokens, aside = _person_tokens(spell_numbers(normalize(name).split()))
        forms: list[str] = []
    else:
        tokens, forms = _org_tokens(name)
        aside = forms
    scripts = text_scripts(name) - {"Latin", "Common", "Inherited"}
    skeleton = None
    if scripts & CONSONANT_SCRIPTS:
        skeleton = consonant_skeleton(" ".join(t.text for t in tokens))
    only = next(iter(scripts)) if len(scripts) == 1 and "Latin" not in text_scripts(name) else None
    if only is not None and only not in NATIVE_SCRIPTS and can_latinize(name):
        only = None  # Cyrillic, Greek…: transliterated, with their legal forms understood
    return AnalysedName(
        original=name,
        kind=kind,
        tokens=tuple(tokens),
        legal_forms=tuple(legal_form_class(f) for f in forms),
        set_aside=tuple(aside),
        skeleton=skeleton,
        script=only,
        native=_native_words(name) if only else (),
    )


_NATIVE_SEPARATORS = re.compile(r"[\s\-\u00b7\u30fb,.'\u2019()]+")


def _native_words(name: str) -> tuple[str, ...]:
    return tuple(
        w for w in _NATIVE_SEPARATORS.split(unicodedata.normalize("NFKC", name).lower()) if w
    )


def analyse_person(name: str) -> AnalysedName:
    return analyse(name, EntryKind.PERSON)


def analyse_organization(name: str) -> AnalysedName:
    return analyse(name, EntryKind.ORGANIZATION)
