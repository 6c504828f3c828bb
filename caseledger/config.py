"""Typed settings, read from ``CASELEDGER_*`` environment variables at start-up.

Nothing reads the environment at import time: interfaces call :func:`get_settings` once and
pass the result down. ``caseledger config`` shows the effective values and where they came from.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./caseledger.db"
DEFAULT_HOME = Path(".caseledger")


class Settings(BaseSettings):
    """Every setting of caseledger. Each is documented in ``docs/configuration.md``."""

    model_config = SettingsConfigDict(env_prefix="CASELEDGER_", extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL of the store: a SQLite file (default) or PostgreSQL.",
    )
    home: Path = Field(
        default=DEFAULT_HOME,
        description="Data directory: checkpoint signing key and exported checkpoints; later "
        "recordings and the warehouse.",
    )
    checkpoint_key: Path | None = Field(
        default=None,
        description="Path of the Ed25519 private key that signs checkpoints "
        "(default: HOME/keys/checkpoint-ed25519.pem). Keep it outside the database.",
    )

    recordings_dir: Path | None = Field(
        default=None,
        description="Where audio-video recordings are stored, content-addressed by SHA-256 "
        "(default: HOME/recordings).",
    )

    @property
    def recordings_path(self) -> Path:
        return self.recordings_dir or self.home / "recordings"

    @property
    def checkpoint_key_path(self) -> Path:
        return self.checkpoint_key or self.home / "keys" / "checkpoint-ed25519.pem"

    @property
    def checkpoint_dir(self) -> Path:
        return self.home / "checkpoints"


def get_settings() -> Settings:
    return Settings()
