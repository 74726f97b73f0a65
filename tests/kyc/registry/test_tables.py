"""The files of an extract as tables: a row's numbers checked as it is converted."""

from __future__ import annotations

from kyc.registry.tables import entity_number


def test_entity_numbers_of_both_kinds() -> None:
    assert entity_number("0200.065.765") == "0200065765"
    assert entity_number("2.190.171.611") == "2190171611"
