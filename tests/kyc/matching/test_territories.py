"""Country codes from what lists write: the shipped table is rigour's own."""

from __future__ import annotations

import pytest
from rigour.territories import lookup_territory

from kyc.matching import territories
from kyc.matching.territories import rigour_names, shipped_names, territory_code


def test_the_shipped_table_is_the_installed_rigour_s() -> None:
    """Fails after a rigour upgrade: `python -m kyc.matching.territories` writes it again."""
    assert shipped_names() == rigour_names()


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("RU", "ru"),
        ("Russian Federation", "ru"),
        ("Iraq", "iq"),
        ("Irak", "iq"),
        ("Democratic People's Republic of Korea", "kp"),
        ("Syrian Arab Republic", "sy"),
        ("nowhere at all", None),
    ],
)
def test_codes_as_rigour_gives_them(written: str, code: str | None) -> None:
    found = lookup_territory(written)
    assert territory_code(written) == code == (None if found is None else found.code)


def test_another_rigour_release_falls_back_to_rigour_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(territories, "version", lambda package: "0.0.0")
    shipped_names.cache_clear()
    territory_code.cache_clear()
    try:
        assert shipped_names() is None
        assert territory_code("Russian Federation") == "ru"
    finally:
        shipped_names.cache_clear()
        territory_code.cache_clear()
