"""The key that signs the review app's cookies: configured, or made once, private."""

from __future__ import annotations

import os

import pytest
from pydantic import SecretStr

from kyc.app.access import KEY_FILE, web_key
from kyc.app.runtime import Runtime, UsageError


def test_a_key_is_made_once_readable_by_its_owner_only(runtime: Runtime) -> None:
    key = web_key(runtime)
    path = runtime.settings.data_dir / KEY_FILE
    assert len(key) >= 32 and path.stat().st_mode & 0o777 == 0o600
    assert web_key(runtime) == key


def test_a_key_file_others_can_read_is_refused(runtime: Runtime) -> None:
    web_key(runtime)
    os.chmod(runtime.settings.data_dir / KEY_FILE, 0o644)
    with pytest.raises(UsageError, match="readable by nobody else"):
        web_key(runtime)


def test_a_configured_key_is_used_and_must_be_long(runtime: Runtime) -> None:
    runtime.settings.web_secret_key = SecretStr("k" * 40)
    assert web_key(runtime) == b"k" * 40
    runtime.settings.web_secret_key = SecretStr("short")
    with pytest.raises(UsageError, match="needs 32"):
        web_key(runtime)
