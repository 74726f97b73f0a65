"""The table of purposes: every purpose with its basis, instrument and retention rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from kyc.purposes import DEFAULT_TABLE, Purpose, PurposeTableInvalid, load_purposes
from kyc.settings import SettingsInvalid, load_settings


def test_the_shipped_table_describes_every_purpose_the_code_records() -> None:
    table = load_purposes()
    assert set(table.purposes) == set(Purpose)
    for rule in table.purposes.values():
        assert rule.basis.startswith("GDPR Art. 6(1)")
        assert rule.instrument and rule.title and rule.retention.description
    # What DOMAIN.md leaves open is marked so, in what every event records.
    assert table[Purpose.PEPPOL_KYC].unconfirmed
    assert table[Purpose.PEPPOL_KYC].legal_basis.endswith("[unconfirmed]")
    assert not table[Purpose.SANCTIONS_SCREENING].unconfirmed
    assert table["sanctions_screening"].retention.years == 10
    assert table.retention["relationship"].unconfirmed


def test_what_may_go_on_under_restriction() -> None:
    table = load_purposes()
    assert table.allowed_under_restriction(Purpose.SANCTIONS_SCREENING)
    assert table.allowed_under_restriction(Purpose.DATA_SUBJECT_REQUEST)
    assert not table.allowed_under_restriction(Purpose.PEPPOL_KYC)


_SECURITY_BASIS = 'basis = "GDPR Art. 6(1)(c) legal obligation"\ninstrument = "GDPR Art. 32'


def _table(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "purposes.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_provider_table_replaces_the_shipped_one(tmp_path: Path) -> None:
    text = DEFAULT_TABLE.read_text(encoding="utf-8").replace(
        "AML practice", "our DPO's ruling of 2026-11-30"
    )
    settings = load_settings(purposes_file=_table(tmp_path, text), data_dir=tmp_path)
    assert "DPO's ruling" in settings.purposes.retention["relationship"].description
    assert settings.purposes.source == tmp_path / "purposes.toml"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda t: t.replace("[purposes.security]", "[purposes.marketing]"), "no entry for"),
        (lambda t: t + '\n[purposes.marketing]\ntitle = "x"\n', "does not know: marketing"),
        (lambda t: t.replace('retention = "security"', 'retention = "forever"'), "'forever'"),
        (lambda t: t.replace("years = 10", "years = -1"), "whole numbers"),
        (
            lambda t: t.replace(
                'basis = "GDPR Art. 6(1)(c) legal obligation"\ninstrument = "GDPR Art. 32',
                'basis = ""\ninstrument = "GDPR Art. 32',
            ),
            "has no basis",
        ),
        (lambda t: t + "\n[[", "not a readable TOML"),
    ],
)
def test_a_broken_table_is_refused_with_the_reason(tmp_path: Path, change, reason: str) -> None:
    path = _table(tmp_path, change(DEFAULT_TABLE.read_text(encoding="utf-8")))
    with pytest.raises(PurposeTableInvalid, match=reason):
        load_purposes(path)
    with pytest.raises(SettingsInvalid, match=reason):
        load_settings(purposes_file=path, data_dir=tmp_path)


def test_a_basis_can_be_overridden_for_one_purpose(tmp_path: Path) -> None:
    settings = load_settings(
        data_dir=tmp_path, legal_bases={"peppol_kyc": "GDPR Art. 6(1)(b) contract"}
    )
    bases = settings.effective_legal_bases
    assert bases["peppol_kyc"] == "GDPR Art. 6(1)(b) contract"
    assert bases["sanctions_screening"] == load_purposes()["sanctions_screening"].legal_basis
    with pytest.raises(SettingsInvalid, match="unknown purposes: marketing"):
        load_settings(data_dir=tmp_path, legal_bases={"marketing": "consent"})
