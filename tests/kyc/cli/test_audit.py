"""``kyc audit`` as a user and an auditor type it: report, export, offline verify."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import SAMPLES


def test_a_report_with_its_dates_reversed_is_refused(cli, tmp_path: Path) -> None:
    code, out, err = cli("audit", "report", "--from", "2026-01-02", "--to", "2026-01-01")
    assert code == 1 and "--to 2026-01-01 is before --from 2026-01-02" in err
    code, out, err = cli(
        "audit", "report", "--from", "2026-01-01", "--to", "2099-12-31", "--out",
        str(tmp_path / "r.html"),
    )  # fmt: skip
    assert code == 0 and "trail verified" in out and (tmp_path / "r.html").exists()


def test_an_auditor_verifies_an_export_offline(cli, tmp_path: Path, monkeypatch) -> None:
    key = tmp_path / "key.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", str(key)], check=True)
    monkeypatch.setenv("KYC_AUDIT_SIGNING_KEY", key.read_text())
    monkeypatch.setenv("KYC_AUDIT_CHECKPOINT_FILE", str(tmp_path / "checkpoints.jsonl"))
    code, _, err = cli("customers", "import", str(SAMPLES / "customers.csv"))
    assert code == 0 and "checkpoints are off" not in err
    code, public, _ = cli("audit", "public-key")
    assert code == 0 and public.startswith("-----BEGIN PUBLIC KEY-----")
    (tmp_path / "provider.pub").write_text(public)
    export = tmp_path / "trail.jsonl"
    assert cli("audit", "export", "--out", str(export))[0] == 0
    monkeypatch.delenv("KYC_AUDIT_SIGNING_KEY")
    code, out, err = cli(
        "audit", "verify", "--export", str(export), "--public-key", str(tmp_path / "provider.pub")
    )
    assert code == 0 and "1 checkpoints found in the chain (signatures verified)" in out
    other = tmp_path / "other.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", str(other)], check=True)
    other_pub = tmp_path / "other.pub"
    subprocess.run(
        ["openssl", "pkey", "-in", str(other), "-pubout", "-out", str(other_pub)], check=True
    )
    code, out, err = cli("audit", "verify", "--export", str(export), "--public-key", str(other_pub))
    assert code == 1 and "not by the public key given" in err
    code, out, err = cli("audit", "verify", "--export", str(export))
    assert code == 1 and "--export needs --public-key" in err
    assert "BEGIN PRIVATE KEY" not in out + err
