"""``make demo``: the main job on the embedded default, as Prefect flows.

Starts a local Prefect server whose database lives under ``data/prefect`` (so that
``make prefect-ui`` shows these runs afterwards), then runs the flows on the bundled
synthetic samples against the SQLite database under ``data/``: lists, register,
customers, one onboarding, a full rescreen, and finally the next day's EU list, whose
changes alone are screened again. Prints a summary. No network is needed.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
DEMO_ENTRY_RANGES = {"eu": [1, 1000], "un": [1, 1000]}
SERVER_START_TIMEOUT = 180.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_healthy(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the Prefect server stopped at start-up; see {log}")
        try:
            if requests.get(f"{url}/health", timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the Prefect server did not answer within {SERVER_START_TIMEOUT:.0f} s")


@contextmanager
def local_prefect_server(home: Path) -> Iterator[str]:
    """A Prefect server on a free local port for the duration of the demo.

    When ``PREFECT_API_URL`` is already set, that server is used instead.
    """
    existing = os.environ.get("PREFECT_API_URL")
    if existing:
        yield existing
        return
    home.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    log = home / "server.log"
    command = [str(Path(sys.executable).with_name("prefect")), "server", "start"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    print(f"Starting a local Prefect server on {url} (log: {log})", flush=True)
    with log.open("ab") as log_file:
        server = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        _wait_until_healthy(url, server, log)
        os.environ["PREFECT_API_URL"] = url
        # Run links point at the UI `make prefect-ui` serves on this database afterwards,
        # not at this server, which is gone when the demo ends.
        os.environ.setdefault("PREFECT_UI_URL", PREFECT_UI)
        yield url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


PREFECT_UI = "http://127.0.0.1:4200"
REVIEW_APP = "http://127.0.0.1:8000"
# The demo's accounts, one per role that reviews (passwords made here, printed once).
DEMO_ACCOUNTS = (("demo-analyst", "analyst"), ("demo-approver", "approver"),
                 ("demo-auditor", "auditor"))  # fmt: skip


def demo_accounts() -> list[str]:
    """Make the demo's accounts that do not exist yet, each with a random password; the
    lines to print (a password only when it was just made: it is kept nowhere else)."""
    from flows._runtime import runtime
    from kyc.app import users as user_jobs

    lines = []
    with runtime() as rt:
        existing = {account.name for account in user_jobs.accounts_list(rt)}
        for name, role in DEMO_ACCOUNTS:
            if name in existing:
                lines.append(f"  {role + ':':10} {name} (made by an earlier demo; password then)")
                continue
            password = secrets.token_urlsafe(12)
            user_jobs.add_user(rt, name, role, password)
            lines.append(f"  {role + ':':10} {name}  password: {password}")
    return lines


def _demo_national_number_key(data_dir: Path) -> None:
    """The samples carry national numbers, which need KYC_NN_KEY. Outside the demo it must
    be set by the operator; here a random key is made once and kept under data/."""
    if os.environ.get("KYC_NN_KEY"):
        return
    key_file = data_dir / ".demo-nn-key"
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(32))
        key_file.chmod(0o600)
    os.environ["KYC_NN_KEY"] = key_file.read_text().strip()


def _demo_signing_key(data_dir: Path) -> Path:
    """Checkpoints need KYC_AUDIT_SIGNING_KEY, which the operator sets; the demo makes an
    Ed25519 key once under data/ and writes its public half beside it, for `kyc audit
    verify --public-key`. Returns that public key's file."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    key_file = data_dir / ".demo-audit-signing-key.pem"
    public_file = data_dir / "demo-audit-public-key.pem"
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        key_file.touch(mode=0o600)
        key_file.write_bytes(pem)
        public = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        public_file.write_bytes(public)
    os.environ.setdefault("KYC_AUDIT_SIGNING_KEY", key_file.read_text())
    return public_file


