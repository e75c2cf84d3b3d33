"""What the crawl tests share: fast settings, a profile, running the CLI crawl."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbase.cli import cli
from leadbase.models import RawRecord
from spiders.sample_site import SiteServer

# Politeness off: these are our own pages; timeouts short so traps end fast.
FAST = [
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=False",
    "CONCURRENT_REQUESTS_PER_DOMAIN=4",
    "DOWNLOAD_TIMEOUT=1",
    "RETRY_TIMES=1",
    "LEADBASE_BACKOFF_BASE=0.05",
    "LEADBASE_BLOCK_SLOWDOWN=0.2",
    "LOG_LEVEL=INFO",
]
LEADBASE = str(Path(sys.executable).parent / "leadbase")
SCRAPY_ENV = {**os.environ, "SCRAPY_SETTINGS_MODULE": "spiders.settings"}


def options(settings: list[str]) -> list[str]:
    """`-s NAME=VALUE` for each setting."""
    return [x for s in settings for x in ("-s", s)]


def write_profile(tmp_path: Path, site: SiteServer) -> Path:
    path = tmp_path / "testdir.yaml"
    path.write_text(
        f"name: testdir\nsource: test-directory\n"
        f"start_urls: ['{site.url}/catalog?page=1']\n"
        "allowed_domains: [127.0.0.1]\ncountry: RU\nlisting:\n"
        "  links: 'a.card::attr(href)'\n  next_page: 'a.next::attr(href)'\n"
        "detail:\n  fields:\n    name: 'h1::text'\n"
        "    phones: '.phone::text'\n    emails: '.email::text'\n",
        encoding="utf-8",
    )
    return path


def crawl(db_url: str, *args: str, cwd: Path) -> None:
    old = os.getcwd()
    os.chdir(cwd)  # the job directory lives under the working directory
    try:
        result = CliRunner().invoke(
            cli, ["--db", db_url, "crawl", *args, *options(FAST)]
        )
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output


def payloads(session: Session) -> list[dict[str, object]]:
    return [
        r.payload for r in session.scalars(select(RawRecord).order_by(RawRecord.id))
    ]
