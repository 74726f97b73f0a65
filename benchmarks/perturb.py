"""Ways a customer writes a listed name otherwise: the perturbation families of
``matching_e2e.py``, for people and for organisations.

Each function takes a random generator and a listed name and returns the name as a
customer might write it, or None when the family does not apply to that name (no
legal form to remove, no acronym in brackets…).
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable

Perturbation = Callable[[random.Random, str], str | None]

# --- spelling ---------------------------------------------------------------------------


def typo(rng: random.Random, name: str) -> str | None:
    words = name.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long_words:
        return None
    index = rng.choice(long_words)
    word = words[index]
    at = rng.randrange(1, len(word) - 1)
    operation = rng.choice(("substitute", "delete", "insert", "transpose"))
    if operation == "substitute":
        word = word[:at] + rng.choice("aeioulnrst") + word[at + 1 :]
    elif operation == "delete":
        word = word[:at] + word[at + 1 :]
    elif operation == "insert":
        word = word[:at] + rng.choice("aeioulnrst") + word[at:]
    else:
        word = word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]
    words[index] = word
    return " ".join(words)


VARIANTS = (
    ("mohammed", "muhammad"),
    ("muhammad", "mohamed"),
    ("ahmed", "ahmad"),
    ("yusuf", "youssef"),
    ("abdul", "abd al"),
    ("hussein", "husayn"),
    ("ou", "u"),
    ("ee", "i"),
    ("kh", "h"),
    ("q", "k"),
    ("y", "i"),
    ("ph", "f"),
    ("sh", "ch"),
    ("oo", "u"),
    ("j", "dj"),
)


def variant(rng: random.Random, name: str) -> str | None:
    """A transliteration variant of a person's name (Mohammed / Muhammad, kh / h)."""
    lower = name.lower()
    options = [(old, new) for old, new in VARIANTS if old in lower]
    if not options:
        return typo(rng, name)
    old, new = rng.choice(options)
    return lower.replace(old, new, 1)


_ACCENTED = {"a": "á", "e": "é", "i": "í", "o": "ö", "u": "ü", "c": "ç", "s": "ş", "n": "ñ"}


def diacritics(rng: random.Random, name: str) -> str | None:
    """Accents dropped where the name has them, else added to one or two letters."""
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
    )
    if stripped != name:
        return stripped
    positions = [i for i, c in enumerate(name) if c.lower() in _ACCENTED]
    if not positions:
        return None
    chars = list(name)
    for i in rng.sample(positions, min(2, len(positions))):
        accented = _ACCENTED[chars[i].lower()]
        chars[i] = accented.upper() if chars[i].isupper() else accented
    return "".join(chars)


# --- words ----------------------------------------------------------------------------------


def swap(rng: random.Random, name: str) -> str | None:
    words = name.split()
    return " ".join(reversed(words)) if len(words) > 1 else None


def drop_middle(rng: random.Random, name: str) -> str | None:
    words = name.split()
    if len(words) < 3:
        return None
    del words[rng.randrange(1, len(words) - 1)]
    return " ".join(words)


def word_order(rng: random.Random, name: str) -> str | None:
    """An organisation's words in another order (its legal form staying at the end): the
    last word first, or two neighbours swapped."""
    base, form = _without_form(name)
    start = _FORM_AT_START.match(base)
    lead = start.group(0) if start else ""
    words = base[len(lead) :].split()
    if len(words) < 2:
        return None
    if rng.random() < 0.5:
        moved = [words[-1], *words[:-1]]
    else:
        i = rng.randrange(len(words) - 1)
        moved = [*words[:i], words[i + 1], words[i], *words[i + 2 :]]
    return " ".join([lead.strip(), *moved, form]).strip() if moved != words else None


def hyphen_space(rng: random.Random, name: str) -> str | None:
    """``Al-Qaida`` as ``Al Qaida`` or ``AlQaida``; ``Baltic Star`` as ``Baltic-Star``
    (not next to the legal form)."""
    base, form = _without_form(name)
    if "-" in base:
        return f"{base.replace('-', rng.choice((' ', '')), 1)} {form}".strip()
    spaces = [m.start() for m in re.finditer(" ", base)]
    if not spaces:
        return None
    at = rng.choice(spaces)
    return f"{base[:at]}-{base[at + 1 :]} {form}".strip()


def _without_form(name: str) -> tuple[str, str]:
    """The name without brackets, quotes and its legal forms at the end (a form at the
    start stays there), and those forms (or "")."""
    core = re.sub(r"[\"“”«»„]", "", _core(name))
    base, forms = _forms_at_end(core)
    return " ".join(base.split()).strip(" ,"), forms


# --- organisations: legal forms, generic words, brackets ------------------------------------

