"""One written name, several readings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyc.model import EntryKind
from kyc.names import Reason, is_abbreviation, readings

ORG = EntryKind.ORGANIZATION


def read(name: str, kind: EntryKind = ORG) -> list[tuple[str, bool]]:
    return [(r.text, r.abbreviation) for r in readings(name, kind)]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("BUTEMBO AIRLINES (BAL)", [("butembo airlines", False), ("bal", True)]),
        (
            "UGANDA COMMERCIAL IMPEX (UCI) LTD",
            [("uganda commercial impex", False), ("uci", True)],
        ),
        (
            "AL-HARAMAIN FOUNDATION (PAKISTAN)",
            [("al haramain foundation", False), ("al haramain foundation pakistan", False)],
        ),
        (
            "Lord’s Resistance Movement/Army (LRM/A)",
            [
                ("lords resistance movement", False),
                ("lords resistance army", False),
                ("lrma", True),
            ],
        ),
        ("Blue Sky Ltd formerly Red Sun Ltd", [("blue sky", False), ("red sun", False)]),
        ("Blue Sky Ltd (f.k.a. Red Sun Ltd)", [("blue sky", False), ("red sun", False)]),
        ("Peeters BV h/o Bakkerij Peeters", [("peeters", False), ("bakkerij peeters", False)]),
        ("Alpha NV t/a Beta", [("alpha", False), ("beta", False)]),
        ("Alpha d/b/a Beta", [("alpha", False), ("beta", False)]),
        ("Korea Ryenha Machinery J/V Corporation", [("korea ryenha machinery corporation", False)]),
        ("ADF/NALU", [("adf", False), ("nalu", False)]),
        ("AL-ITIHAAD AL-ISLAMIYA / AIAI", [("al itihaad al islamiya", False), ("aiai", False)]),
        (
            "COMPAGNIE AERIENNE DES GRANDS LACS (CAGL) ; GREAT LAKES BUSINESS COMPANY (GLBC)",
            [
                ("compagnie aerienne des grands lacs", False),
                ("cagl", True),
                ("great lakes business company", False),
                ("glbc", True),
            ],
        ),
        (
            "شبكة أنصار المجاهدين (Ansar al-Mujahideen Network - sub-unit name)",
            [("shbkt ansar almjahdyn", False), ("ansar al mujahideen network", False)],
        ),
        ("Acme (unbalanced", [("acme unbalanced", False)]),
    ],
)
def test_organisation_readings(name: str, expected: list[tuple[str, bool]]) -> None:
    assert read(name) == expected


def test_a_person_is_read_apart_only_where_a_slash_or_semicolon_says() -> None:
    assert read("Usama bin Laden / Osama", EntryKind.PERSON) == [
        ("usama bin laden", False),
        ("osama", False),
    ]
    assert read("Jan Peeters (formerly Janssens)", EntryKind.PERSON) == [
        ("jan peeters formerly janssens", False)
    ]


def test_each_reading_says_why_it_was_read_so() -> None:
    main, alone = readings("BUTEMBO AIRLINES (BAL)", ORG)
    assert [a.reason for a in main.set_aside] == [Reason.ABBREVIATION]
    assert [a.reason for a in alone.set_aside] == [Reason.ABBREVIATION_ALONE]
    former = readings("Blue Sky formerly Red Sun", ORG)[1]
    assert former.set_aside[0].describe() == (
        "'after 'formerly'' (another name of the same body, read on its own)"
    )


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        ("BAL", "BUTEMBO AIRLINES", True),
        ("ISIL-K", "ISLAMIC STATE IN IRAQ AND THE LEVANT - KHORASAN", True),
        ("JuA", "JAMAAT-UL-AHRAR", True),
        ("BK CO.", "ABZAR BORESH KAVEH CO.", True),
        ("PAKISTAN", "AL-HARAMAIN FOUNDATION", False),
        ("NGO", "TOUS POUR LA PAIX ET LE DEVELOPPEMENT", False),
        ("KPE.018", "SECOND ACADEMY OF NATURAL SCIENCES", False),
        ("martyrs", "Riyadus-Salikhin Reconnaissance and Sabotage battalion of Shahids", False),
    ],
)
def test_what_is_an_abbreviation(content: str, name: str, expected: bool) -> None:
    assert is_abbreviation(content, name) is expected


@given(st.text(), st.sampled_from(list(EntryKind)))
def test_any_text_has_readings_with_words(text: str, kind: EntryKind) -> None:
    for reading in readings(text, kind):
        assert reading.tokens or reading.native
