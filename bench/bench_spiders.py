"""Crawl speed: our directory spider (full extraction and storage) against a bare
Scrapy spider that only follows links, on one generated site in the same run.

    .venv/bin/python bench/bench_spiders.py [--companies 5000] [--per-page 10]

The site (cards in the four styles, listing pages of `--per-page` cards) is served
by a threaded server on 127.0.0.1; both crawls run as `scrapy` child processes with
politeness off (no delay, no AutoThrottle, 16 concurrent requests per domain) and
robots.txt on. Ours stores into a fresh SQLite base (no JOBDIR, as a one-off crawl
runs). Prints pages, seconds and pages/s of each, and the ratio.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import scrapy

ROOT = Path(__file__).resolve().parents[1]
FAST = [
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=False",
    "CONCURRENT_REQUESTS=16",
    "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    "ROBOTSTXT_OBEY=True",
    "LOG_LEVEL=INFO",
    "TELNETCONSOLE_ENABLED=False",
]


class BareSpider(scrapy.Spider):
    """Follows every link on the start URL's host; extracts nothing."""

    name = "bare"

    async def start(self):  # type: ignore[no-untyped-def]
        yield scrapy.Request(self.start_url)  # type: ignore[attr-defined]

    def parse(self, response):  # type: ignore[no-untyped-def]
        host = response.url.split("/")[2]
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if url.startswith("http") and url.split("/")[2] == host:
                yield scrapy.Request(url)


def _run(
    command: list[str], env: dict[str, str], cwd: Path
) -> tuple[int, float, float, float]:
    """(pages, wall seconds, CPU seconds of the crawl process, load average)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        sys.exit(f"crawl failed:\n{result.stderr[-3000:]}")
    pages = re.search(r"'response_received_count': (\d+)", result.stderr)
    seconds = re.search(r"'elapsed_time_seconds': ([0-9.]+)", result.stderr)
    assert pages and seconds, result.stderr[-2000:]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return int(pages.group(1)), float(seconds.group(1)), cpu, os.getloadavg()[0]


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from leadbase.db import make_engine, upgrade_schema
    from spiders.sample_site import SiteServer, directory_pages, sample_companies

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--companies", type=int, default=5000)
    parser.add_argument("--per-page", type=int, default=10)
    args = parser.parse_args()
    pages = directory_pages(
        sample_companies(args.companies), args.per_page, traps=False
    )
    server = SiteServer(pages).start()
    work = Path(tempfile.mkdtemp(prefix="bench-spiders-"))
    options = [x for s in FAST for x in ("-s", s)]
    try:
        bare_env = {
            k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"
        }
        bare = _run(
            [sys.executable, "-m", "scrapy", "runspider", str(Path(__file__).resolve()),
             "-a", f"start_url={server.url}/catalog?page=1", *options],
            bare_env, work,
        )  # fmt: skip
        profile = work / "bench.yaml"
        profile.write_text(
            f"name: bench\nstart_urls: ['{server.url}/catalog?page=1']\n"
            "allowed_domains: [127.0.0.1]\ncountry: RU\nlisting:\n"
            "  links: 'a.card::attr(href)'\n  next_page: 'a.next::attr(href)'\n"
            "detail:\n  fields:\n    name: 'h1::text'\n    phones: '.phone::text'\n"
            "    emails: '.email::text'\n",
            encoding="utf-8",
        )
        db_url = f"sqlite:///{work / 'bench.db'}"
        upgrade_schema(make_engine(db_url, create=True))
        ours = _run(
            [sys.executable, "-m", "scrapy", "crawl", "directory", "-a",
             f"profile={profile}", *options],
            {**os.environ, "SCRAPY_SETTINGS_MODULE": "spiders.settings",
             "LEADBASE_DATABASE_URL": db_url}, ROOT,
        )  # fmt: skip
    finally:
        server.stop()
    print(f"site: {len(pages) - 1} pages ({args.companies} cards), 127.0.0.1")
    runs = (("bare link-following", bare), ("ours", ours))
    for label, (count, seconds, cpu, load) in runs:
        print(
            f"{label:<22}{count:>7} pages {seconds:>8.1f} s {count / seconds:>8.1f} p/s"
            f"  CPU {cpu:>6.1f} s ({count / cpu:.0f} pages per CPU s)  load {load:.2f}"
        )
    ratio = (ours[0] / ours[1]) / (bare[0] / bare[1])
    cpu_ratio = (ours[0] / ours[2]) / (bare[0] / bare[2])
    print(f"ours / bare: {ratio:.0%} wall, {cpu_ratio:.0%} per CPU s (target >= 70%)")


if __name__ == "__main__":
    main()
