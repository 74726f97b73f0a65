from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kyc.model import EntryKind
from kyc.names import (
    Aside,
    Reason,
    Role,
    analyse,
    consonant_skeleton,
    readings,
    spell_numbers,
)


def texts(name: str, kind: EntryKind = EntryKind.PERSON) -> list[str]:
    return [t.text for t in analyse(name, kind).tokens]


def test_person_honorifics_particles_and_initials() -> None:
    name = analyse("Dr. Usama bin M. Laden", EntryKind.PERSON)
    assert [(t.text, t.role) for t in name.tokens] == [
        ("usama", Role.NAME),
        ("bin", Role.PARTICLE),
        ("m", Role.INITIAL),
        ("laden", Role.NAME),
    ]
    assert name.set_aside == (Aside("dr", Reason.TITLE),)
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


def test_readings_and_numbers() -> None:
    def texts_of(name: str) -> list[str]:
        return [r.text for r in readings(name, EntryKind.ORGANIZATION)]

    assert texts_of("Al-Qa'ida/Islamic Army") == ["al qaida", "al qaida army", "islamic army"]
    assert [r.text for r in readings("Smith", EntryKind.PERSON)] == ["smith"]
    assert spell_numbers(["three", "percenters"]) == ["3", "percenters"]


# Names in Latin letters (up to Latin Extended-B): read back from a script without
# vowels, consonants may spell a legal form by chance, which the name as written is not.
latin_text = st.text(alphabet=st.characters(max_codepoint=0x24F))


@given(latin_text, st.sampled_from(list(EntryKind)))
def test_analysing_twice_changes_nothing(text: str, kind: EntryKind) -> None:
    once = analyse(text, kind)
    again = analyse(once.text, kind)
    assert again.text == once.text


@given(st.text(), st.sampled_from(list(EntryKind)))
def test_any_unicode_is_analysed(text: str, kind: EntryKind) -> None:
    for token in analyse(text, kind).tokens:
        assert token.text and " " not in token.text
