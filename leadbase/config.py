"""Settings: defaults < leadbase.toml < LEADBASE_* environment < command line."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from leadbase.errors import ConfigError

DEFAULT_DATABASE_URL = "sqlite:///leadbase.db"
CONFIG_FILE = "leadbase.toml"
ENV_PREFIX = "LEADBASE_"


@dataclass(frozen=True)
class Settings:
    """Every setting with its default; `help` metadata is shown by `leadbase config`."""

    database_url: str = field(
        default=DEFAULT_DATABASE_URL,
        metadata={"help": "SQLAlchemy URL of the base (SQLite file or PostgreSQL)."},
    )
    default_region: str = field(
        default="RU",
        metadata={"help": "ISO country used for phones and addresses without one."},
    )
    language: str = field(
        default="ru",
        metadata={"help": "Default language of the review app: ru or en."},
    )
    suppression_salt: str = field(
        default="",
        metadata={"help": "Secret salt for hashing erased phones/emails/INNs."},
    )
    contact_url: str = field(
        default="https://github.com/leadbase/leadbase",
        metadata={
            "help": "URL named in the crawlers' User-Agent: how sites reach you."
        },
    )
    echo_sql: bool = field(
        default=False, metadata={"help": "Log every SQL statement (debugging)."}
    )


def _coerce(name: str, raw: Any, default: Any) -> Any:
    if isinstance(default, bool):
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off", ""}:
            return False
        raise ConfigError(f"setting {name!r} must be true or false, got {raw!r}")
    return str(raw)


def load_settings(
    config_file: Path | None = None,
    environ: dict[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Build Settings from the layers; `overrides` with value None are ignored.

    Args:
        config_file: a TOML file; defaults to ./leadbase.toml when it exists.
        environ: the environment to read (defaults to os.environ).
        **overrides: command-line values, highest precedence.

    Raises:
        ConfigError: unreadable file, unknown key, or a value of the wrong type.
    """
    environ = dict(os.environ) if environ is None else environ
    values: dict[str, Any] = {}
    known = {f.name: f.default for f in fields(Settings)}
    path = config_file or Path(CONFIG_FILE)
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read {path}: {exc}") from exc
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ConfigError(
                f"{path}: unknown setting(s) {', '.join(unknown)}; "
                f"known: {', '.join(sorted(known))}"
            )
        values.update(data)
    for name in known:
        env_value = environ.get(ENV_PREFIX + name.upper())
        if env_value is not None and env_value != "":
            values[name] = env_value
    values.update({k: v for k, v in overrides.items() if v is not None})
    coerced = {k: _coerce(k, v, known[k]) for k, v in values.items()}
    settings = replace(Settings(), **coerced)
    if settings.language not in {"ru", "en"}:
        raise ConfigError(f"language must be 'ru' or 'en', got {settings.language!r}")
    return settings
