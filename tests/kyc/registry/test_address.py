from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyc.registry.address import GivenAddress, compare_address, split_box
from kyc.store.models import KboAddress


def _seat(**fields: str | None) -> KboAddress:
    values: dict[str, str | None] = {
        "street_nl": "Wetstraat",
        "street_fr": "Rue de la Loi",
        "house_number": "16",
        "box": "3",
        "zipcode": "1000",
        "municipality_nl": "Brussel",
        "municipality_fr": "Bruxelles",
    }
    return KboAddress(**(values | fields))


def _differing(given: GivenAddress, seat: KboAddress | None = None) -> list[str]:
    return [c.field for c in compare_address(given, seat or _seat()) if not c.matches]


@pytest.mark.parametrize(
    "given",
    [
        GivenAddress("Rue de la Loi", "16", "3", "1000", "Bruxelles"),
        GivenAddress("Wetstr.", "16 bus 3", None, "1000", "Brussel"),
        GivenAddress("RUE DE LA LOI", "16/3", None, "B-1000", "BRUXELLES"),
        GivenAddress("Rue de la Loi", "16 bte 3", None, "BE-1000", "Brussel"),
        GivenAddress("Rue de la Loi", "16, boîte 3", None, "BE 1000", "Bruxelles"),
        GivenAddress("Wet straat", "16 box 03", None, "1000", "Brussel"),
        GivenAddress("Rue de la Loi", "16", "0003", "1000", "Bruxeles"),  # a typo
        GivenAddress(postcode="1000"),  # only what was given is compared
    ],
)
def test_the_seat_in_either_language_and_any_usual_spelling(given: GivenAddress) -> None:
    assert _differing(given) == []


@pytest.mark.parametrize(
    ("given", "fields"),
    [
        (GivenAddress("Rue de la Loi", "18", "3", "1000", "Bruxelles"), ["number"]),
        (GivenAddress("Rue de la Loi", "16 bus 4", None, "1040", "Etterbeek"),
         ["box", "postcode", "municipality"]),
        (GivenAddress("Rue Royale", "16", None, "1000", "Bruxelles"), ["street"]),
        (GivenAddress("Rue de la Loi", "16", None, "NL-1000", "Bruxelles"), ["postcode"]),
    ],
)  # fmt: skip
def test_each_field_that_differs_is_named(given: GivenAddress, fields: list[str]) -> None:
    assert _differing(given) == fields


@pytest.mark.parametrize(
    ("street", "registered"),
    [
        ("Kerkstr. ", "Kerkstraat"),
        ("Av. Louise", "Avenue Louise"),
        ("Bd du Roi Albert II", "Boulevard du Roi Albert II"),
        ("Chée de Waterloo", "Chaussée de Waterloo"),
        ("Kortrijkse stwg", "Kortrijksesteenweg"),
        ("St.-Pietersnieuwstraat", "Sint-Pietersnieuwstraat"),
    ],
)
def test_abbreviated_street_words(street: str, registered: str) -> None:
    seat = _seat(street_nl=registered, street_fr=None)
    assert _differing(GivenAddress(street=street), seat) == []


def test_a_number_the_register_writes_with_a_slash_stays_whole() -> None:
    seat = _seat(house_number="72/3", box=None)
    assert _differing(GivenAddress(number="72/3"), seat) == []
    assert _differing(GivenAddress(number="72 / 3"), seat) == []
    assert _differing(GivenAddress(number="72"), seat) == ["number"]


@pytest.mark.parametrize(
    ("number", "split"),
    [
        ("12 bus 3", ("12", "3")),
        ("12 bte 3", ("12", "3")),
        ("12/3", ("12", "3")),
        ("12 b. 3", ("12", "3")),
        ("12A", ("12A", None)),
        ("12bis", ("12bis", None)),
        ("12", ("12", None)),
        ("", ("", None)),
    ],
)
def test_split_box(number: str, split: tuple[str, str | None]) -> None:
    assert split_box(number) == split


text = st.text(max_size=40)


@given(st.builds(GivenAddress, text, text, st.none() | text, text, text))
def test_any_text_is_compared_without_error(given_address: GivenAddress) -> None:
    for comparison in compare_address(given_address, _seat()):
        assert comparison.field in {"street", "number", "box", "postcode", "municipality"}


@given(st.sampled_from(["Wetstraat", "Rue de la Loi"]), st.sampled_from(["Brussel", "Bruxelles"]))
def test_the_registered_seat_matches_itself(street: str, municipality: str) -> None:
    assert _differing(GivenAddress(street, "16", "3", "1000", municipality)) == []
