"""The prefilter's bound run in reverse drops what the prefilter drops, no more."""

from __future__ import annotations

from kyc.matching.reverse import Probes
from kyc.matching.weights import DEFAULT_WEIGHTS
from kyc.model import EntryKind, EntryName, ListEntry, ScreeningSubject


def test_the_bound_drops_a_customer_one_word_away() -> None:
    entry = ListEntry("1", EntryKind.PERSON, (EntryName("Mohammed Yusip Karim"),))
    probes = Probes.of([entry], DEFAULT_WEIGHTS, 0.86)

    def reached(name: str) -> bool:
        return probes.reach(ScreeningSubject("s", EntryKind.PERSON, name))

    assert reached("Mohamed Yusup Karim") and reached("Karim Mohammed Yusip")
    assert not reached("Mohamed Peeters") and not reached("Karim Janssens")
