"""One typed settings object, read from ``KYC_*`` environment variables on demand.

Nothing here runs at import time: call :func:`load_settings` where a command or flow
starts, and pass the object (or the values it needs) down.
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict, SettingsError

from kyc.identifiers import SML_PRODUCTION_ZONE, split_host_port
from kyc.purposes import DEFAULT_TABLE, Purpose, PurposeTable, PurposeTableInvalid, load_purposes
from kyc.weights import Weights

# Wide on purpose: they catch an empty or truncated publication, not normal growth.
DEFAULT_ENTRY_RANGES: dict[str, tuple[int, int]] = {
    "eu": (1_000, 60_000),
    "un": (300, 10_000),
    "ofac": (2_000, 100_000),
    "uk": (500, 30_000),
    "be": (1, 10_000),
}


class Settings(BaseSettings):
    """Every setting of the pipeline; the README's configuration table lists them."""

    model_config = SettingsConfigDict(env_prefix="KYC_", extra="ignore")

    data_dir: Path = Field(
        default=Path("data"),
        description="Runtime data: the SQLite database, kept list files, register drops.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default is a SQLite file data_dir/kyc.db (WAL mode).",
    )
    nn_key: SecretStr | None = Field(
        default=None,
        description="Secret key for the keyed hash of national numbers. No default: "
        "records carrying a national number are refused while it is unset.",
    )
    review_threshold: float = Field(
        default=0.86,
        ge=0.0,
        le=1.0,
        description="Match score at or above which a hit is stored and goes to review.",
    )
    match_weights: dict[str, float] = Field(
        default_factory=dict,
        description="Overrides of the matcher's weights (JSON object name → number; the "
        "names and defaults are in the README's scoring table).",
    )
    screen_workers: int | None = Field(
        default=None,
        ge=1,
        description="Processes that screen a batch file in parallel (default: every core).",
    )
    company_name_threshold: float = Field(
        default=0.85,
        ge=0.0,
        le=1.0,
        description="Name score at or above which a customer's name matches a registered "
        "denomination.",
    )
    mandate_name_threshold: float = Field(
        default=0.97,
        ge=0.0,
        le=1.0,
        description="Name score at or above which a representative is the holder of a "
        "register function (or a proxy's grantee).",
    )
    mandate_name_review_threshold: float = Field(
        default=0.75,
        ge=0.0,
        le=1.0,
        description="Name score from which a resemblance goes to review instead of counting "
        "as another person.",
    )
    mandate_daily_management_suffices: bool = Field(
        default=False,
        description="Whether a daily-management delegate may register the company on "
        "Peppol (a legal judgment; off: such a mandate goes to review).",
    )
    mandate_proxy_acts: Annotated[list[str], NoDecode] = Field(
        default=["peppol"],
        description="Words one of which a special proxy's scope must contain to cover a "
        "Peppol registration (comma-separated).",
    )
    peppol_smp_lookup: bool = Field(
        default=False,
        description="Ask the SMP the SML names whether a company's Peppol id is registered.",
    )
    peppol_sml_zone: str = Field(
        default=SML_PRODUCTION_ZONE,
        description="SML DNS zone for Peppol lookups (acceptance: "
        "participant.acc.edelivery.tech.ec.europa.eu).",
    )
    peppol_smp_url: str | None = Field(
        default=None,
        description="An SMP to ask directly instead of the one the SML names (acceptance, tests).",
    )
    peppol_dns_server: str | None = Field(
        default=None,
        description="DNS server to ask for the SML's records instead of the system's "
        "resolvers: host, host:port, an IPv6 address or [address]:port.",
    )
    list_sources: Annotated[list[str], NoDecode] = Field(
        default=["eu", "un"], description="Sanctions sources screened and refreshed."
    )
    lists_dir: Path | None = Field(
        default=None,
        description="Local directory to take list files from instead of downloading "
        "(offline and air-gapped installs).",
    )
    list_entry_ranges: dict[str, tuple[int, int]] = Field(
        default_factory=lambda: dict(DEFAULT_ENTRY_RANGES),
        description="Plausible number of entries per source, as a JSON object "
        "source → [min, max]; a version outside its range is rejected. Keys given replace "
        "the defaults.",
    )
    list_max_shrink: float = Field(
        default=0.10,
        ge=0.0,
        le=1.0,
        description="Share of entries a new version may lose against the active one before "
        "it is held for a person to activate.",
    )
    list_urls: dict[str, str] = Field(
        default_factory=dict,
        description="Download addresses that replace a source's official one "
        '(JSON object, e.g. {"eu": "https://mirror.example/eu.xml"}).',
    )
    http_timeout: float = Field(default=30.0, gt=0, description="Seconds per HTTP connect/read.")
    http_retries: int = Field(default=3, ge=0, description="Retries for failed downloads.")
    max_download_bytes: int = Field(
        default=200 * 1024 * 1024, gt=0, description="Largest list file accepted."
    )
    register_dir: Path | None = Field(
        default=None,
        description="Drop folder where KBO Open Data extracts are placed for import_register.",
    )
    register_max_download_bytes: int = Field(
        default=4 * 1024**3, gt=0, description="Largest KBO extract zip downloaded."
    )
    register_activities: bool = Field(
        default=False,
        description="Import activity.csv too (36 million rows in a FULL extract).",
    )
    register_max_bad_row_share: float = Field(
        default=0.01,
        ge=0.0,
        le=1.0,
        description="Share of malformed rows per register file above which the import stops.",
    )
    actor: str = Field(
        default="kyc-pipeline", description="Actor recorded on audit events of automated runs."
    )
    web_secret_key: SecretStr | None = Field(
        default=None,
        description="Key that signs the review app's session cookies (32 bytes or more, "
        "e.g. from `openssl rand -hex 32`); when unset, `kyc serve` makes one in the data "
        "directory (web-secret.key, readable by its owner only).",
    )
    web_session_idle_minutes: int = Field(
        default=30, gt=0, description="Minutes without a request after which a session ends."
    )
    web_https: bool = Field(
        default=False,
        description="The app is reached over https (behind a reverse proxy): cookies are "
        "marked Secure.",
    )
    login_slow_after: int = Field(
        default=3, gt=0, description="Failed logins after which each further try must wait."
    )
    login_lock_after: int = Field(
        default=5, gt=0, description="Failed logins after which the account is locked."
    )
    login_lock_minutes: int = Field(
        default=15, gt=0, description="Minutes an account stays locked after failed logins."
    )
    purposes_file: Path | None = Field(
        default=None,
        description="The provider's own table of purposes, GDPR bases and retention rules "
        "(TOML shaped as kyc/purposes.toml); default: the table shipped in the package.",
    )
    legal_bases: dict[str, str] = Field(
        default_factory=dict,
        description="The recorded legal basis of a purpose, where it should differ from "
        "the purpose table's (JSON object purpose → text).",
    )
    access_names_reviewers: bool = Field(
        default=False,
        description="Whether an access request's answer names the reviewers and operators "
        "who acted (default: withheld, as the provider's staff).",
    )
    audit_signing_key: SecretStr | None = Field(
        default=None,
        description="Ed25519 private key (PEM, as `openssl genpkey -algorithm ed25519` "
        "writes it) that signs the audit chain's head at the end of every job. No default: "
        "without it (or KYC_AUDIT_SIGNING_KEY_BLOCK) checkpoints are off.",
    )
    audit_signing_key_block: str | None = Field(
        default=None,
        description="Name of a Prefect Secret block holding that key, for flows.",
    )
    audit_checkpoint_file: Path | None = Field(
        default=None,
        description="File outside the database each signed checkpoint is appended to "
        "(default: data_dir/audit-checkpoints.jsonl).",
    )
    rescreen_partition_size: int = Field(
        default=2000,
        ge=1,
        description="Customers per partition of a full rescreen: each partition is "
        "verified, checked, screened and committed on its own, so a run that dies "
        "resumes from the partitions not yet committed.",
    )
    rescreen_lease_seconds: int = Field(
        default=900,
        ge=10,
        description="How long a rescreen run on another machine that has not committed "
        "a partition may be silent before another may take its run over.",
    )
    prefect_api_url: str | None = Field(
        default=None,
        description="A Prefect server's API (as PREFECT_API_URL): the onboarding API tells "
        "it each onboarding as a kyc.onboarding.completed event (ids only), so that the "
        "web app's onboardings show in the Prefect UI beside the flows'.",
    )
    dask_address: str | None = Field(
        default=None,
        description="A Dask scheduler (tcp://host:8786): the rescreen flow's partitions "
        "then run on its workers, with the database as the shared store.",
    )

    @field_validator("list_sources", "mandate_proxy_acts", mode="before")
    @classmethod
    def _split_words(cls, value: object) -> object:
        """``a,b`` or ``["a", "b"]``."""
        if isinstance(value, str):
            if value.lstrip().startswith("["):
                return json.loads(value)
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("legal_bases")
    @classmethod
    def _known_purposes(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = set(value) - {str(p) for p in Purpose}
        if unknown:
            raise ValueError(f"unknown purposes: {', '.join(sorted(unknown))}")
        return value

    @model_validator(mode="after")
    def _readable_purposes(self) -> Settings:
        try:
            load_purposes(self.purposes_file or DEFAULT_TABLE)
        except PurposeTableInvalid as error:
            raise ValueError(str(error)) from error
        return self

    @property
    def checkpoint_file(self) -> Path:
        return self.audit_checkpoint_file or self.data_dir / "audit-checkpoints.jsonl"

    @property
    def purposes(self) -> PurposeTable:
        return load_purposes(self.purposes_file or DEFAULT_TABLE)

    @property
    def effective_legal_bases(self) -> dict[str, str]:
        """What an audit event of each purpose records as its legal basis."""
        return {**self.purposes.legal_bases(), **self.legal_bases}

    @field_validator("match_weights")
    @classmethod
    def _known_weights(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = set(value) - {f.name for f in fields(Weights)}
        if unknown:
            raise ValueError(f"unknown matcher weights: {', '.join(sorted(unknown))}")
        return value

    def weights(self) -> Weights:
        return Weights(**self.match_weights)

    @field_validator("peppol_dns_server")
    @classmethod
    def _host_and_port(cls, value: str | None) -> str | None:
        if value is not None:
            split_host_port(value)
        return value

    @field_validator("list_entry_ranges")
    @classmethod
    def _complete_entry_ranges(
        cls, value: dict[str, tuple[int, int]]
    ) -> dict[str, tuple[int, int]]:
        return {**DEFAULT_ENTRY_RANGES, **value}

    def entry_range(self, source: str) -> tuple[int, int]:
        return self.list_entry_ranges.get(source, (1, 10_000_000))

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'kyc.db').as_posix()}"

    @property
    def raw_lists_dir(self) -> Path:
        """Where downloaded and imported list files are kept, content-addressed."""
        return self.data_dir / "lists"

    def legal_basis(self, purpose: Purpose) -> str:
        return self.legal_bases[purpose]


class SettingsInvalid(ValueError):
    """A KYC_* variable that cannot be used; the message names it."""


def load_settings(**overrides: object) -> Settings:
    """Read the environment now; keyword overrides win (used by tests and commands)."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except (ValidationError, SettingsError, json.JSONDecodeError) as error:
        raise SettingsInvalid(f"invalid KYC_* setting: {error}") from error
