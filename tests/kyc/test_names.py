from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rigour.text import ascii_text

from kyc.model import EntryKind
from kyc.names import (
    Role,
    alternatives,
    analyse,
    consonant_skeleton,
    latin_ascii,
    normalize,
    spell_numbers,
)


def texts(name: str, kind: EntryKind = EntryKind.PERSON) -> list[str]:
    return [t.text for t in analyse(name, kind).tokens]


def test_normalise_folds_case_accents_scripts_and_abbreviations() -> None:
    assert normalize("  Ça  Brûle, N.V. ") == "ca brule nv"
    assert normalize("Виктор Соколов") == "viktor sokolov"
    assert normalize("O'Brien-Smith") == "obrien smith"
    assert normalize("V.Putin") == "v putin"


def test_korean_names_in_the_usual_latin_spelling() -> None:
    assert normalize("김정은") == "kim jong un"
    assert normalize("이민호") == "lee min ho"


def test_organisation_legal_forms_are_set_aside_and_classed() -> None:
    old = analyse("Baltic Star Shipping B.V.B.A.", EntryKind.ORGANIZATION)
    new = analyse("Baltic Star Shipping BV", EntryKind.ORGANIZATION)
    assert texts("Baltic Star Shipping B.V.B.A.", EntryKind.ORGANIZATION) == [
        "baltic",
        "star",
        "shipping",
    ]
    assert old.legal_forms == new.legal_forms == ("bv",)
    assert old.set_aside == ("bvba",)
    assert analyse("ACME SPRL", EntryKind.ORGANIZATION).legal_forms == ("bv",)
    assert analyse(
        "Volkswagen Gesellschaft mit beschränkter Haftung", EntryKind.ORGANIZATION
    ).legal_forms == ("gmbh",)


def test_organisation_words_have_roles() -> None:
    fund = analyse("Apollo Investment Fund VIII L.P.", EntryKind.ORGANIZATION)
    roles = {t.text: t.role for t in fund.tokens}
    assert roles == {
        "apollo": Role.NAME,
        "investment": Role.GENERIC,
        "fund": Role.GENERIC,
        "8": Role.NUMBER,
    }
    assert texts("Brigade Forty-four", EntryKind.ORGANIZATION) == ["brigade", "44"]
    assert texts("First Bank Int'l", EntryKind.ORGANIZATION) == ["first", "bank", "international"]


def test_person_honorifics_particles_and_initials() -> None:
    name = analyse("Dr. Usama bin M. Laden", EntryKind.PERSON)
    assert [(t.text, t.role) for t in name.tokens] == [
        ("usama", Role.NAME),
        ("bin", Role.PARTICLE),
        ("m", Role.INITIAL),
        ("laden", Role.NAME),
    ]
    assert name.set_aside == ("dr",)
    assert analyse("Osama", EntryKind.PERSON).tokens[0].variant == "osama"
    assert analyse("Usama", EntryKind.PERSON).tokens[0].variant == "osama"


def test_scripts_written_without_vowels_get_a_skeleton() -> None:
    assert analyse("محمد علي", EntryKind.PERSON).skeleton is not None
    assert consonant_skeleton("mohamed ali") == "mhmdl"
    assert analyse("Mohamed Ali", EntryKind.PERSON).skeleton is None


def test_names_in_han_or_hangul_keep_their_own_script() -> None:
    han = analyse("高市早苗", EntryKind.PERSON)
    assert (han.script, han.native) == ("Han", ("高市早苗",))
    assert analyse("Владимир Путин", EntryKind.PERSON).script is None


def test_alternatives_and_numbers() -> None:
    assert alternatives("Al-Qa'ida/Islamic Army") == ["Al-Qa'ida", "Islamic Army"]
    assert alternatives("Smith") == ["Smith"]
    assert spell_numbers(["three", "percenters"]) == ["3", "percenters"]


@given(st.text(), st.sampled_from(list(EntryKind)))
def test_analysing_twice_changes_nothing(text: str, kind: EntryKind) -> None:
    once = analyse(text, kind)
    again = analyse(once.text, kind)
    assert again.text == once.text


@given(st.text())
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.text(), st.sampled_from(list(EntryKind)))
def test_any_unicode_is_analysed(text: str, kind: EntryKind) -> None:
    for token in analyse(text, kind).tokens:
        assert token.text and " " not in token.text


def test_the_shortcut_for_accents_agrees_with_transliteration() -> None:
    # Every Latin letter with a diacritic, and a few that are letters of their own.
    latin = [chr(c) for c in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00))]
    for text in [f"a{char}b" for char in latin] + ["René Müller-Çelik", "Ærø", "Straße", "Łódź"]:
        assert latin_ascii(text) == ascii_text(text), text
