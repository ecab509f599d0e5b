"""One settings object for the whole system (environment variables prefixed ``TIRO_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Configuration read from the environment; every field is documented in docs/settings."""

    model_config = SettingsConfigDict(env_prefix="TIRO_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=Path("var"),
        description="Directory for the embedded SQLite file, analytic stores and outputs.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; empty means sqlite:///<data_dir>/tiro.db. "
        "Any PostgreSQL URL (postgresql+psycopg://...) works.",
    )
    params_root: Path | None = Field(
        default=None,
        description="Parameter tree to use instead of the packaged src/tiro/params "
        "(a copy with a user's own values).",
    )
    host: str = Field(default="127.0.0.1", description="Address the API server binds to.")
    port: int = Field(default=8000, description="Port the API server listens on.")
    log_level: str = Field(default="info", description="Log level: debug, info, warning, error.")

    def resolved_database_url(self) -> str:
        """The URL in force: the configured one, or the SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'tiro.db').resolve()}"


@lru_cache
def get_settings() -> Settings:
    """Settings are read once per process; tests clear the cache to change them."""
    return Settings()
