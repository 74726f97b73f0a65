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
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from rigour.names import (
    extract_org_types,
    remove_org_prefixes,
)
from rigour.text.scripts import text_scripts

from kyc.names.org_tables import (
    NO_MEANING,
    ORG_ABBREVIATIONS,
    Meaning,
    conjunctions,
    form_classes,
    meaning,
    native_conjunctions,
    native_form,
    tables,
)
from kyc.names.parts import Aside, Reason, Role, Token, token
from kyc.names.text import (
    CONSONANT_SCRIPTS,
    join_abbreviations,
    join_letter_slashes,
    normalize,
)
from kyc.names.words import number_value, spell_numbers

# Forms this short are words in the middle of a name (``as``, ``sa``, ``co``).
_SHORT_FORM = 3
# Classes that say nothing about the form (``Co``): never a conflict.
UNSPECIFIC_CLASSES = frozenset({"co"})


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


def _our_phrases(written: str) -> str:
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


class _Word:
    """One word of the name as analysed: its text and role; if it may be a legal form,
    its class, whether it counts as one anywhere in the name (written out, or long),
    and the words it stands for where it does not."""

    __slots__ = ("text", "role", "form", "anywhere", "written", "symbol", "spelled", "foreign")

    def __init__(
        self,
        text: str,
        role: Role,
        form: str | None = None,
        anywhere: bool = False,
        written: list[_Word] | None = None,
        symbol: str | None = None,
        foreign: bool = False,
    ) -> None:
        self.text, self.role, self.form, self.anywhere = text, role, form, anywhere
        self.written = [self] if written is None else written
        self.symbol = symbol
        self.spelled = False
        self.foreign = foreign


@dataclass(frozen=True)
class _Known:
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


_LATIN_ONLY = _Known({}, frozenset())


# What normalisation turns into spaces, and rigour's table may read as part of a form.
_PUNCTUATION = re.compile(r"[^a-z0-9\s]")


def _in_latin_letters(written: str) -> tuple[str, _Known]:
    """The name in Latin letters, with what only its written form tells: legal forms
    written in another script or with punctuation (``ООО``, ``beschränkter Haftung``,
    ``Sp. z o.o.``, ``有限公司``) as the forms they are, and the words rigour's tagger
    marks as generic in their own script (``شركة``)."""
    if written.isascii() and not _PUNCTUATION.search(written):
        return normalize(written), _LATIN_ONLY  # nothing only the written form tells
    parts, position, phrases = [], 0, []
    for start, end, target, form_class in _rigour_spans(written):
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
    known = _Known(meanings, frozenset(foreign - set(words)), tuple(phrases), frozenset(anywhere))
    return normalize(" ".join(words)), known


# A legal form written in its own script, as the word of our tables of its class.
_CLASS_WORDS = {"llc": "llc", "jsc": "jsc"}


def _written_without_vowels(word: str) -> bool:
    """Whether the word is written in a script without vowels (Arabic, Hebrew…): read
    back, its consonants may spell a Latin form by chance (سدن ``sdn``)."""
    return bool(text_scripts(word) & CONSONANT_SCRIPTS)


def _words(text: str, known: _Known) -> list[_Word]:
    """The words of a name in Latin letters: rigour's legal forms where it finds them
    (each knowing the words it stands for), and the others one by one."""
    classes = form_classes()
    words: list[_Word] = []
    position = 0
    for start, end, target, form_class in _spans(text, known):
        words.extend(_plain_words(text[position:start], known))
        original = _plain_words(text[start:end], known)
        targets = normalize(target).split()
        anywhere = len(text[start:end].replace(" ", "")) > len("".join(targets)) + 1
        # A form written out in more words than its abbreviation has (Joint Stock Company).
        spelled = (
            len(original) > max(1, len(targets)) and sum(len(w.text) > 2 for w in original) > 1
        )
        for index, word in enumerate(targets):
            form = classes.get(word, form_class)  # ours where we class it otherwise
            found = _Word(word, Role.NAME, form, anywhere, original if index == 0 else [])
            found.spelled = spelled and index == 0
            words.append(found)
        position = end
    words.extend(_plain_words(text[position:], known))
    return words


