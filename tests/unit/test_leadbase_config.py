"""Settings layer as documented: defaults < leadbase.toml < LEADBASE_* < options."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadbase.config import DEFAULT_DATABASE_URL, load_settings
from leadbase.db import parse_url, safe_url
from leadbase.errors import ConfigError


def test_defaults_use_the_embedded_sqlite_file(tmp_path: Path) -> None:
    settings = load_settings(config_file=tmp_path / "absent.toml", environ={})
    assert settings.database_url == DEFAULT_DATABASE_URL == "sqlite:///leadbase.db"
    assert settings.language == "ru"


def test_each_layer_overrides_the_one_below(tmp_path: Path) -> None:
    toml = tmp_path / "leadbase.toml"
    toml.write_text('database_url = "sqlite:///file.db"\nlanguage = "en"\n')
    from_file = load_settings(config_file=toml, environ={})
    assert (from_file.database_url, from_file.language) == ("sqlite:///file.db", "en")
    env = {"LEADBASE_DATABASE_URL": "sqlite:///env.db"}
    assert (
        load_settings(config_file=toml, environ=env).database_url == "sqlite:///env.db"
    )
    option = load_settings(
        config_file=toml, environ=env, database_url="sqlite:///cli.db"
    )
    assert option.database_url == "sqlite:///cli.db"
    assert (
        load_settings(config_file=toml, environ=env, database_url=None).language == "en"
    )


def test_an_unknown_key_in_the_file_is_named(tmp_path: Path) -> None:
    toml = tmp_path / "leadbase.toml"
    toml.write_text('databse_url = "x"\n')
    with pytest.raises(ConfigError, match="unknown setting\\(s\\) databse_url"):
        load_settings(config_file=toml, environ={})


def test_a_broken_file_and_a_bad_value_are_clear_errors(tmp_path: Path) -> None:
    toml = tmp_path / "leadbase.toml"
    toml.write_text("database_url = \n")
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(config_file=toml, environ={})
    with pytest.raises(ConfigError, match="true or false"):
        load_settings(
            config_file=tmp_path / "no", environ={"LEADBASE_ECHO_SQL": "maybe"}
        )
    with pytest.raises(ConfigError, match="'ru' or 'en'"):
        load_settings(config_file=tmp_path / "no", environ={"LEADBASE_LANGUAGE": "de"})


def test_plain_postgresql_urls_mean_psycopg_3() -> None:
    assert parse_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert parse_url("sqlite:///x.db").drivername == "sqlite"


def test_passwords_are_hidden_in_urls_shown_to_people() -> None:
    assert "s3cret" not in safe_url("postgresql+psycopg://u:s3cret@h/db")
