from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rigour.text import ascii_text

from kyc.names import latin_ascii, normalize


def test_normalise_folds_case_accents_scripts_and_abbreviations() -> None:
    assert normalize("  Ça  Brûle, N.V. ") == "ca brule nv"
    assert normalize("Виктор Соколов") == "viktor sokolov"
    assert normalize("O'Brien-Smith") == "obrien smith"
    assert normalize("V.Putin") == "v putin"


def test_korean_names_in_the_usual_latin_spelling() -> None:
    assert normalize("김정은") == "kim jong un"
    assert normalize("이민호") == "lee min ho"


@given(st.text())
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


def test_the_shortcut_for_accents_agrees_with_transliteration() -> None:
    # Every Latin letter with a diacritic, and a few that are letters of their own.
    latin = [chr(c) for c in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00))]
    for text in [f"a{char}b" for char in latin] + ["René Müller-Çelik", "Ærø", "Straße", "Łódź"]:
        assert latin_ascii(text) == ascii_text(text), text


def test_text_transliteration_refuses_cannot_stop_the_analysis() -> None:
    # ICU refuses this sequence (an iteration mark after a Linear B sign).
    assert isinstance(latin_ascii("\U00010000\u309d"), str)
