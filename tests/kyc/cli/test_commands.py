"""The ``kyc`` command as a user types it (Typer's runner, real database files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from kyc.cli import app
from tests.conftest import SAMPLES, SMALL_LIST_RANGES_ENV, TEST_PASSWORD


def _commands(group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))


def test_every_command_has_help() -> None:
    root = get_command(app)
    commands = list(_commands(root))
    assert len(commands) >= 20
    runner = CliRunner()
    for path in commands:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Usage:" in result.stdout
        command = root
        for part in path:
            command = command.commands[part]
        assert command.help, f"kyc {' '.join(path)} has no help text"


def test_the_readme_walkthrough(cli) -> None:
    lists = SAMPLES / "lists"
    code, out, _ = cli("lists", "import", "--source", "eu", str(lists / "eu_sample.xml"))
    assert code == 0 and "imported and activated" in out
    code, out, _ = cli("lists", "fetch", "--source", "un", "--from-dir", str(lists))
    assert code == 0 and "un: version" in out
    code, out, _ = cli("lists", "import", "--source", "un", str(lists / "un_sample.xml"))
    assert code == 0 and "already imported (no change)" in out
    assert cli("registry", "import", str(SAMPLES / "kbo"))[0] == 0
    code, out, _ = cli("customers", "import", str(SAMPLES / "customers.csv"))
    assert code == 0 and "7 customers stored (7 new), 0 rejected" in out
    code, out, _ = cli("onboard", str(SAMPLES / "onboarding.json"), "--json")
    assert code == 0 and json.loads(out)["status"] == "pending_review"
    code, out, _ = cli("rescreen")
    assert code == 0 and "8 companies re-verified" in out
    code, out, _ = cli("review", "list", "--json")
    hits = json.loads(out)
    assert code == 0 and len(hits) == 3
    for name, role in (("ana", "analyst"), ("bob", "approver")):
        code, out, _ = cli("users", "add", name, "--role", role, stdin=f"{TEST_PASSWORD}\n")
        assert code == 0 and f"account {name} added ({role})" in out
    hit = str(hits[0]["id"])
    code, out, _ = cli(
        "review", "decide", hit, "--decision", "false_positive", "--reason",
        "different company", "--reviewer", "ana",
    )  # fmt: skip
    assert code == 0 and "false_positive proposed" in out
    code, out, err = cli("review", "approve", hit, "--reviewer", "ana")
    assert code == 1 and "ana (analyst) may not approve" in err
    code, out, _ = cli("review", "approve", hit, "--reviewer", "bob")
    assert code == 0 and "false_positive" in out
    code, out, _ = cli("review", "show", hit)
    assert code == 0 and "decided, false_positive" in out and "name:" in out
    assert "approved by bob" in out and "hit.proposed by ana" in out
    code, out, _ = cli("review", "show", hit, "--json")
    shown = json.loads(out)
    assert code == 0 and shown["state"] == "decided"
    assert [step["action"] for step in shown["history"]][-2:] == ["hit.proposed", "hit.decided"]
    code, out, _ = cli("registry", "verify", "0756.789.050", "--json")
    assert code == 0 and json.loads(out)["verdict"] == "needs_review"
    assert {"code", "message", "evidence"} <= set(json.loads(out)["findings"][0])
    functions = SAMPLES / "kbo_functions" / "functions.csv"
    code, out, _ = cli("registry", "import-functions", str(functions))
    assert code == 0 and "11 functions of 6 enterprises imported" in out
    code, out, _ = cli(
        "mandates", "check", "0712.345.630", "--first-name", "Jan", "--last-name", "Peeters",
        "--birth-date", "1970-05-12", "--function-code", "bestuurder", "--json",
    )  # fmt: skip
    result = json.loads(out)
    assert code == 0 and result["verdict"] == "valid"
    assert {"function.held", "birth_date.matches", "power.alone"} <= {
        f["code"] for f in result["findings"]
    }
    assert all({"code", "message", "evidence"} <= set(f) for f in result["findings"])
    code, out, _ = cli(
        "mandates", "check", "0712.345.630", "--first-name", "Jan", "--last-name", "Peeters",
        "--as-of", "2010-01-01",
    )  # fmt: skip
    assert code == 0 and out.startswith("0712345630: invalid (on 2010-01-01")
    assert "function.not_started" in out
    code, out, _ = cli("rescreen")
    assert code == 0 and "mandates (" in out
    code, out, _ = cli("mandates", "list", "--json")
    listed = json.loads(out)
    assert code == 0 and {"Viktor Sokolov", "Luc Van den Broeck"} <= {
        view["representative"] for view in listed
    }
    assert all(view["verdict"] in ("needs_review", "invalid") for view in listed)
    code, out, _ = cli("mandates", "list")
    assert code == 0 and "only the Curator / Curateur (81) represents" in out
    code, out, _ = cli("audit", "verify")
    assert code == 0 and "audit chain verified" in out
    code, out, _ = cli("audit", "export")
    assert code == 0 and all(json.loads(line)["hash"] for line in out.splitlines())
    assert "70051212352" not in out


def test_fetch_downloads_from_the_configured_address(
    tmp_path: Path, database_url: str, httpserver
) -> None:
    body = (SAMPLES / "lists" / "un_sample.xml").read_bytes()
    httpserver.expect_request("/consolidated.xml").respond_with_data(body)
    env = {
        "KYC_DATA_DIR": str(tmp_path / "data"),
        "KYC_DATABASE_URL": database_url,
        "KYC_LIST_URLS": json.dumps({"un": httpserver.url_for("/consolidated.xml")}),
        "KYC_LIST_ENTRY_RANGES": SMALL_LIST_RANGES_ENV,
    }
    result = CliRunner().invoke(app, ["lists", "fetch", "--source", "un"], env=env)
    assert result.exit_code == 0, result.stderr
    assert "un: version 1 imported and activated" in result.stdout
    assert list((tmp_path / "data" / "lists" / "un").glob("*.xml.json"))


def test_batch_command(cli, tmp_path: Path) -> None:
    cli("lists", "refresh", "--from-dir", str(SAMPLES / "lists"))
    out_csv = tmp_path / "hits.csv"
    code, out, _ = cli("screen", "batch", str(SAMPLES / "screen_batch.csv"), "--out", str(out_csv))
    assert code == 0 and "6 rows screened" in out
    assert out_csv.read_text().startswith("subject_id,source,entry_id,entry_name,score,band")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("lists", "import", "--source", "ofax", "x.xml"), "unknown sanctions source 'ofax'"),
        (("lists", "import", "--source", "ofac", "missing"), "ofac list missing: no such file"),
        (("registry", "verify", "0403.170.702"), None),
        (("customers", "import", "missing.csv"), "missing.csv: no such file"),
        (("onboard", "missing.json"), "not a readable JSON payload"),
        (("rescreen",), "no sanctions list is active"),
        (
            (
                "review",
                "decide",
                "1",
                "--decision",
                "true_match",
                "--reason",
                "r",
                "--reviewer",
                "a",
            ),
            "'a' is not an active account",
        ),
        (("review", "list", "--state", "weird"), "--state is"),
        (("mandates", "list", "--verdict", "weird"), "--verdict is one of"),
        (
            (
                "mandates",
                "check",
                "0403.170.701",
                "--first-name",
                "A",
                "--last-name",
                "B",
                "--as-of",
                "01-01-2026",
            ),
            "is not a date YYYY-MM-DD",
        ),
        (
            (
                "mandates",
                "check",
                "0403.170.701",
                "--first-name",
                "A",
                "--last-name",
                "B",
                "--birth-date",
                "1970-13-01",
            ),
            "month 13 is out of range",
        ),
        (("registry", "import"), "KYC_REGISTER_DIR"),
    ],
)
def test_errors_are_one_clear_line_and_a_failure_status(
    cli, args: tuple[str, ...], message: str | None
) -> None:
    code, out, err = cli(*args)
    if message is None:  # a failed verification is an answer, not an error
        assert code == 0 and "failed" in out
        return
    assert code == 1
    assert message in err
    assert "Traceback" not in err


def test_truncated_list_keeps_the_active_version(cli, tmp_path: Path) -> None:
    cli("lists", "import", "--source", "un", str(SAMPLES / "lists" / "un_sample.xml"))
    truncated = tmp_path / "un_cut.xml"
    truncated.write_bytes((SAMPLES / "lists" / "un_sample.xml").read_bytes()[:900])
    code, _, err = cli("lists", "import", "--source", "un", str(truncated))
    assert code == 1
    assert "un list version 2 (un_cut.xml) rejected: malformed XML (no element found" in err
    code, out, _ = cli("lists", "versions")
    assert code == 0 and out.count("yes") == 1 and "rejected: malformed XML" in out


def test_rejected_customers_give_status_one_and_store_the_rest(cli, tmp_path: Path) -> None:
    lines = (SAMPLES / "customers.csv").read_text().splitlines()
    lines[-1] = lines[-1].replace("0778.901.288", "0778.901.289")
    path = tmp_path / "customers.csv"
    path.write_text("\n".join(lines) + "\n")
    code, out, err = cli("customers", "import", str(path))
    assert code == 1
    assert "6 customers stored" in out
    assert "rejected line 10 (C-007): the enterprise number fails its mod-97 check" in err


def test_db_upgrade(cli) -> None:
    code, out, _ = cli("db", "upgrade")
    assert code == 0 and "up to date" in out


def test_conditional_fetch_through_the_command(
    tmp_path: Path, database_url: str, httpserver
) -> None:
    """The second fetch sends the validators of the first; a 304 leaves everything as it was."""
    body = (SAMPLES / "lists" / "un_sample.xml").read_bytes()
    httpserver.expect_ordered_request("/un.xml").respond_with_data(
        body, headers={"ETag": '"2026-11-19"'}
    )
    httpserver.expect_ordered_request(
        "/un.xml", headers={"If-None-Match": '"2026-11-19"'}
    ).respond_with_data("", status=304)
    env = {
        "KYC_DATA_DIR": str(tmp_path / "data"),
        "KYC_DATABASE_URL": database_url,
        "KYC_LIST_URLS": json.dumps({"un": httpserver.url_for("/un.xml")}),
        "KYC_LIST_ENTRY_RANGES": SMALL_LIST_RANGES_ENV,
    }
    runner = CliRunner()
    first = runner.invoke(app, ["lists", "fetch", "--source", "un"], env=env)
    assert first.exit_code == 0 and "imported and activated" in first.stdout
    second = runner.invoke(app, ["lists", "fetch", "--source", "un"], env=env)
    assert second.exit_code == 0, second.stderr
    assert "un: not modified since the last download" in second.stdout
    httpserver.check_assertions()


def test_list_maintenance_commands(cli, tmp_path: Path) -> None:
    sample = SAMPLES / "lists" / "un_sample.xml"
    cli("lists", "import", "--source", "un", str(sample))
    text = sample.read_text().replace("2026-11-19T", "2026-11-20T")
    start = text.index("<ENTITIES>")
    end = text.index("</ENTITIES>") + len("</ENTITIES>")
    smaller = tmp_path / "un_smaller.xml"
    smaller.write_text(text[:start] + "<ENTITIES/>" + text[end:])
    code, _, err = cli("lists", "import", "--source", "un", str(smaller))
    assert code == 1 and "held: 3 entries, 25% fewer" in err and "kyc lists activate 2" in err
    code, _, err = cli("lists", "import", "--source", "un", str(smaller), "--force")
    assert code == 1 and "--force needs --reason" in err
    code, out, _ = cli("lists", "activate", "2", "--reason", "the entity was delisted")
    assert code == 0 and "version 2 is active (0 added, 1 removed, 0 changed)" in out
    code, out, _ = cli("lists", "diff")
    assert (
        code == 0
        and "un: version 1 → 2: 0 added, 1 removed, 0 changed" in out
        and "- QDe.901" in out
    )
    code, out, _ = cli("lists", "diff", "2", "1", "--json")
    assert code == 0 and json.loads(out)["added"] == ["QDe.901"]
    code, out, _ = cli("lists", "history", "--source", "un")
    assert code == 0 and "the entity was delisted" in out and "(active)" in out
    code, out, _ = cli("lists", "versions")
    assert code == 0 and "held: 3 entries" in out


def test_onboarding_names_the_people_and_the_hits_on_the_terminal(cli) -> None:
    lists = SAMPLES / "lists"
    for source in ("eu", "un"):
        assert (
            cli("lists", "import", "--source", source, str(lists / f"{source}_sample.xml"))[0] == 0
        )
    assert cli("registry", "import", str(SAMPLES / "kbo"))[0] == 0
    code, out, _ = cli("onboard", str(SAMPLES / "onboarding.json"))
    assert code == 0
    assert "mandate of Amira Al Farsi: needs_review" in out
    assert "hit 1: Amira Al Farsi ~ Amira Hassan AL-FARSI (eu 900002" in out
    code, out, _ = cli("onboard", str(SAMPLES / "onboarding.json"), "--json")
    assert code == 0 and {"names", "hit_lines"}.isdisjoint(json.loads(out))


def test_a_mandate_check_is_decided_under_four_eyes(cli) -> None:
    lists = SAMPLES / "lists"
    for source in ("eu", "un"):
        path = str(lists / f"{source}_sample.xml")
        assert cli("lists", "import", "--source", source, path)[0] == 0
    assert cli("registry", "import", str(SAMPLES / "kbo"))[0] == 0
    assert cli("customers", "import", str(SAMPLES / "customers.csv"))[0] == 0
    for name, role in (("ana", "analyst"), ("bob", "approver")):
        assert cli("users", "add", name, "--role", role, stdin=f"{TEST_PASSWORD}\n")[0] == 0
    code, out, _ = cli("mandates", "list", "--json")
    check = json.loads(out)[0]["check_id"]
    code, out, _ = cli(
        "mandates", "decide", str(check), "--decision", "confirmed", "--reason",
        "board minutes seen", "--reviewer", "ana",
    )  # fmt: skip
    assert code == 0 and f"mandate check {check}: confirmed proposed" in out
    code, out, err = cli("mandates", "decide", str(check), "--decision", "maybe", "--reason",
                         "r", "--reviewer", "ana")  # fmt: skip
    assert code == 1 and "--decision is one of" in err
    code, out, _ = cli("mandates", "approve", str(check), "--reviewer", "bob")
    assert code == 0 and "confirmed approved (approver: bob)" in out


def test_offboarding_through_the_command(cli) -> None:
    cli("customers", "import", str(SAMPLES / "customers.csv"))
    args = ("customers", "offboard", "0712.345.630", "--date", "2026-11-20")
    code, out, _err = cli(*args, "--reason", "contract ended")
    assert code == 0 and "data is kept until 2036-11-20 (retention rule relationship)" in out
    code, _out, err = cli(*args, "--reason", "again")
    assert code == 1 and "already ended on 2026-11-20" in err
    code, _out, err = cli("customers", "offboard", "0712.345.631", "--date", "2026-11-20",
                          "--reason", "x")  # fmt: skip
    assert code == 1 and "0712.345.631" in err


def test_privacy_find_names_the_subject_or_says_why_not(cli) -> None:
    cli("customers", "import", str(SAMPLES / "customers.csv"))
    code, out, _err = cli("privacy", "find", "--national-number", "-", stdin="70051212352\n")
    assert code == 0 and ": person Jan Peeters" in out
    code, out, err = cli("privacy", "find", "--name", "Jan Peeters")
    assert code == 1 and "--name and --birth-date go together" in err
    code, out, err = cli("privacy", "find", "--national-number", "85073003328")
    assert code == 1 and "no person is stored with that national number" in err
    assert "85073003328" not in out + err


def test_a_token_is_printed_once_on_stdout(cli) -> None:
    code, out, err = cli("tokens", "add", "onboarding-system", "--scope", "onboarding")
    assert code == 0 and out.strip().startswith("kyc_") and "shown this once" in err
    code, listed, _ = cli("tokens", "list")
    assert code == 0 and "onboarding-system" in listed and out.strip() not in listed
    assert cli("tokens", "revoke", "onboarding-system")[0] == 0
    code, _, err = cli("tokens", "revoke", "onboarding-system")
    assert code == 1 and "was revoked on" in err
