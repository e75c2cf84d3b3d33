"""Retry-After past the cap, 429 pages that say "Too Many Requests", the HTTP cache."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from crawl_helpers import FAST, LEADBASE, SCRAPY_ENV, options, write_profile
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbase.db import make_engine
from leadbase.models import RawRecord
from spiders.frontier import Frontier, frontier_path
from spiders.sample_site import Page, SiteServer, directory_pages, sample_companies

TOO_MANY = b"<html><title>429</title><body>Too Many Requests</body></html>"


def test_a_retry_after_past_the_cap_is_never_slept_through(
    db_url: str, tmp_path: Path
) -> None:
    companies = sample_companies(4)
    pages = directory_pages(companies, traps=False)
    busy = companies[0].path
    pages[busy] = Page(
        TOO_MANY, status=429, headers={"Retry-After": "3600"}, then=pages[busy]
    )
    server = SiteServer(pages).start()
    profile = write_profile(tmp_path, server)
    base = [LEADBASE, "--db", db_url, "crawl", str(profile)]
    settings = [*FAST, "DOWNLOAD_TIMEOUT=20"]
    try:
        # An hour's wait would outlast the timeout: finishing proves no sleep.
        first = subprocess.run(
            [*base, *options(settings)], cwd=tmp_path, env=SCRAPY_ENV,
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert first.returncode == 0, first.stderr
        assert (
            f"GIVING UP {server.url}{busy} for now: Retry-After 3600s is over "
            "LEADBASE_RETRY_AFTER_MAX=600s; `--resume` later fetches it"
        ) in first.stderr
        assert f"SLOWING source: rate_limit page at {server.url}{busy}" in first.stderr
        assert "ban page" not in first.stderr  # a 429 is not judged a ban page
        jobdir = tmp_path / "crawl-jobs" / str(profile).replace("/", "_")
        assert jobdir.is_dir()
        journal = Frontier(frontier_path(str(jobdir)))
        pending = [urlsplit(url).path for url in journal.pending_urls()]
        journal.close()
        assert pending == [busy]  # kept for later, nothing else left undone
        # Later the site answers: --resume fetches just that page.
        again = subprocess.run(
            [*base, "--resume", *options(settings)], cwd=tmp_path, env=SCRAPY_ENV,
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert again.returncode == 0, again.stderr
    finally:
        server.stop()
    assert server.fetches[busy] == 2
    assert all(server.fetches[c.path] == 1 for c in companies[1:])
    engine = make_engine(db_url)
    with Session(engine) as session:
        keys = session.scalars(select(RawRecord.source_key)).all()
    engine.dispose()
    assert sorted(keys) == sorted(f"{server.url}{c.path}" for c in companies)


def test_too_many_long_waits_stop_the_source(tmp_path: Path) -> None:
    companies = sample_companies(6)
    pages = directory_pages(companies, traps=False)
    for company in companies:
        pages[company.path] = Page(
            TOO_MANY, status=429, headers={"Retry-After": "86400"}
        )
    server = SiteServer(pages).start()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "directory", "-a",
             f"profile={write_profile(tmp_path, server)}", "-O",
             str(tmp_path / "items.jsonl"),
             *options([*FAST, "LEADBASE_BLOCK_LIMIT=2", "CONCURRENT_REQUESTS=1"])],
            capture_output=True, text=True, env=SCRAPY_ENV, timeout=120,
        )  # fmt: skip
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr
    assert "STOPPING source: 2 captcha/ban/decoy/rate-limit pages" in result.stderr
    assert "'finish_reason': 'blocked_rate_limit'" in result.stderr


def test_the_http_cache_replays_a_crawl_without_the_network(tmp_path: Path) -> None:
    companies = sample_companies(5)
    server = SiteServer(directory_pages(companies, traps=False)).start()
    profile = write_profile(tmp_path, server)
    cache = tmp_path / "httpcache"  # absolute: Scrapy uses it as given

    def run(out: Path) -> list[dict[str, object]]:
        subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "directory", "-a",
             f"profile={profile}", "-O", str(out),
             *options([*FAST, "HTTPCACHE_ENABLED=True", f"HTTPCACHE_DIR={cache}"])],
            check=True, capture_output=True, env=SCRAPY_ENV, timeout=120,
        )  # fmt: skip
        return [json.loads(line) for line in out.read_text("utf-8").splitlines()]

    try:
        first = run(tmp_path / "first.jsonl")
        fetched = dict(server.fetches)
        second = run(tmp_path / "second.jsonl")
    finally:
        server.stop()
    assert fetched and dict(server.fetches) == fetched  # nothing fetched again
    assert any(cache.iterdir())

    def drop_time(items: list[dict[str, object]]) -> list[dict[str, object]]:
        return sorted(
            ({k: v for k, v in i.items() if k != "fetched_at"} for i in items),
            key=lambda i: str(i["source_url"]),
        )

    assert len(first) == len(companies)
    assert drop_time(first) == drop_time(second)
