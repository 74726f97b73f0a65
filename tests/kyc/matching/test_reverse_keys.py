"""The keys of names the matcher run in reverse compares."""

from __future__ import annotations

from kyc.matching.reverse_keys import key_word, name_keys
from kyc.model import EntryKind
from kyc.names import readings


def test_keys_keep_names_roles_and_readings_apart() -> None:
    keys = name_keys(readings("Al-Amal Trading Company LLC", EntryKind.ORGANIZATION))
    words = {(kind, key_word(text)) for kind, text in keys if kind in ("n", "o")}
    assert ("n", ("amal", None)) in words
    # A word with a meaning keeps it in its key (company = شركة, however spelt).
    assert any(kind == "o" and text == "trading" and meant for kind, (text, meant) in words)
    assert any(k[0] == "j" for k in keys)
    one_word = name_keys(readings("Hamas", EntryKind.ORGANIZATION))
    assert ("j1", "hamas") in one_word
