from __future__ import annotations

import csv

import pytest

from kyc.registry.legal_forms import _CLASS_CODES, form_class_of_code, written_forms
from tests.conftest import realdata


def test_every_code_is_a_legal_form_of_the_code_table() -> None:
    with realdata("kbo/update_0147/code.csv").open(encoding="utf-8-sig") as handle:
        known = {r["Code"] for r in csv.DictReader(handle) if r["Category"] == "JuridicalForm"}
    codes = [code for codes in _CLASS_CODES.values() for code in codes]
    assert len(codes) == len(set(codes)), "a code in two classes"
    assert set(codes) <= known


@pytest.mark.parametrize(
    ("code", "form"),
    [("610", "bv"), ("015", "bv"), ("014", "nv"), ("706", "cv"), ("612", "commv"),
     ("017", "vzw"), ("030", None), ("411", None), (None, None)],
)  # fmt: skip
def test_the_class_of_a_register_code(code: str | None, form: str | None) -> None:
    assert form_class_of_code(code) == form


@pytest.mark.parametrize(
    ("name", "forms"),
    [
        ("ACME Logistics BVBA", {"bvba": "bv"}),
        ("ACME Logistics B.V.", {"bv": "bv"}),
        ("Brasserie du Marché SPRL", {"sprl": "bv"}),
        ("Flanders Fresh Foods S.A.", {"sa": "nv"}),
        ("Coop Zuid CVBA", {"cvba": "cv"}),
        ("Omega Consulting Ltd", {}),  # not a Belgian form: nothing to compare
        ("Omega Consulting", {}),
    ],
)
def test_the_forms_written_in_a_name(name: str, forms: dict[str, str]) -> None:
    assert written_forms(name) == forms