FORMS_BY_CLASS = {
    "llc": ("LLC", "Ltd", "Limited", "GmbH", "BV", "SRL", "SARL", "OOO", "Sp. z o.o.", "s.r.o."),
    "jsc": ("JSC", "AG", "NV", "SA", "S.p.A.", "PJSC", "PLC", "AO"),
}
_FORM_AT_END = re.compile(
    r"[\s,]+(LLC|L\.L\.C\.|LTD\.?|LIMITED|GMBH|B\.?V\.?|S\.?R\.?L\.?|S\.?A\.?R\.?L\.?|OOO|JSC|"
    r"AG|N\.?V\.?|S\.?A\.?|PJSC|OJSC|CJSC|OAO|ZAO|AO|PLC|INC\.?|CO\.?|CORP\.?|FZE|FZCO|LLP|"
    r"S\.?P\.?A\.?|PTE\.? LTD\.?|PVT\.? LTD\.?|CO\.?,? LTD\.?|C\.?A\.?|LTDA\.?|"
    r"S\.?A\.? DE C\.?V\.?|S\.? DE R\.?L\.?(?: DE C\.?V\.?)?|S\.?A\.?C\.?A\.?)$",
    re.IGNORECASE,
)
_FORM_AT_START = re.compile(r"^(LLC|OOO|JSC|OJSC|CJSC|PJSC|OAO|ZAO|AO|PAO|TOV)\s+", re.IGNORECASE)
_BRACKETED = re.compile(r"\s*\([^()]*\)")
_ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z.\-]{1,9})\)")
GENERIC = ("Trading", "Company", "Group", "Holding", "International", "General", "& Co")
BELGIAN_FORMS = ("BV", "NV", "SRL", "SA", "VZW", "CommV")


def _core(name: str) -> str:
    """The name without what it writes in brackets."""
    return " ".join(_BRACKETED.sub(" ", name).split())


def legal_form(name: str) -> str | None:
    """The legal form the name ends or begins with, if any (the last, of several)."""
    core = _core(name)
    found = _FORM_AT_END.search(core) or _FORM_AT_START.search(core)
    return found.group(1) if found else None


def _forms_at_end(core: str) -> tuple[str, str]:
    """The name without the legal forms it ends with (``Krym SMT OOO LLC``), and them."""
    forms = ""
    while (found := _FORM_AT_END.search(core)) and core[: found.start()].strip():
        forms = core[found.start() :] + forms
        core = core[: found.start()]
    return core, " ".join(forms.split())


_JOINT_STOCK = {"JSC", "AG", "NV", "SA", "PJSC", "OJSC", "CJSC", "OAO", "ZAO", "AO", "PLC", "SPA"}


def _class(form: str) -> str:
    return "jsc" if form.upper().replace(".", "").strip() in _JOINT_STOCK else "llc"


def form_added(rng: random.Random, name: str) -> str | None:
    if legal_form(name):
        return None
    return f"{_core(name)} {rng.choice(BELGIAN_FORMS + FORMS_BY_CLASS['llc'])}"


def form_removed(rng: random.Random, name: str) -> str | None:
    core = _core(name)
    removed = _FORM_AT_START.sub("", _forms_at_end(core)[0])
    return removed if removed != core and removed.strip() else None


def form_swapped(rng: random.Random, name: str) -> str | None:
    """The legal form replaced by another country's (LLC → BV, JSC → AG)."""
    form = legal_form(name)
    if form is None:
        return None
    upper = form.upper().replace(".", "")
    kind = _class(form)
    others = [f for f in FORMS_BY_CLASS[kind] if f.upper().replace(".", "") != upper]
    removed = form_removed(rng, name)
    return f"{removed} {rng.choice(others)}" if removed else None


def generic_added(rng: random.Random, name: str) -> str | None:
    """``X Trading BV``: a generic word, and a Belgian legal form in place of the listed one."""
    base = form_removed(rng, name) or _core(name)
    return f"{base} {rng.choice(GENERIC)} {rng.choice(BELGIAN_FORMS)}"


def acronym_removed(rng: random.Random, name: str) -> str | None:
    stripped = _ACRONYM.sub("", name)
    return " ".join(stripped.split()) if stripped != name else None


# --- organisations: written in their original script --------------------------------------

