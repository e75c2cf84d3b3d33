"""`leadbase crawl` keeps the base's URL (it may hold a password) out of sight."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from crawl_helpers import crawl, write_profile
from scrapy.utils.test import get_crawler
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from leadbase.db import make_engine
from leadbase.errors import ConfigError
from leadbase.models import RawRecord
from spiders.sample_site import SiteServer, directory_pages, sample_companies
from spiders.storage import Storage


def test_crawl_gives_the_database_url_in_the_environment_not_the_command_line(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = make_url(db_url)
    if url.get_backend_name() == "postgresql":  # trust auth ignores a password
        url = url.set(password="pw-never-shown")
    secret_url = url.render_as_string(hide_password=False)
    secrets = [secret_url, str(url.database), "pw-never-shown"]
    launched: list[tuple[list[str], dict[str, str]]] = []
    real_popen = subprocess.Popen

    def recording_popen(command: list[str], **kwargs: Any) -> Any:
        launched.append((list(command), dict(kwargs.get("env") or {})))
        return real_popen(command, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", recording_popen)
    companies = sample_companies(3)
    server = SiteServer(directory_pages(companies, traps=False)).start()
    log = tmp_path / "crawl.log"
    try:
        profile = write_profile(tmp_path, server)
        crawl(secret_url, str(profile), "-s", f"LOG_FILE={log}", cwd=tmp_path)
    finally:
        server.stop()
    ((command, env),) = launched
    shown = " ".join(command) + log.read_text(encoding="utf-8")  # `ps`, the log
    assert [s for s in secrets if s in shown] == []
    assert env["LEADBASE_DATABASE_URL"] == secret_url
    engine = make_engine(db_url)
    with Session(engine) as session:  # the child found the base all the same
        assert session.scalar(select(func.count(RawRecord.id))) == len(companies)
    engine.dispose()


def test_a_database_url_given_as_a_scrapy_setting_is_refused() -> None:
    crawler = get_crawler(settings_dict={"LEADBASE_DATABASE_URL": "sqlite://"})
    with pytest.raises(ConfigError, match="in the environment"):
        Storage.of(crawler)