def run_flows() -> dict[str, Any]:
    # Imported here: prefect reads PREFECT_API_URL when it is first used.
    from flows.import_customers import import_customers
    from flows.import_register import import_register
    from flows.onboarding_screening import onboarding_screening
    from flows.refresh_lists import refresh_lists
    from flows.rescreen_all import rescreen_all

    results = {
        "lists": refresh_lists(from_dir=str(SAMPLES / "lists")),
        "register": import_register(
            path=str(SAMPLES / "kbo"),
            functions_path=str(SAMPLES / "kbo_functions" / "functions.csv"),
        ),
        "customers": import_customers(path=str(SAMPLES / "customers.csv")),
        "onboarding": onboarding_screening(payload_path=str(SAMPLES / "onboarding.json")),
        "rescreen": rescreen_all(),
        "update": refresh_lists(sources=["eu"], from_dir=str(SAMPLES / "lists_update")),
    }
    _deliver_pending_logs_and_events()
    return results


def _deliver_pending_logs_and_events() -> None:
    """Send what Prefect still queues to the server before the server is stopped."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=15)
    EventsWorker.drain_all(timeout=15)


def summary_lines(results: dict[str, Any], accounts: list[str]) -> list[str]:
    from flows._runtime import runtime
    from kyc.app import audit as audit_jobs

    with runtime() as rt:
        trail = audit_jobs.verify_audit_trail(rt)
        totals = audit_jobs.totals(rt)
        database = rt.settings.effective_database_url
    rescreen = results["rescreen"]
    verdicts = ", ".join(f"{n} {v}" for v, n in sorted(rescreen["verdicts"].items()))
    mandates = ", ".join(f"{n} {v}" for v, n in sorted(rescreen["mandates"].items()))
    chain = trail.chain
    chain_text = (
        f"verified ({chain.events} events, no tampering; {trail.checkpoints} signed "
        "checkpoints found in it)"
        if trail.ok
        else "; ".join(trail.lines())
    )
    lists = [line for line in results["lists"] if not line.startswith("delta")]
    return [
        "",
        "Demo complete",
        *(f"  list:                {line}" for line in lists),
        f"  register:            {results['register'][0]}",
        f"  customers imported:  {results['customers']['stored']} from customers.csv, "
        f"1 onboarded ({results['onboarding']['status']})",
        f"  customers screened:  {totals.companies} companies and {totals.persons} "
        f"representatives ({rescreen['subjects']} subjects)",
        f"  companies verified:  {rescreen['companies']} ({verdicts})",
        f"  mandates checked:    {sum(rescreen['mandates'].values())} ({mandates})",
        f"  full rescreen:       {rescreen['opened']} new hits",
        *(f"  list update:         {line}" for line in results["update"]),
        f"  hits to review:      {totals.open_hits}",
        f"  audit chain:         {chain_text}",
        f"  database:            {database}",
        "",
        "Look at the results:",
        "  .venv/bin/kyc review list          the hits waiting for an analyst",
        "  .venv/bin/kyc mandates list        the mandates a reviewer must look at",
        "  .venv/bin/kyc review decide HIT_ID --decision false_positive --reason TEXT "
        "--reviewer demo-analyst",
        "  .venv/bin/kyc review approve HIT_ID --reviewer demo-approver",
        "  .venv/bin/kyc audit verify --public-key data/demo-audit-public-key.pem",
        "                                     re-check the audit trail and its checkpoints",
        f"  make prefect-ui                    then open {PREFECT_UI} for the flow runs",
        "",
        f"Review the hits in the browser: make review, then open {REVIEW_APP}/ and sign in as",
        *accounts,
        "  (passwords are shown this once; add your own with `kyc users add NAME --role ROLE`)",
    ]


def main() -> int:
    from kyc.settings import load_settings

    data_dir = load_settings().data_dir
    os.environ.setdefault("PREFECT_HOME", str((data_dir / "prefect").resolve()))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    _demo_national_number_key(data_dir)
    _demo_signing_key(data_dir)
    # The sample lists hold a handful of entries, far below a real list's plausible size.
    os.environ.setdefault("KYC_LIST_ENTRY_RANGES", json.dumps(DEMO_ENTRY_RANGES))
    with local_prefect_server(Path(os.environ["PREFECT_HOME"])):
        results = run_flows()
    lines = summary_lines(results, demo_accounts())
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
