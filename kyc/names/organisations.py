"""The words of an organisation's name, and what it carries besides them.

Legal forms come out of the name with their generic class (``BV``, ``GmbH``, ``LLC``
and ``ООО`` are all limited liability, ``NV``, ``SA`` and ``AG`` joint stock): rigour's
org-types table first, then ours (``organisations.toml``: the Belgian forms old and new,
and the forms rigour lacks, in Arabic and Han script too). A short form (three letters
or fewer) counts only at either end of the name: in the middle, ``as`` or ``et`` are
words. Conjunctions between words (``&``, ``and``, ``et``, ``en``) are set aside, and
generic words (``Trading``, ``Company``, ``Group``, ``Holding``…: our table, and
whatever rigour's org symbol tagger marks) keep a light weight.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from rigour.names import NameTypeTag, Symbol, analyze_names, extract_org_types

from kyc.names.parts import Aside, Reason, Role, Token, token
from kyc.names.text import join_abbreviations, join_letter_slashes, normalize
from kyc.names.words import number_value, spell_numbers

# Abbreviations in organisation names, written out.
ORG_ABBREVIATIONS: dict[str, str] = {
    "intl": "international",
    "int": "international",
    "natl": "national",
    "dept": "department",
    "assn": "association",
    "assoc": "association",
    "mfg": "manufacturing",
    "ind": "industries",
    "inds": "industries",
    "svcs": "services",
    "tech": "technology",
    "us": "united states",
    "usa": "united states of america",
    "uk": "united kingdom",
    "st": "saint",
    "corp": "corporation",
}
# Forms this short are words in the middle of a name (``as``, ``sa``, ``co``).
_SHORT_FORM = 3
# Classes that say nothing about the form (``Co``): never a conflict.
UNSPECIFIC_CLASSES = frozenset({"co"})


@cache
def tables() -> dict[str, Any]:
    """``organisations.toml``, read once."""
    text = resources.files("kyc.names").joinpath("organisations.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def belgian_forms() -> dict[str, tuple[str, str]]:
    """Each Belgian form as written: its Belgian class and its generic class."""
    forms = tables()["belgian_forms"]["forms"]
    return {form: (classes[0], classes[1]) for form, classes in forms.items()}


@cache
def _form_classes() -> dict[str, str]:
    """Every written form of our tables, with its generic class."""
    classes = {form: generic for form, (_belgian, generic) in belgian_forms().items()}
    classes.update(tables()["other_forms"]["forms"])
    return classes


@cache
def _native_forms() -> dict[str, str]:
    return dict(tables()["other_forms"]["native"])


@cache
def generic_words() -> frozenset[str]:
    return frozenset(tables()["generic_words"]["words"].split())


@cache
def conjunctions() -> frozenset[str]:
    return frozenset(tables()["conjunctions"]["words"].split())


@cache
def _written_out() -> tuple[re.Pattern[str], dict[str, str]]:
    """Belgian forms written out in full, as one pattern over accent-free text."""
    phrases: dict[str, str] = tables()["belgian_forms"]["written_out"]
    by_length = sorted(phrases, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, p.split())) for p in by_length)
    pattern = re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")
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


def _our_phrases(written: str) -> str:
    """Written-out Belgian forms as their abbreviation, before rigour reads them (it
    reads ``commanditaire vennootschap`` as the Dutch CV: in Belgium a cooperative)."""
    pattern, forms = _written_out()
    folded = _folded(written)
    if folded.isascii() and not pattern.search(folded):
        return written
    parts, last = [], 0
    for match in pattern.finditer(folded):
        parts.append(written[last : match.start()])
        parts.append(forms[" ".join(match.group(0).split())])
        last = match.end()
    return "".join(parts) + written[last:]


def _rigour_spans(written: str) -> list[tuple[int, int, str, str]]:
    """Where rigour's org-types table finds a legal form: (start, end, its compare form,
    its generic class). Forms rigour gives no generic class (``corporation``) say
    nothing of the form."""
    found = extract_org_types(written)
    if not found:
        return []
    classes = dict(extract_org_types(written, generic=True))
    spans, position = [], 0
    for matched, target in found:
        where = re.compile(rf"(?<!\w){re.escape(matched)}(?!\w)").search(written, position)
        if where is not None:
            spans.append((where.start(), where.end(), target, classes.get(matched, "co")))
            position = where.end()
    return spans


@lru_cache(maxsize=500_000)
def _tagged_generic(word: str) -> bool:
    """Whether rigour's org symbol tagger marks the word as a generic symbol (company,
    trading, holding, شركة…)."""
    tagged = analyze_names(
        NameTypeTag.ORG, [word], phonetics=False, numerics=False, consolidate=False, rewrite=False
    )
    return any(
        span.symbol.category is Symbol.Category.SYMBOL for name in tagged for span in name.spans
    )


def _is_generic(word: str) -> bool:
    return word in generic_words() or _tagged_generic(word)


def _native_form(word: str) -> tuple[str, str, str] | None:
    """A designation written in its own script, alone or ending or beginning a word
    written without spaces (``华为技术有限公司``): (the rest of the word, the form, its
    class)."""
    forms = _native_forms()
    for form in sorted(forms, key=len, reverse=True):
        if word.endswith(form):
            return word[: -len(form)], form, forms[form]
        if word.startswith(form):
            return word[len(form) :], form, forms[form]
    return None


class _Word:
    """One word of the name as analysed: its text and role; if it may be a legal form,
    its class, whether it counts as one anywhere in the name (written out, or long),
    and the words it stands for where it does not."""

    __slots__ = ("text", "role", "form", "anywhere", "written")

    def __init__(
        self,
        text: str,
        role: Role,
        form: str | None = None,
        anywhere: bool = False,
        written: list[_Word] | None = None,
    ) -> None:
        self.text, self.role, self.form, self.anywhere = text, role, form, anywhere
        self.written = [self] if written is None else written


def _in_latin_letters(written: str) -> tuple[str, frozenset[str]]:
    """The name in Latin letters, with what only its written form tells: legal forms
    written in another script or with punctuation (``ООО``, ``beschränkter Haftung``,
    ``Sp. z o.o.``, ``有限公司``) as the forms they are, and the words rigour's tagger
    marks as generic in their own script (``شركة``)."""
    parts, position = [], 0
    for start, end, target, _generic in _rigour_spans(written):
        matched = written[start:end]
        if not matched.isascii() or normalize(matched) != matched:
            parts += [written[position:start], f" {target} "]
            position = end
    parts.append(written[position:])
    text = join_abbreviations("".join(parts))
    if text.isascii():
        return normalize(text), frozenset()
    words, generic = [], set()
    for word in text.split():
        native = None if word.isascii() else _native_form(word)
        if native is not None:
            rest, _form, form_class = native
            words += [rest, _CLASS_WORDS.get(form_class, form_class)]
        elif not word.isascii() and _tagged_generic(word):
            generic.update(normalize(word).split())
            words.append(word)
        else:
            words.append(word)
    return normalize(" ".join(words)), frozenset(generic)


# A legal form written in its own script, as the word of our tables of its class.
_CLASS_WORDS = {"llc": "llc", "jsc": "jsc"}


def _words(text: str, generic: frozenset[str]) -> list[_Word]:
    """The words of a name in Latin letters: rigour's legal forms where it finds them
    (each knowing the words it stands for), and the others one by one."""
    classes = _form_classes()
    words: list[_Word] = []
    position = 0
    for start, end, target, form_class in _rigour_spans(text):
        words.extend(_plain_words(text[position:start], generic))
        original = _plain_words(text[start:end], generic)
        targets = normalize(target).split()
        anywhere = len(text[start:end].replace(" ", "")) > len("".join(targets)) + 1
        for index, word in enumerate(targets):
            form = classes.get(word, form_class)  # ours where we class it otherwise
            words.append(_Word(word, Role.NAME, form, anywhere, original if index == 0 else []))
        position = end
    words.extend(_plain_words(text[position:], generic))
    return words


def _plain_words(text: str, generic: frozenset[str]) -> list[_Word]:
    """Words with numbers spelt, abbreviations written out, and forms of our tables."""
    classes = _form_classes()
    parts = text.split()
    texts = spell_numbers([w for part in parts for w in ORG_ABBREVIATIONS.get(part, part).split()])
    return [
        _Word(
            word,
            Role.GENERIC if word in generic or _is_generic(word) else Role.NAME,
            classes.get(word),
        )
        for word in texts
    ]


def _set_aside_forms(words: list[_Word]) -> tuple[list[_Word], list[_Word]]:
    """Forms at either end of the name (generic words may stand beyond them: ``J/V
    Corporation``), and long or written-out forms anywhere; the rest (``as`` or ``sa``
    in the middle of a name are words)."""
    at_ends = {id(w) for w in _ends(words)} | {id(w) for w in _ends(words[::-1])}
    kept, forms = [], []
    for word in words:
        if word.form is None:
            kept.append(word)
        elif id(word) in at_ends or len(word.text) > _SHORT_FORM or word.anywhere:
            forms.append(word)
        else:
            kept.append(word)  # a word after all: see _as_written
    return kept, forms


def _ends(words: list[_Word]) -> list[_Word]:
    """The forms among the words that open the name, before its first word that is
    neither a form nor generic."""
    found = []
    for word in words:
        if word.form is not None:
            found.append(word)
        elif word.role is not Role.GENERIC:
            break
    return found


def _set_aside_conjunctions(words: list[_Word]) -> tuple[list[_Word], list[_Word]]:
    """``and``, ``et``, ``en``… between two words."""
    if len(words) < 3:
        return words, []
    joined = [
        w
        for i, w in enumerate(words)
        if 0 < i < len(words) - 1 and w.text in conjunctions() and w.form is None
    ]
    return [w for w in words if w not in joined], joined


def _set_aside(
    words: list[_Word], generic: frozenset[str]
) -> tuple[list[_Word], list[_Word], list[_Word], bool]:
    """The words compared, the legal forms and conjunctions set aside, and whether
    numbers are read as numbers. Until nothing more can go: what is left is read again
    (a conjunction gone may leave a form at the end, two words brought together may be
    one form: ``Co GmbH Ltd``). A name made only of legal-form words is a name after
    all, kept as written."""
    forms: list[_Word] = []
    joined: list[_Word] = []
    while True:
        kept, found = _set_aside_forms(words)
        if not kept:
            return _as_written(words), forms, joined, False
        kept, conjunctions_found = _set_aside_conjunctions(_as_written(kept))
        if not found and not conjunctions_found:
            return kept, forms, joined, True
        forms += found
        joined += conjunctions_found
        words = _words(" ".join(w.text for w in kept), generic)


def _as_written(words: list[_Word]) -> list[_Word]:
    """Words rigour read as a legal form where they are not one, as they were written."""
    return [w for word in words for w in word.written]


def organisation_words(name: str) -> tuple[list[Token], list[Aside], list[str]]:
    """The tokens of one reading of an organisation's name, what was set aside, and
    the generic classes of its legal forms."""
    written = _our_phrases(join_letter_slashes(unicodedata.normalize("NFKC", name)).casefold())
    ampersand = "&" in written
    text, generic = _in_latin_letters(written)
    rest, forms, conjunction_words, numbers = _set_aside(_words(text, generic), generic)
    aside = [Aside(w.text, Reason.LEGAL_FORM) for w in forms]
    aside += [Aside(w.text, Reason.CONJUNCTION) for w in conjunction_words]
    if ampersand and len(rest) > 1:
        aside.append(Aside("&", Reason.CONJUNCTION))
    classes = [w.form for w in forms if w.form and w.form not in UNSPECIFIC_CLASSES]
    return _tokens(rest, numbers), aside, classes


def _tokens(words: list[_Word], numbers: bool) -> list[Token]:
    tokens = []
    for word in words:
        number = number_value(word.text) if numbers and len(words) > 1 else None
        if number is not None:
            tokens.append(token(number, Role.NUMBER))
        else:
            tokens.append(token(word.text, word.role))
    return tokens


def native_parts(words: tuple[str, ...]) -> tuple[tuple[str, ...], frozenset[str]]:
    """The words of a name compared in its own script, without its legal forms (``ذ.م.م``,
    ``有限公司`` at the end of a word), and those of them that are generic (``شركة``)."""
    kept: list[str] = []
    for word in words:
        native = _native_form(join_abbreviations(word).replace(".", ""))
        rest = native[0] if native is not None else word
        if rest and not (rest.isascii() and _form_classes().get(normalize(rest))):
            kept.append(rest)
    if not kept:
        return words, frozenset()
    return tuple(kept), frozenset(w for w in kept if _tagged_generic(w))


def belgian_form_class(form: str) -> str | None:
    """The Belgian class of a legal form as written (``bvba`` → ``bv``), if Belgian."""
    found = belgian_forms().get(form)
    return found[0] if found else None
