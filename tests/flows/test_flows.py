"""The flows, run by Prefect against a local test server, on the samples."""

from __future__ import annotations

import base64
import json
import zipfile
from pathlib import Path

import pytest
from prefect.blocks.system import Secret
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    ArtifactCollectionFilter,
    ArtifactCollectionFilterKey,
    FlowRunFilter,
    FlowRunFilterId,
)
from pytest_httpserver import HTTPServer
from sqlalchemy import select

from flows.import_customers import import_customers
from flows.import_register import import_register
from flows.onboarding_screening import onboarding_screening
from flows.refresh_lists import refresh_lists
from flows.rescreen_all import rescreen_all
from flows.retention import retention
from flows.revalidate_mandates import revalidate_mandates
from tests.conftest import SAMPLES


@pytest.mark.slow
def test_the_whole_pipeline_as_flows(flow_env: Path) -> None:
    summaries = refresh_lists(from_dir=str(SAMPLES / "lists"))
    assert [s.split(":")[0] for s in summaries[::2]] == ["eu", "un"]
    assert all(s.startswith("delta screening run") for s in summaries[1::2])
    functions = SAMPLES / "kbo_functions" / "functions.csv"
    register = import_register(path=str(SAMPLES / "kbo"), functions_path=str(functions))
    assert "imported as register version" in register[0]
    assert "11 functions of 6 enterprises imported" in register[-1]
    customers = import_customers(path=str(SAMPLES / "customers.csv"))
    assert customers["stored"] == 7
    assert customers["mandates"] == {"valid": 4, "needs_review": 2, "invalid": 3}
    onboarding = onboarding_screening(payload_path=str(SAMPLES / "onboarding.json"))
    assert onboarding["status"] == "pending_review"
    rescreen = rescreen_all()
    assert rescreen["companies"] == 8 and rescreen["subjects"] == 19
    assert rescreen["mandates"] == {"valid": 6, "needs_review": 2, "invalid": 3}
    assert revalidate_mandates() == []  # nothing dated moved since this morning
    report = retention()  # nobody's relationship ended: nothing expired
    assert (report["companies"], report["persons"]) == (0, 0)


def test_a_rejected_list_fails_the_run_visibly_and_the_others_go_on(
    flow_env: Path, tmp_path: Path
) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "un.xml").write_text("<CONSOLIDATED_LIST dateGenerated='2026-01-01'><INDIVIDUALS>")
    (lists / "eu.xml").write_bytes((SAMPLES / "lists" / "eu_sample.xml").read_bytes())
    state = refresh_lists(from_dir=str(lists), return_state=True)
    assert state.is_failed()
    with pytest.raises(Exception, match=r"un: un list version \d+ \(un.xml\) rejected: malformed"):
        state.result()
    with get_client(sync_client=True) as client:
        artifact = client.read_latest_artifacts(
            artifact_filter=ArtifactCollectionFilter(
                key=ArtifactCollectionFilterKey(any_=["refresh-lists-summary"])
            )
        )[0]
    assert "**failed** | un:" in str(artifact.data)
    assert "eu: version" in str(artifact.data)


def test_flow_runs_are_recorded_on_the_server(flow_env: Path) -> None:
    state = refresh_lists(from_dir=str(SAMPLES / "lists"), return_state=True)
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(
                id=FlowRunFilterId(any_=[state.state_details.flow_run_id])
            )
        )
    assert runs[0].state is not None and runs[0].state.is_completed()


