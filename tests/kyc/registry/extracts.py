"""Small KBO extracts the register tests write: a copy of the sample FULL, and UPDATEs."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import SAMPLES

KBO = SAMPLES / "kbo"
ENTERPRISE_HEADER = (
    '"EnterpriseNumber","Status","JuridicalSituation","TypeOfEnterprise","JuridicalForm",'
    '"JuridicalFormCAC","StartDate"\n'
)
# 0756.789.050 rewritten as a BV in a normal situation; the same with bad check digits.
GOOD_ENTERPRISE_ROW = '"0756.789.050","AC","000","2","610",,12-11-2008\n'
BAD_ENTERPRISE_ROW = '"0756.789.051","AC","000","2","610",,12-11-2008\n'


def copy_sample(tmp_path: Path, name: str = "extract") -> Path:
    target = tmp_path / name
    shutil.copytree(KBO, target)
    return target


def write_update(
    folder: Path,
    number: int = 2,
    enterprise_row: str = GOOD_ENTERPRISE_ROW,
    *,
    name: str = "update",
    renames: bool = True,
) -> Path:
    """UPDATE #``number`` after the sample: 0756.789.050 deleted and ``enterprise_row``
    inserted; with ``renames``, 0712.345.630's names replaced too."""
    update = folder / name
    update.mkdir(parents=True)
    shutil.copy(KBO / "code.csv", update / "code.csv")
    (update / "meta.csv").write_text(
        (KBO / "meta.csv")
        .read_text()
        .replace('"full"', '"update"')
        .replace('"ExtractNumber","1"', f'"ExtractNumber","{number}"')
    )
    (update / "enterprise_delete.csv").write_text('"EnterpriseNumber"\n"0756.789.050"\n')
    (update / "enterprise_insert.csv").write_text(ENTERPRISE_HEADER + enterprise_row)
    if renames:
        (update / "denomination_delete.csv").write_text('"EntityNumber"\n"0712.345.630"\n')
        (update / "denomination_insert.csv").write_text(
            '"EntityNumber","Language","TypeOfDenomination","Denomination"\n'
            '"0712.345.630","2","001","ACME Logistics Group"\n'
            '"0712.345.630","2","002","ACME"\n'
        )
    return update