def _spans(text: str, known: _Known) -> list[tuple[int, int, str, str]]:
    """rigour's legal forms in the text (none among words read back from another
    script), and the forms written out in that script, in order, none overlapping."""
    spans = [
        span
        for span in _rigour_spans(text)
        if not known.foreign.intersection(words := text[span[0] : span[1]].split())
        and not any(number_value(word) for word in words)  # Fund II: a number
    ]
    for phrase, target, form_class in known.phrases:
        for found in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", text):
            spans.append((found.start(), found.end(), target, form_class))
    kept: list[tuple[int, int, str, str]] = []
    for span in sorted(spans):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def _plain_words(text: str, known: _Known) -> list[_Word]:
    """Words with numbers spelt, abbreviations written out, forms of our tables, and
    what they mean (as written in their own script, or in Latin letters)."""
    classes = form_classes()
    parts = text.split()
    texts = spell_numbers([w for part in parts for w in ORG_ABBREVIATIONS.get(part, part).split()])
    words = []
    for word in texts:
        symbol, generic = known.meanings.get(word) or meaning(word)
        role = Role.GENERIC if generic else Role.NAME
        foreign = word in known.foreign
        form = None if foreign else classes.get(word)
        words.append(
            _Word(word, role, form, word in known.anywhere, symbol=symbol, foreign=foreign)
        )
    return words


def _set_aside_forms(words: list[_Word]) -> tuple[list[_Word], list[_Word], list[_Word]]:
    """Forms at either end of the name (generic words may stand beyond them: ``J/V
    Corporation``), and long or written-out forms anywhere; the rest (``as`` or ``sa``
    in the middle of a name are words). A form written out in several words (``Joint
    Stock Company``, ``Obshchestvo s Ogranichennoi Otvetstvennostyu``) keeps its words,
    as generic ones: a customer may write them otherwise, or with a typo. Returns the
    words kept, the forms set aside, and the forms written out."""
    at_ends = {id(w) for w in _ends(words)} | {id(w) for w in _ends(words[::-1])}
    kept, forms, written_out = [], [], []
    for word in words:
        if word.form is None:
            kept.append(word)
        elif id(word) in at_ends or len(word.text) > _SHORT_FORM or word.anywhere:
            if word.spelled:
                written_out.append(word)
                kept.extend(_Word(w.text, Role.FORM, symbol=w.symbol) for w in word.written)
            else:
                forms.append(word)
        else:
            kept.append(word)  # a word after all: see _as_written
    return kept, forms, written_out


def _ends(words: list[_Word]) -> list[_Word]:
    """The forms among the words that open the name, before its first word that is
    neither a form nor generic."""
    found = []
    for word in words:
        if word.form is not None:
            found.append(word)
        elif word.role not in (Role.GENERIC, Role.FORM):
            break
    return found


def _set_aside_conjunctions(
    words: list[_Word], before_form: bool
) -> tuple[list[_Word], list[_Word]]:
    """``and``, ``et``, ``en``… between two words, or last before a legal form
    (``Chase and Co``)."""
    last = len(words) if before_form else len(words) - 1
    joined = [
        w
        for i, w in enumerate(words)
        if 0 < i < last and w.text in conjunctions() and w.form is None and not w.foreign
    ]
    return [w for w in words if w not in joined], joined


