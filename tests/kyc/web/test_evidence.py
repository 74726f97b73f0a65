from __future__ import annotations

from kyc.web.evidence import shown


def test_evidence_reads_as_text_not_as_a_python_literal() -> None:
    labels = {"FR": "Ouverture de faillite", "NL": "Opening faillissement"}
    assert shown(labels) == "FR: Ouverture de faillite · NL: Opening faillissement"
    assert shown(["030", "031"]) == "030, 031"
    assert shown({"functions": [{"code": "10", "begin": "2020-01-01"}]}) == (
        "functions: code: 10 · begin: 2020-01-01"
    )
    assert shown(None) == "-" and shown(0.93) == "0.93" and shown("<b>") == "<b>"
