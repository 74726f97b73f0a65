"""``kyc privacy`` and ``kyc retention`` as a user types them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SAMPLES

JAN_NN = "70051212352"


def test_erasure_refused_exits_one_with_the_ground_and_restricts(cli, tmp_path: Path) -> None:
    cli("customers", "import", str(SAMPLES / "customers.csv"))
    code, out, err = cli(
        "privacy", "erase", "--national-number", "-", "--reason", "asked by mail", stdin=JAN_NN
    )
    assert code == 1
    assert "erasure refused" in err and "0712.345.630 is in progress" in err
    assert "processing is restricted since" in err
    code, out, err = cli("privacy", "export", "--national-number", "-", "--out", str(tmp_path),
                         stdin=JAN_NN)  # fmt: skip
    assert code == 0 and "(processing restricted)" in out
    [answer] = tmp_path.glob("access-*.json")
    assert json.loads(answer.read_text(encoding="utf-8"))["subject"]["restricted"] is True
    assert JAN_NN not in out + err + answer.read_text(encoding="utf-8")
    code, out, err = cli("privacy", "restrict", "--subject", "nobody", "--reason", "x")
    assert code == 1 and "there is no subject nobody" in err


def test_retention_run_and_its_dry_run(cli) -> None:
    cli("customers", "import", str(SAMPLES / "customers.csv"))
    code, out, err = cli(
        "customers", "offboard", "0712.345.630", "--date", "2026-01-02", "--reason", "left",
        "--onboarding-refused",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = cli("retention", "run", "--dry-run", "--as-of", "2099-01-01")
    assert code == 0 and "1 companies and 2 persons would be erased" in out
    code, out, err = cli("retention", "run", "--as-of", "2099-01-01")
    assert code == 1 and "only a --dry-run may look ahead" in err