def test_register_flow_takes_the_drop_folder_in_sequence(
    flow_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import shutil

    drop = tmp_path / "drop"
    shutil.copytree(SAMPLES / "kbo", drop / "KboOpenData_0001_2026_11_Full")
    monkeypatch.setenv("KYC_REGISTER_DIR", str(drop))
    assert "full extract #1" in import_register()[0]


def test_register_flow_fails_at_an_extract_it_cannot_import(
    flow_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import shutil

    from kyc.app.runtime import UsageError

    drop = tmp_path / "drop"
    shutil.copytree(SAMPLES / "kbo", drop / "full_1")
    (drop / "update_2").mkdir()
    meta = (SAMPLES / "kbo" / "meta.csv").read_text()
    (drop / "update_2" / "meta.csv").write_text(
        meta.replace('"full"', '"update"').replace('"ExtractNumber","1"', '"ExtractNumber","2"')
    )
    monkeypatch.setenv("KYC_REGISTER_DIR", str(drop))
    with pytest.raises(UsageError, match=r"(?s)full extract #1.*stopped: .*missing files: code"):
        import_register()


def test_register_flow_downloads_with_the_login_in_a_secret_block(
    flow_env: Path, httpserver: HTTPServer, tmp_path: Path
) -> None:
    archive = tmp_path / "KboOpenData_0001_2026_11_Full.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in (SAMPLES / "kbo").iterdir():
            zipped.write(path, path.name)
    login = "Basic " + base64.b64encode(b"provider:s3cret").decode()
    httpserver.expect_request(
        "/files/KboOpenData_0001_2026_11_Full.zip", headers={"Authorization": login}
    ).respond_with_data(archive.read_bytes(), content_type="application/zip")
    Secret(value="provider:s3cret").save("kbo-open-data-login", overwrite=True)
    lines = import_register(
        download_url=httpserver.url_for("/files/KboOpenData_0001_2026_11_Full.zip"),
        credentials_block="kbo-open-data-login",
    )
    assert "full extract #1" in lines[0]
    assert (flow_env / "register" / "downloads" / archive.name).is_file()


def test_flows_sign_the_trail_with_the_key_of_a_secret_block(
    flow_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )

    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()
    Secret(value=pem).save("kyc-audit-signing-key", overwrite=True)
    monkeypatch.setenv("KYC_AUDIT_SIGNING_KEY_BLOCK", "kyc-audit-signing-key")
    assert import_customers(path=str(SAMPLES / "customers.csv"))["stored"] == 7
    [line] = (flow_env / "audit-checkpoints.jsonl").read_text().splitlines()
    checkpoint = json.loads(line)
    assert checkpoint["job"] == "flow import-customers"
    public = key.public_key()
    from kyc.checkpoints import Checkpoint, signature_problem

    assert signature_problem(Checkpoint.from_dict(checkpoint), public) is None
    assert pem not in (flow_env / "audit-checkpoints.jsonl").read_text()


def test_a_changed_customer_is_screened_alone(flow_env: Path) -> None:
    from flows.screen_customer import screen_customer
    from flows.screen_list_change import screen_list_change

    refresh_lists(from_dir=str(SAMPLES / "lists"), screen_changes=False)
    import_customers(path=str(SAMPLES / "customers.csv"))
    from flows._runtime import runtime
    from kyc.store.models import Company, ListChangeSet, ListVersion

    with runtime() as rt, rt.readers() as session:
        acme = session.query(Company).filter_by(enterprise_number="0712345630").one()
        # The sources are refreshed at once: which activated first varies.
        eu = session.scalars(
            select(ListChangeSet.id)
            .join(ListVersion, ListVersion.id == ListChangeSet.version_id)
            .where(ListVersion.source == "eu")
        ).one()
    summary = screen_customer(acme.subject_id)
    assert summary["subjects"] == 3 and summary["opened"] >= 1  # Sokolov is listed
    # What the deployment's trigger does after an activation; twice, the work once.
    first, again = screen_list_change(eu), screen_list_change(eu)
    # Of the 16 customers' subjects, the EU list's names can reach 2 (Sokolov, screened
    # already, and Baltic Star Shipping): only they are screened.
    run = f"delta screening run 2 (change set {eu})"
    assert first.startswith(f"{run}: 2 subjects, 1 new hits")
    assert again.startswith(f"{run}: 2 subjects, 0 new hits")