def _set_aside(
    words: list[_Word], known: _Known
) -> tuple[list[_Word], list[_Word], list[_Word], bool]:
    """The words compared, the legal forms and conjunctions set aside, and whether
    numbers are read as numbers. Until nothing more can go: what is left is read again
    (a conjunction gone may leave a form at the end, two words brought together may be
    one form: ``Co GmbH Ltd``). A name made only of legal-form words is a name after
    all, kept as written."""
    forms: list[_Word] = []
    joined: list[_Word] = []
    while True:
        kept, found, written_out = _set_aside_forms(words)
        if not kept or all(len(w.text) < 2 for w in _as_written(kept)):
            return _as_written(words), forms, joined, False  # AT&T Inc: no name is left
        before_form = any(w is words[-1] for w in found)
        kept, conjunctions_found = _set_aside_conjunctions(_as_written(kept), before_form)
        if not found and not conjunctions_found:
            return kept, forms + written_out, joined, True
        forms += found
        joined += conjunctions_found
        if not conjunctions_found and _only_ends_removed(words, kept):
            # Forms gone from either end leave the other words as they were read, side
            # by side as before: read again, they would read the same.
            return kept, forms + written_out, joined, True
        before, text = " ".join(w.text for w in _as_written(words)), " ".join(w.text for w in kept)
        if text == before:  # nothing left the text: read again, it would read the same
            return kept, forms + written_out, joined, True
        words = _words(text, known)


def _only_ends_removed(words: list[_Word], kept: list[_Word]) -> bool:
    """Whether ``kept`` is an unbroken run of the words as written (only forms at either
    end were taken away)."""
    position = {id(w): index for index, w in enumerate(_as_written(words))}
    places = [position.get(id(w)) for w in kept]
    first = places[0] if places else None
    return first is not None and places == list(range(first, first + len(places)))


def _as_written(words: list[_Word]) -> list[_Word]:
    """Words rigour read as a legal form where they are not one, as they were written."""
    return [w for word in words for w in word.written]


def _without_articles(written: str) -> tuple[str, list[str]]:
    """The name without the articles it opens with (``The``, ``La``, ``Le``: rigour's
    org prefixes), and those articles."""
    articles = []
    while (stripped := remove_org_prefixes(written).strip()) != written.strip() and stripped:
        articles.append(written.strip()[: len(written.strip()) - len(stripped)].strip())
        written = stripped
    return written, articles


def organisation_words(name: str) -> tuple[list[Token], list[Aside], list[str]]:
    """The tokens of one reading of an organisation's name, what was set aside, and
    the generic classes of its legal forms."""
    written = _our_phrases(join_letter_slashes(unicodedata.normalize("NFKC", name)).casefold())
    ampersand = "&" in written
    written, articles = _without_articles(written)
    text, known = _in_latin_letters(written)
    text, read_back = _without_articles(text)  # þe, read back: the
    articles += read_back
    rest, forms, conjunction_words, numbers = _set_aside(_words(text, known), known)
    aside = [
        Aside(w.text, Reason.LEGAL_FORM)
        if not w.spelled
        else Aside(
            f"{' '.join(x.text for x in w.written)} = {w.text}", Reason.LEGAL_FORM_WRITTEN_OUT
        )
        for w in forms
    ]
    aside += [Aside(w.text, Reason.CONJUNCTION) for w in conjunction_words]
    aside += [Aside(article, Reason.ARTICLE) for article in articles]
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
            tokens.append(token(word.text, word.role, word.symbol))
    return tokens


def native_parts(words: tuple[str, ...]) -> tuple[tuple[str, ...], frozenset[str]]:
    """The words of a name compared in its own script, without its legal forms (``ذ.م.م``,
    ``有限公司`` at the end of a word), and those of them that are generic (``شركة``)."""
    kept: list[str] = []
    for word in words:
        native = native_form(join_abbreviations(word).replace(".", ""))
        rest = native[0] if native is not None else word
        if rest and not (rest.isascii() and form_classes().get(normalize(rest))):
            kept.append(rest)
    if not kept:
        return words, frozenset()
    return tuple(kept), frozenset(w for w in kept if meaning(w)[1])
