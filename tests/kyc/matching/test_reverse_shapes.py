"""The shapes the index keeps of customers' names."""

from __future__ import annotations

from kyc.matching.reverse_shapes import Shape, encode_shapes
from kyc.model import EntryKind
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
