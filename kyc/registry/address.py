"""A customer's address against the address the register holds, field by field.

The register writes a Belgian address in Dutch and in French (``Rue de la Loi`` /
``Wetstraat``, ``Bruxelles`` / ``Brussel``); customers write either, with or without
accents, abbreviated (``Kerkstr.``, ``Av.``) and with the box in the number
(``12 bus 3``). Each field is compared in the form both would agree on: streets and
municipalities by spelling similarity against both languages, house numbers and boxes
exactly once their separators are gone, postcodes exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from kyc.names import normalize
from kyc.store.models import KboAddress

# Street words written short (Dutch and French), as the long form.
_STREET_WORDS = {
    "str": "straat",
    "stwg": "steenweg",
    "stw": "steenweg",
    "ln": "laan",
    "pl": "plein",
    "av": "avenue",
    "ave": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "ch": "chaussee",
    "chee": "chaussee",
    "r": "rue",
}
# Words that end in a street word written short: "kerkstr" is "kerkstraat".
_SHORT_ENDINGS = (("stwg", "steenweg"), ("str", "straat"))
_SUFFIXES = ("straat", "steenweg", "laan", "plein", "lei", "dreef")
# "12 bus 3", "12 bte 3", "12/3" — but not "12bis" or "12B", which are house numbers.
_BOX = re.compile(
    r"(?:\s+(?:bus|boite|boîte|bte|bt|b|box)\.?\s*|\s*/\s*)([0-9a-z]+)\s*$", re.IGNORECASE
)
# "B-1000", "BE 1000", "BE-1000": the country written before a Belgian postcode.
_COUNTRY_PREFIX = re.compile(r"^(?:b|be)\s*-?\s*(?=\d)", re.IGNORECASE)
# Spelling similarity (0–100) from which two streets or municipalities are the same.
SIMILAR = 85


@dataclass(frozen=True)
class GivenAddress:
    street: str | None = None
    number: str | None = None
    box: str | None = None
    postcode: str | None = None
    municipality: str | None = None

    def given(self) -> bool:
        return any(vars(self).values())


@dataclass(frozen=True)
class FieldComparison:
    field: str
    given: str
    registered: str
    matches: bool


def compare_address(given: GivenAddress, registered: KboAddress) -> list[FieldComparison]:
    """One comparison per field the customer gave."""
    number, box = _number_and_box(given, registered.house_number)
    checks = [
        ("street", given.street, [registered.street_nl, registered.street_fr], _same_street),
        ("number", number, [registered.house_number], _same_token),
        ("box", box, [registered.box], _same_token),
        ("postcode", given.postcode, [registered.zipcode], _same_postcode),
        (
            "municipality",
            given.municipality,
            [registered.municipality_nl, registered.municipality_fr],
            _same_place,
        ),
    ]
    comparisons = []
    for name, value, candidates, same in checks:
        if not value:
            continue
        known = [c for c in candidates if c]
        comparisons.append(
            FieldComparison(
                name,
                value,
                " / ".join(dict.fromkeys(known)),
                any(same(value, candidate) for candidate in known),
            )
        )
    return comparisons


def _number_and_box(given: GivenAddress, registered_number: str | None) -> tuple[str, str | None]:
    """The house number and box the customer gave; a number the register itself writes with
    a slash or a box word (``72/3``) stays whole."""
    whole = given.number or ""
    if registered_number and _same_token(whole, registered_number):
        return whole, given.box
    number, box = split_box(whole)
    return number, given.box or box


def split_box(number: str) -> tuple[str, str | None]:
    """``12 bus 3`` → (``12``, ``3``); ``12A`` → (``12A``, None)."""
    match = _BOX.search(number)
    if match and match.start() > 0:
        return number[: match.start()].strip(), match.group(1)
    return number.strip(), None


def _same_token(given: str, registered: str) -> bool:
    return _token(given) == _token(registered)


def _token(text: str) -> str:
    token = re.sub(r"[\s\-./]", "", normalize(text))
    # "03" is box 3; "0.01" (floor 0, unit 1) keeps its zeros.
    return (token.lstrip("0") or token) if text.strip().isdigit() else token


def _same_postcode(given: str, registered: str) -> bool:
    return _token(_COUNTRY_PREFIX.sub("", given.strip())) == _token(registered)


def _same_street(given: str, registered: str) -> bool:
    return fuzz.ratio(_street(given), _street(registered)) >= SIMILAR


def _street(text: str) -> str:
    words = [_long_word(word) for word in normalize(text).split()]
    joined = " ".join(words)
    # "Kerk straat" and "Kerkstraat" are one street.
    for suffix in _SUFFIXES:
        joined = joined.replace(f" {suffix}", suffix)
    return joined


def _long_word(word: str) -> str:
    if word in _STREET_WORDS:
        return _STREET_WORDS[word]
    for short, long in _SHORT_ENDINGS:
        if word.endswith(short) and len(word) > len(short):
            return word[: -len(short)] + long
    return word


def _same_place(given: str, registered: str) -> bool:
    return fuzz.ratio(normalize(given), normalize(registered)) >= SIMILAR
