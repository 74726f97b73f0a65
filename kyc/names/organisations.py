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

from rigour.names import (
    remove_org_prefixes,
)

from kyc.names.org_scripts import Known, in_latin_letters, our_phrases, rigour_spans
from kyc.names.org_tables import (
    ORG_ABBREVIATIONS,
    conjunctions,
    form_classes,
    meaning,
    native_form,
)
from kyc.names.parts import Aside, Reason, Role, Token, token
from kyc.names.text import (
    join_abbreviations,
    join_letter_slashes,
    normalize,
)
from kyc.names.words import number_value, spell_numbers

# Forms this short are words in the middle of a name (``as``, ``sa``, ``co``).
_SHORT_FORM = 3
# Classes that say nothing about the form (``Co``): never a conflict.
UNSPECIFIC_CLASSES = frozenset({"co"})


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


def _words(text: str, known: Known) -> list[_Word]:
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


def _spans(text: str, known: Known) -> list[tuple[int, int, str, str]]:
    """rigour's legal forms in the text (none among words read back from another
    script), and the forms written out in that script, in order, none overlapping."""
    spans = [
        span
        for span in rigour_spans(text)
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


def _plain_words(text: str, known: Known) -> list[_Word]:
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
    words: list[_Word], known: Known
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
    written = our_phrases(join_letter_slashes(unicodedata.normalize("NFKC", name)).casefold())
    ampersand = "&" in written
    written, articles = _without_articles(written)
    text, known = in_latin_letters(written)
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