_CYRILLIC = (
    ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("tch", "ч"),
    ("ch", "ч"), ("sh", "ш"), ("yu", "ю"), ("ya", "я"), ("yo", "ё"), ("ye", "е"),
    ("ju", "ю"), ("ja", "я"), ("je", "е"), ("tj", "ч"), ("iy", "ий"), ("yy", "ый"),
    ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"),
    ("i", "и"), ("j", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"),
    ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"),
    ("c", "к"), ("q", "к"), ("w", "в"), ("x", "кс"), ("y", "ы"),
)  # fmt: skip
_ARABIC = (
    ("sh", "ش"), ("kh", "خ"), ("th", "ث"), ("dh", "ذ"), ("gh", "غ"), ("ch", "تش"), ("ph", "ف"),
    ("b", "ب"), ("t", "ت"), ("j", "ج"), ("h", "ه"), ("d", "د"), ("r", "ر"), ("z", "ز"),
    ("s", "س"), ("f", "ف"), ("q", "ق"), ("k", "ك"), ("l", "ل"), ("m", "م"), ("n", "ن"),
    ("w", "و"), ("y", "ي"), ("p", "ب"), ("v", "ف"), ("g", "ج"), ("c", "ك"), ("x", "كس"),
    ("a", "ا"), ("e", "ي"), ("i", "ي"), ("o", "و"), ("u", "و"),
)  # fmt: skip
# Persian writes p, ch, g, zh with letters of its own.
_PERSIAN = tuple(
    (latin, "ک" if letter == "ك" else "ی" if letter == "ي" else letter)
    for latin, letter in (
        *((latin, letter) for latin, letter in _ARABIC if len(latin) == 2 and latin != "ch"),
        ("zh", "ژ"), ("ch", "چ"), ("p", "پ"), ("g", "گ"),
        *((latin, letter) for latin, letter in _ARABIC if len(latin) == 1 and latin not in "pg"),
    )
)  # fmt: skip
# How an original in that language writes the words of a company name that are not
# names: the words rigour's org symbols (and the matcher's own table) know as the same.
_CYRILLIC_WORDS = {
    "company": "компания", "trading": "торговый", "group": "группа", "holding": "холдинг",
    "bank": "банк", "international": "международный", "industrial": "промышленный",
    "plant": "завод", "factory": "фабрика", "institute": "институт", "center": "центр",
    "centre": "центр", "concern": "концерн", "and": "и", "of": "", "the": "",
}  # fmt: skip
_ARABIC_WORDS = {
    "company": "شركة", "co": "شركة", "corporation": "شركة", "trading": "للتجارة",
    "trade": "للتجارة", "group": "مجموعة", "holding": "القابضة", "bank": "بنك",
    "international": "الدولية", "general": "العامة", "industrial": "الصناعية",
    "industries": "الصناعية", "services": "للخدمات", "institute": "معهد", "center": "مركز",
    "centre": "مركز", "engineering": "الهندسية", "exchange": "للصرافة", "charity": "خيرية",
    "research": "للأبحاث", "laboratories": "مختبرات", "technology": "تكنولوجيا",
    "technologies": "تكنولوجيا", "oil": "النفط", "petroleum": "النفط",
    "chemical": "الكيميائية", "shipping": "للشحن", "construction": "للمقاولات",
    "organization": "منظمة", "organisation": "منظمة", "ministry": "وزارة",
    "defense": "الدفاع", "defence": "الدفاع", "export": "للتصدير", "import": "للاستيراد",
    "development": "التنمية", "factory": "مصنع", "plant": "مصنع", "marketing": "للتسويق",
    "foundation": "مؤسسة", "limited": "المحدودة", "and": "و", "the": "", "of": "", "for": "",
}  # fmt: skip
_PERSIAN_WORDS = {
    "company": "شرکت", "co": "شرکت", "corporation": "شرکت", "trading": "بازرگانی",
    "trade": "بازرگانی", "group": "گروه", "bank": "بانک", "international": "بین‌المللی",
    "general": "عمومی", "industrial": "صنعتی", "industries": "صنایع", "institute": "موسسه",
    "center": "مرکز", "centre": "مرکز", "engineering": "مهندسی", "exchange": "صرافی",
    "charity": "خیریه", "research": "تحقیقات", "laboratories": "آزمایشگاه",
    "technology": "فناوری", "technologies": "فناوری", "oil": "نفت", "petroleum": "نفت",
    "chemical": "شیمیایی", "shipping": "کشتیرانی", "construction": "ساختمانی",
    "organization": "سازمان", "organisation": "سازمان", "ministry": "وزارت",
    "defense": "دفاع", "defence": "دفاع", "export": "صادرات", "import": "واردات",
    "development": "توسعه", "foundation": "بنیاد", "factory": "کارخانه", "plant": "کارخانه",
    "marketing": "بازاریابی", "and": "و", "the": "", "of": "", "for": "",
}  # fmt: skip
# Written-out forms, as the original writes them (in front of the name in Russian).
_CYRILLIC_FORMS = {"llc": "ООО", "jsc": "АО"}
_ARABIC_FORMS = {"llc": "ذ.م.م", "jsc": "ش.م.ع"}
_PERSIAN_FORMS = {"llc": "با مسئولیت محدود", "jsc": "سهامی خاص"}
_WRITTEN_FORMS = re.compile(
    r"\b(open|closed|public)?\s*joint[\s-]+stock\s+company\b|\blimited\s+liability\s+company\b",
    re.IGNORECASE,
)
_LATIN_NAME = re.compile(r"^[A-Za-z0-9\s\-'’.,&()\"“”«»]+$")


def _spelt(word: str, table: tuple[tuple[str, str], ...], abjad: bool) -> str:
    out, i, lower = [], 0, word.lower()
    while i < len(lower):
        for latin, letter in table:
            if lower.startswith(latin, i):
                # An abjad writes a short vowel inside a word with no letter.
                if not (abjad and latin in "aeiou" and 0 < i < len(lower) - 1):
                    out.append(letter)
                i += len(latin)
                break
        else:
            i += 1
    return "".join(out)


def _in_script(
    name: str,
    words_table: dict[str, str],
    letters: tuple[tuple[str, str], ...],
    forms: dict[str, str],
    abjad: bool,
) -> str | None:
    if not _LATIN_NAME.match(name):
        return None  # already in another script, or in letters we do not write
    form = legal_form(name)
    base = form_removed(random.Random(0), name) if form else _core(name)
    written_out = _WRITTEN_FORMS.search(base or "")
    if written_out:
        form = "JSC" if "stock" in written_out.group(0).lower() else "LLC"
        base = _WRITTEN_FORMS.sub(" ", base or "")
    words = [w.strip("'’\"“”«»,.") for w in re.split(r"[\s\-]+", base or "")]
    words = [w.replace("'", "").replace("’", "") for w in words if w]
    if not words or not all(w.isalnum() for w in words):
        return None
    if len("".join(words)) <= 6 and "".join(words).isupper():
        return None  # an acronym: an original writes it as it is
    written = []
    for word in words:
        if (word.isupper() and len(word) <= 4 and not name.isupper()) or not word.isalpha():
            written.append(word)  # an acronym, or digits, stay as written
        elif word.lower() in words_table:
            if words_table[word.lower()]:
                written.append(words_table[word.lower()])
        else:
            written.append(_spelt(word, letters, abjad))
    if form:
        written = [*written, forms[_class(form)]] if abjad else [forms[_class(form)], *written]
    return " ".join(w for w in written if w) or None


# English (and Polish) spellings: a name holding them is not a Russian name
# transliterated (an
# original would translate it, as no letter-by-letter reading can).
_ENGLISH = re.compile(r"w|th|ph|ee|oo|ou|ea|ck|gh|qu|cz|sz|rz", re.IGNORECASE)


def cyrillic(rng: random.Random, name: str) -> str | None:
    """The name as a Russian original writes it: the transliterated words letter by
    letter, the others in Russian, ООО / АО in front."""
    words = re.split(r"[\s\-]+", _core(name).lower())
    if any(_ENGLISH.search(w) for w in words if w not in _CYRILLIC_WORDS):
        return None
    return _in_script(name, _CYRILLIC_WORDS, _CYRILLIC, _CYRILLIC_FORMS, abjad=False)


def arabic(rng: random.Random, name: str) -> str | None:
    """The name as an Arabic original writes it: consonants and long vowels, شركة for
    company, للتجارة for trading, ذ.م.م for a limited company."""
    return _in_script(name, _ARABIC_WORDS, _ARABIC, _ARABIC_FORMS, abjad=True)


def persian(rng: random.Random, name: str) -> str | None:
    """The name as a Persian original writes it: as Arabic does, with Persian letters for
    p, ch, g and zh, شرکت for company, بازرگانی for trading."""
    return _in_script(name, _PERSIAN_WORDS, _PERSIAN, _PERSIAN_FORMS, abjad=True)


# Where the listed organisation comes from says which script its original is written in.
ORIGIN_SCRIPTS: dict[str, Perturbation] = {
    "cyrillic": cyrillic,
    "arabic": arabic,
    "persian": persian,
}


PERSON_CHANGES: dict[str, Perturbation] = {
    "typo": typo,
    "order swap": swap,
    "dropped middle name": drop_middle,
    "transliteration": variant,
}
ORGANISATION_CHANGES: dict[str, Perturbation] = {
    "typo": typo,
    # Applied by origin: see ORIGIN_SCRIPTS and matching_e2e.original_queries.
    "diacritics added or dropped": diacritics,
    "legal form added": form_added,
    "legal form removed": form_removed,
    "legal form swapped for another country's": form_swapped,
    "generic word added (X Trading BV)": generic_added,
    "bracketed acronym removed": acronym_removed,
    "word order": word_order,
    "hyphen / space": hyphen_space,
}
