"""The shapes the index keeps of customers' names, and the bound run on them."""

from __future__ import annotations

from kyc.matching.reverse import Probes
from kyc.matching.reverse_bound import Shape, encode_shapes
from kyc.matching.weights import DEFAULT_WEIGHTS
from kyc.model import EntryKind, EntryName, ListEntry, ScreeningSubject
from kyc.names import readings


def _shape(name: str, kind: EntryKind = EntryKind.PERSON) -> Shape:
    return Shape.of(readings(name, kind)[0])


def test_a_shape_survives_being_stored() -> None:
    for name in ("Jan van der Berg", "Fenne Tirza van der Velden", "V. Sokolov"):
        shape = _shape(name)
        assert Shape.decode(shape.encode()) == shape, name


def test_words_are_counted_by_role() -> None:
    shape = _shape("Jan van der Berg")
    assert sum(shape.identifying) == 2 and sum(shape.others) == 2 and shape.bounded
    # One skeleton standing for two words (fenne, van: fn) is counted so.
    assert _shape("Fenne Tirza van der Velden").repeat == 2


def test_names_the_bound_does_not_cover_are_kept_on_any_contact() -> None:
    assert not _shape("Youba Youba Djebal").bounded  # a word twice: one key for both
    assert not _shape("عبد الرحمن المصري").bounded  # written without vowels
    assert encode_shapes(readings("Youba Youba", EntryKind.PERSON)) == "*"


def test_several_readings_are_stored_together() -> None:
    names = readings("Alpha Trading (Beta Holding)", EntryKind.ORGANIZATION)
    assert len(names) > 1 and encode_shapes(names).count(";") == len(names) - 1


def test_the_bound_drops_a_customer_one_word_away() -> None:
    entry = ListEntry("1", EntryKind.PERSON, (EntryName("Mohammed Yusip Karim"),))
    probes = Probes.of([entry], DEFAULT_WEIGHTS, 0.86)

    def reached(name: str) -> bool:
        return probes.reach(ScreeningSubject("s", EntryKind.PERSON, name))

    assert reached("Mohamed Yusup Karim") and reached("Karim Mohammed Yusip")
    assert not reached("Mohamed Peeters") and not reached("Karim Janssens")
