"""Protection of national numbers: only a keyed hash and the derived birth date are kept."""

from __future__ import annotations

import hashlib
import hmac

from pydantic import SecretStr

from kyc.identifiers import NationalNumber

MIN_KEY_LENGTH = 16


class NationalNumberKeyMissing(RuntimeError):
    def __init__(self) -> None:
        super().__init__(
            "KYC_NN_KEY is not set (or shorter than 16 characters): records with a national "
            "number cannot be stored. Set a secret key of at least 16 characters."
        )


def require_key(key: SecretStr | None) -> SecretStr:
    if key is None or len(key.get_secret_value()) < MIN_KEY_LENGTH:
        raise NationalNumberKeyMissing()
    return key


def national_number_hash(number: NationalNumber, key: SecretStr | None) -> str:
    """HMAC-SHA256 of the 11 digits: matches the same person again, reveals nothing."""
    secret = require_key(key).get_secret_value().encode()
    return hmac.new(secret, number.digits.encode(), hashlib.sha256).hexdigest()


def fingerprint(*parts: object) -> str:
    """A stable digest of non-secret values (names, dates), to notice when they change."""
    text = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()
