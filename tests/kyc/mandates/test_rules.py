from __future__ import annotations

import json
import tomllib
from importlib import resources

import pytest

from kyc.mandates.rules import Power, Situation, UnknownRole, parse_rule_table, rule_table
from tests.conftest import realdata


def test_labels_are_the_code_tables() -> None:
    published = json.loads(realdata("kbo/codes/mandate_functions.json").read_text())["codes"]
    labels = rule_table().labels
    assert set(labels) == set(published)
    for code, entry in published.items():
        assert (labels[code]["nl"], labels[code]["fr"], labels[code]["de"]) == (
            entry["label_nl"],
            entry["label_fr"],
            entry["label_de"],
        )


def test_legal_forms_of_the_table_are_known_codes() -> None:
    published = json.loads(realdata("kbo/codes/legal_forms.json").read_text())["codes"]
    forms = [form for family in rule_table().families for form in family.legal_forms]
    assert len(forms) == len(set(forms)), "a legal form in two families"
    assert set(forms) <= set(published)


@pytest.mark.parametrize(
    ("role", "codes"),
    [
        ("30", {"30"}),
        ("Zaakvoerder", {"30"}),
        ("gérant", {"30"}),
        ("GERANT", {"30"}),
        ("Geschäftsführer", {"30"}),
        ("director", {"10", "11", "13", "14", "20"}),
        ("bestuurder", {"10", "11", "13", "14", "20"}),
        ("Gedelegeerd bestuurder", {"14"}),
        ("administrateur-délégué", {"14"}),
        ("vereffenaar", {"80"}),
        ("curateur", {"81"}),
        ("8", {"08"}),
        ("", None),
        (None, None),
    ],
)
def test_role_words(role: str | None, codes: set[str] | None) -> None:
    found = rule_table().codes_for_role(role)
    assert (set(found) if found is not None else None) == codes


def test_an_unknown_role_word_is_named() -> None:
    with pytest.raises(UnknownRole, match="'boss'"):
        rule_table().codes_for_role("boss")


def test_rules_and_situations() -> None:
    table = rule_table()
    assert table.rule("610", "30").power is Power.ALONE
    assert table.rule("610", "71").power is Power.NEVER
    assert table.rule("014", "80").source.startswith("WVV/CSA art. 2:87")
    assert table.rule("999", "30").power is Power.ARTICLES
    assert table.situation("000") is Situation.NORMAL
    assert table.situation("012") is Situation.LIQUIDATION
    assert table.situation("049") is Situation.BANKRUPTCY
    assert table.situation("053") is Situation.CLOSED
    assert table.situation("090") is Situation.OTHER
    assert table.label("30") == "Zaakvoerder / Gérant (30)"


def test_a_power_the_table_does_not_know_is_refused() -> None:
    text = resources.files("kyc.mandates").joinpath("representation.toml").read_text("utf-8")
    data = tomllib.loads(text.replace('"30" = "alone"', '"30" = "sometimes"', 1))
    with pytest.raises(ValueError, match="sometimes"):
        parse_rule_table(data)
