"""Real crawls (child processes) against a generated site served on 127.0.0.1."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from crawl_helpers import FAST, crawl, payloads, write_profile
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leadbase.cli import cli
from leadbase.db import make_engine
from leadbase.enums import JobStatus
from leadbase.models import CrawlJob, RawRecord
from spiders.frontier import Frontier, frontier_path
from spiders.sample_site import Page, SiteServer, directory_pages, sample_companies

COMPANIES = sample_companies(12)


@pytest.fixture
def site() -> Iterator[SiteServer]:
    server = SiteServer(directory_pages(COMPANIES, per_page=5)).start()
    yield server
    server.stop()


def test_directory_crawl_stores_every_company_once(
    db_url: str, site: SiteServer, tmp_path: Path
) -> None:
    from leadbase.models import Company

    profile = write_profile(tmp_path, site)
    engine = make_engine(db_url)
    known = COMPANIES[1]  # the base has this company already: not a new lead
    with Session(engine) as session:
        session.add(Company(name="Уже в базе", inn=known.inn))
        session.commit()
    crawl(db_url, str(profile), cwd=tmp_path)
    with Session(engine) as session:
        stored = payloads(session)
        by_inn = {p["inn"]: p for p in stored}
        for company in COMPANIES:  # JSON-LD, microdata, selectors only and cp1251
            card = by_inn[company.inn]
            assert card["name"] == company.name
            assert card["phones"] == [company.phone_e164]
            assert card["emails"] == [company.email]
            assert card["ogrn"] == company.ogrn
        broken = by_inn["7707083893"]  # broken HTML still gives its company
        assert broken["name"] == "ООО «Сломанный»" and broken["phones"] == [
            "+74951112233"
        ]
        # No captcha, no decoy, no 500, no loop page.
        assert len(stored) == len(COMPANIES) + 1
        assert not [p for p in stored if "Подсолнух" in str(p["name"])]
        for card in stored:
            assert "+79990000001" not in card["phones"]  # the sponsored block
            assert "support@catalog.test" not in card["emails"]
        job = session.scalars(select(CrawlJob)).one()
        assert job.status == JobStatus.DONE and job.items == len(stored)
        assert job.args["name"] == str(profile) and job.args["resume"] is False
        new_leads = len(stored) - 1
        assert job.stats and job.stats["leadbase/new_leads"] == new_leads
        assert job.new_leads == new_leads
        flagged = session.scalars(
            select(RawRecord.payload).where(RawRecord.is_new_lead)
        ).all()
        assert sorted(p["inn"] for p in flagged) == sorted(
            p["inn"] for p in stored if p["inn"] != known.inn
        )
    assert site.fetches["/private/hidden"] == 0  # robots.txt disallows it
    assert site.fetches["/catalog?page=1"] == 1  # the pagination loop is cut
    assert site.fetches["/loop/a"] == site.fetches["/loop/b"] == 1  # redirect loop
    assert site.fetches["/firm/captcha"] == site.fetches["/firm/decoy"] == 1
    assert not [path for path in site.fetches if "tel:" in path or "mailto" in path]
    # A re-crawl of unchanged pages adds nothing; a changed page adds a version.
    first = COMPANIES[2]
    site.pages[first.path] = Page(
        site.pages[first.path].body.replace(b"info2@", b"office2@"),
        content_type=site.pages[first.path].content_type,
    )
    crawl(db_url, str(profile), cwd=tmp_path)
    with Session(engine) as session:
        total = session.scalar(select(func.count()).select_from(RawRecord))
        assert total == len(stored) + 1
        versions = session.scalars(
            select(RawRecord.source_key).where(RawRecord.url.like(f"%{first.path}"))
        ).all()
        assert len(versions) == 2
        # A new version of a known page is not a new lead.
        second = session.scalars(select(CrawlJob).order_by(CrawlJob.id.desc())).first()
        assert second is not None and second.new_leads == 0
        assert (
            session.scalar(
                select(func.count()).select_from(RawRecord).where(RawRecord.is_new_lead)
            )
            == new_leads
        )
    listing = CliRunner().invoke(cli, ["--db", db_url, "crawl", "--list"])
    assert listing.exit_code == 0 and "directory" in listing.output
    assert f"new leads {new_leads}" in listing.output
    assert "new leads 0" in listing.output
    engine.dispose()


def test_bad_profile_is_refused_with_every_problem(db_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("listing:\n  links: 'a[['\nextra: 1\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", db_url, "crawl", str(bad)])
    assert result.exit_code == 1
    assert "listing.links: bad selector" in result.output
    assert (
        "extra: unknown key" in result.output and "start_urls: missing" in result.output
    )


def company_site() -> dict[str, Page]:
    key = 0x35
    protected = f"{key:02x}" + "".join(f"{ord(c) ^ key:02x}" for c in "cf@romashka.ru")
    home = """<html><head><title>Ромашка — цветы оптом</title>
      <meta property="og:site_name" content="ООО «Ромашка»">
      <script type="application/ld+json">{"@context": "https://schema.org",
      "@type": "Organization", "name": "ООО «Ромашка»", "founder": {"@type":
      "Person", "name": "Иванов Иван Иванович", "jobTitle": "Генеральный директор"}}
      </script></head><body>
      <a href="/s1/kontakty">Контакты</a> <a href="/s1/rekvizity">Реквизиты</a>
      <a href="/s1/shop">Магазин</a> <a href="tel:+74951234567">звонок</a>
      <a href="http://localhost:1/s1/elsewhere">Контакты партнёра</a></body></html>"""
    contacts = f"""<html><body><h1>Контакты</h1>
      <p>Телефон: <a href="tel:+74951234567">+7 (495) 765-43-21</a>,
      8 (812) 333-22-11</p>
      <p>info [at] romashka [dot] ru, sales(собака)romashka.ru,
      &#104;r&#64;romashka.ru</p>
      <p><a href="/cdn-cgi/l/email-protection#{protected}">[email protected]</a></p>
      <a href="https://t.me/romashka_flowers">Telegram</a>
      <a href="https://wa.me/79161234567">WhatsApp</a>
      <p>Адрес офиса: 123456, г. Москва, ул. Ленина, д. 1, оф. 5. Режим работы:
      пн–пт 9:00–18:00</p>
      <div class="sponsored">Реклама +7 (999) 000-00-01</div>
      <footer>Разработка сайта — Студия, studio@webdev.ru</footer></body></html>"""
    requisites = (
        "<html><head><meta charset='windows-1251'></head><body><h1>Реквизиты</h1>"
        "<p>ИНН/КПП 7707083893/770701001, ОГРН 1027700132195. Уставный капитал "
        "8 126 612 911 руб.</p><table><tr><td>Юридический адрес</td><td>107078, "
        "г. Москва, ул. Садовая-Спасская, д. 21, стр. 1</td></tr></table>"
        "</body></html>"
    ).encode("cp1251")
    return {
        "/robots.txt": Page(
            b"User-agent: *\nDisallow: /s1/shop\n", content_type="text/plain"
        ),
        "/s1/": Page(home.encode()),
        "/s1/kontakty": Page(contacts.encode()),
        "/s1/rekvizity": Page(
            requisites, content_type="text/html; charset=windows-1251"
        ),
        "/s1/shop": Page(b"<html>shop</html>"),
        # An English site that states only its registered office.
        "/s2/": Page(
            b"<html><head><title>Acme Widgets Ltd</title></head><body>"
            b"<a href='/s2/contact-us'>Contact us</a></body></html>"
        ),
        "/s2/contact-us": Page(
            b"<html><body><h1>Contact</h1><p>Registered office: 1 Main Street, "
            b"London EC1A 1BB</p><p>Phone: +44 20 7946 0000</p></body></html>"
        ),
    }


def test_website_spider_writes_a_feed_of_leads(tmp_path: Path) -> None:
    server = SiteServer(company_site()).start()
    try:
        sites = tmp_path / "sites.txt"
        sites.write_text(
            f"{server.url}/s1/\tRU\n{server.url}/s2/\tGB\n", encoding="utf-8"
        )
        out = tmp_path / "items.jsonl"
        options = [x for s in FAST for x in ("-s", s)]
        subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "website", "-a", f"urls={sites}",
             "-O", str(out), *options],
            check=True, capture_output=True,
            env={**os.environ, "SCRAPY_SETTINGS_MODULE": "spiders.settings"},
        )  # fmt: skip
        fetched = dict(server.fetches)
    finally:
        server.stop()
    items = {
        urlsplit(i["source_url"]).path: i
        for i in map(json.loads, out.read_text(encoding="utf-8").splitlines())
    }
    item, english = items["/s1/"], items["/s2/"]
    assert item["name"] == "ООО «Ромашка»"
    assert sorted(item["emails"]) == [
        "cf@romashka.ru", "hr@romashka.ru", "info@romashka.ru", "sales@romashka.ru",
    ]  # fmt: skip
    # The home page tel: link shows no number: its own is kept. On the contacts
    # page the visible number wins over a disagreeing link.
    assert item["phones"] == ["+74951234567", "+74957654321", "+78123332211"]
    assert (item["inn"], item["kpp"], item["ogrn"]) == (
        "7707083893", "770701001", "1027700132195",
    )  # fmt: skip
    assert item["socials"] == [
        "https://t.me/romashka_flowers",
        "https://wa.me/79161234567",
    ]
    assert item["provenance"]["inn"]["7707083893"].endswith("/s1/rekvizity")
    assert "tel_text_mismatch:+74951234567:+74957654321" in item["flags"]
    # The office address wins over the legal one, which is kept as a flag.
    assert (item["address"], item["postcode"], item["city"]) == (
        "123456, г. Москва, ул. Ленина, д. 1, оф. 5", "123456", "Москва",
    )  # fmt: skip
    assert item["provenance"]["address"][item["address"]].endswith("/s1/kontakty")
    assert (
        "legal_address:107078, г. Москва, ул. Садовая-Спасская, д. 21, стр. 1"
        in item["flags"]
    )
    # A site that states only its registered office: that is its address.
    assert (english["address"], english["postcode"], english["city"]) == (
        "1 Main Street, London EC1A 1BB", "EC1A 1BB", "London",
    )  # fmt: skip
    assert english["phones"] == ["+442079460000"]
    assert "/s1/shop" not in fetched  # not a contact page, and disallowed anyway
    assert set(fetched) == {
        "/robots.txt", "/s1/", "/s1/kontakty", "/s1/rekvizity", "/s2/",
        "/s2/contact-us",
    }  # fmt: skip


def test_killed_crawl_resumes_without_losing_or_repeating(
    db_url: str, tmp_path: Path
) -> None:
    companies = sample_companies(60)
    pages = directory_pages(companies, per_page=10, traps=False)
    for path in [c.path for c in companies]:
        pages[path].delay = 0.05  # slow enough to kill half-way
    server = SiteServer(pages).start()
    try:
        profile = write_profile(tmp_path, server)
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "spiders.settings"}
        leadbase = str(Path(sys.executable).parent / "leadbase")
        base = [leadbase, "--db", db_url, "crawl", str(profile)]
        # No trap pages here: a generous timeout, so only the kill can repeat a fetch.
        settings = [*FAST, "CONCURRENT_REQUESTS_PER_DOMAIN=2", "DOWNLOAD_TIMEOUT=20"]
        options = [x for s in settings for x in ("-s", s)]
        child = subprocess.Popen(
            [*base, *options], cwd=tmp_path, env=env, start_new_session=True
        )
        deadline = time.monotonic() + 30
        while sum(server.fetches[c.path] for c in companies) < 25:
            assert time.monotonic() < deadline and child.poll() is None
            time.sleep(0.02)
        os.killpg(child.pid, signal.SIGKILL)  # the CLI and its scrapy child
        child.wait()
        server.wait_idle()  # every request sent before the kill is counted
        fetched_before = {path for path, n in server.fetches.items() if n}
        assert len(fetched_before & {c.path for c in companies}) < len(companies)
        # In flight at the kill: accepted by the journal, fetched, not yet processed.
        journal = Frontier(
            frontier_path(str(tmp_path / "crawl-jobs" / str(profile).replace("/", "_")))
        )
        in_flight = {
            urlsplit(url).path for url in journal.pending_urls()
        } & fetched_before
        journal.close()
        # The killed job's row still says running; --list tells the truth.
        listing = CliRunner().invoke(cli, ["--db", db_url, "crawl", "--list"])
        assert "directory            interrupted" in listing.output, listing.output
        subprocess.run([*base, "--resume", *options], cwd=tmp_path, env=env, check=True)
    finally:
        server.stop()
    twice = [c.path for c in companies if server.fetches[c.path] > 1]
    assert all(server.fetches[c.path] >= 1 for c in companies)  # no page lost
    assert set(twice) <= in_flight  # only pages in flight at the kill came twice
    engine = make_engine(db_url)
    with Session(engine) as session:
        keys = session.scalars(select(RawRecord.source_key)).all()
        assert sorted(keys) == sorted(f"{server.url}{c.path}" for c in companies)
        (job,) = session.scalars(select(CrawlJob)).all()  # resumed, not a new row
        assert job.status == JobStatus.DONE and job.new_leads == len(companies)
    engine.dispose()


REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_or_skip() -> object:
    import redis

    server = redis.Redis.from_url(REDIS_URL)
    try:
        server.ping()
    except redis.RedisError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis at {REDIS_URL} is needed in CI: {exc}")
        pytest.skip(f"Redis at {REDIS_URL} is not running: {exc}")
    return server


def test_two_redis_workers_share_one_crawl(db_url: str, tmp_path: Path) -> None:
    server_redis = redis_or_skip()
    companies = sample_companies(80)
    pages = directory_pages(companies, per_page=10, traps=False)
    # Cards wait until both workers are in (the second fetched robots.txt): on a
    # busy machine the first could otherwise finish before the second starts.
    both_in = threading.Event()
    for path in [c.path for c in companies]:
        pages[path].delay = 0.1
        pages[path].gate = both_in
    site = SiteServer(pages).start()
    leadbase = str(Path(sys.executable).parent / "leadbase")
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "spiders.settings"}
    settings = [
        *FAST, "DOWNLOAD_TIMEOUT=20", "LEADBASE_REDIS_IDLE_GRACE=3",
        "CONCURRENT_REQUESTS_PER_DOMAIN=2",
    ]  # fmt: skip
    options = [x for s in settings for x in ("-s", s)]
    profile = write_profile(tmp_path, site)
    base = [leadbase, "--db", db_url, "crawl", str(profile), "--redis", REDIS_URL]
    try:
        first = subprocess.Popen([*base, *options], cwd=tmp_path, env=env)
        deadline = time.monotonic() + 30
        while not site.fetches["/catalog?page=1"]:  # the shared crawl has begun
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.05)
        second = subprocess.Popen([*base, "--resume", *options], cwd=tmp_path, env=env)
        deadline = time.monotonic() + 60
        while site.fetches["/robots.txt"] < 2:  # the second worker is in
            assert time.monotonic() < deadline and second.poll() is None
            time.sleep(0.05)
        both_in.set()
        assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0
    finally:
        site.stop()
        for key in server_redis.scan_iter(f"leadbase:{profile}:*"):  # type: ignore[attr-defined]
            server_redis.delete(key)  # type: ignore[attr-defined]
    # Every page once in total; robots.txt once per worker (each must obey it).
    assert site.fetches["/robots.txt"] == 2
    assert {
        p: n for p, n in site.fetches.items() if n != 1 and p != "/robots.txt"
    } == {}
    engine = make_engine(db_url)
    with Session(engine) as session:
        keys = session.scalars(select(RawRecord.source_key)).all()
        assert sorted(keys) == sorted(f"{site.url}{c.path}" for c in companies)
        jobs = session.scalars(select(CrawlJob)).all()
        assert len(jobs) == 2 and all(job.items > 0 for job in jobs)  # both worked
    engine.dispose()


def test_crawl_delay_and_retry_after_are_honoured(tmp_path: Path) -> None:
    companies = sample_companies(3)
    pages = directory_pages(companies, per_page=10, traps=False)
    pages["/robots.txt"] = Page(
        b"User-agent: *\nCrawl-delay: 0.6\nDisallow: /private/\n",
        content_type="text/plain",
    )
    busy = companies[0].path
    pages[busy] = Page(  # what a 429 page says: not to be taken for a ban page
        b"<html><title>429</title>Too Many Requests</html>", status=429,
        headers={"Retry-After": "2"}, then=pages[busy],
    )  # fmt: skip
    server = SiteServer(pages).start()
    try:
        profile = write_profile(tmp_path, server)
        out = tmp_path / "items.jsonl"
        options = [x for s in [*FAST, "DOWNLOAD_TIMEOUT=20"] for x in ("-s", s)]
        subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "directory",
             "-a", f"profile={profile}", "-O", str(out), *options],
            check=True, capture_output=True,
            env={**os.environ, "SCRAPY_SETTINGS_MODULE": "spiders.settings"},
        )  # fmt: skip
    finally:
        server.stop()
    stamps = sorted(t for path, ts in server.times.items() if path != "/robots.txt"
                    for t in ts)  # fmt: skip
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert gaps and min(gaps) >= 0.55  # Crawl-delay 0.6 s between requests
    first, second = server.times[busy]
    assert second - first >= 1.9  # Retry-After: 2 waited for
    names = {json.loads(line)["name"] for line in out.read_text("utf-8").splitlines()}
    assert names == {c.name for c in companies}


def test_crawl_websites_takes_companies_from_the_base(
    db_url: str, tmp_path: Path
) -> None:
    from leadbase.models import Company

    server = SiteServer(company_site()).start()
    engine = make_engine(db_url)
    with Session(engine) as session:
        session.add(
            Company(
                name="ООО Ромашка", website=f"{server.url}/s1/", country="RU",
                inn="7707083893",
            )
        )  # fmt: skip
        session.add(Company(name="Без сайта"))
        session.commit()
    try:
        crawl(db_url, "websites", "--limit", "5", cwd=tmp_path)
    finally:
        server.stop()
    with Session(engine) as session:
        (record,) = session.scalars(select(RawRecord)).all()
        assert record.source.name == "websites"
        assert record.source_key == f"{server.url}/s1/"
        assert "info@romashka.ru" in record.payload["emails"]
        assert record.payload["inn"] == "7707083893"
        assert not record.is_new_lead  # the base knows its INN
    engine.dispose()


def test_named_people_are_kept_apart_flagged_and_erased_ones_stay_out(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from leadbase.enums import SuppressionKind
    from leadbase.models import Suppression
    from leadbase.suppression import suppression_hash

    monkeypatch.setenv("LEADBASE_SUPPRESSION_SALT", "test-salt")
    engine = make_engine(db_url)
    with Session(engine) as session:  # two erased people's contacts
        for kind, value in ((SuppressionKind.EMAIL, "hr@romashka.ru"),
                            (SuppressionKind.PHONE, "+78123332211")):  # fmt: skip
            session.add(Suppression(
                kind=kind, value_hash=suppression_hash(kind, value, "test-salt")
            ))  # fmt: skip
        session.commit()
    server = SiteServer(company_site()).start()
    sites = tmp_path / "sites.txt"
    sites.write_text(f"{server.url}/s1/\n{server.url}/s2/\tGB\n", encoding="utf-8")
    try:
        crawl(db_url, "website", "--urls", str(sites), cwd=tmp_path)
    finally:
        server.stop()
    with Session(engine) as session:
        by_site = {
            urlsplit(r.source_key).path: r.payload
            for r in session.scalars(select(RawRecord))
        }
    romashka, acme = by_site["/s1/"], by_site["/s2/"]
    # People in their own field, flagged; the company fields name nobody.
    assert romashka["persons"] == [
        {"name": "Иванов Иван Иванович", "role": "Генеральный директор"}
    ]
    assert romashka["has_personal_data"] is True and acme["has_personal_data"] is False
    assert "Иванов" not in json.dumps(
        {k: v for k, v in romashka.items() if k not in ("persons", "provenance")},
        ensure_ascii=False,
    )
    # Erased values never reach the base, not even in the provenance.
    assert "hr@romashka.ru" not in romashka["emails"]
    assert "+78123332211" not in romashka["phones"]
    assert "hr@romashka.ru" not in json.dumps(romashka["provenance"])
    assert {"suppressed:email", "suppressed:phone"} <= set(romashka["flags"])
    assert "info@romashka.ru" in romashka["emails"]  # the rest is kept
    # The annotated export leaves the people out unless asked.
    for extra, has_persons in (([], False), (["--include-personal"], True)):
        out = tmp_path / f"websites{len(extra)}.csv"
        result = CliRunner().invoke(
            cli, ["--db", db_url, "export", "annotated", "--source", "websites",
                  "--out", str(out), *extra],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8-sig")
        header = text.splitlines()[0].split(";")
        assert ("persons" in header) is has_persons
        assert ("Иванов Иван" in text) is has_persons
    engine.dispose()


def test_block_pages_slow_then_stop_the_source(
    site: SiteServer, tmp_path: Path
) -> None:
    profile = write_profile(tmp_path, site)
    options = [x for s in [*FAST, "LEADBASE_BLOCK_LIMIT=2"] for x in ("-s", s)]
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "directory", "-a",
         f"profile={profile}", "-O", str(tmp_path / "items.jsonl"), *options],
        capture_output=True, text=True, check=True,
        env={**os.environ, "SCRAPY_SETTINGS_MODULE": "spiders.settings"},
    )  # fmt: skip
    assert "SLOWING source:" in result.stderr
    assert "STOPPING source: 2 captcha/ban/decoy/rate-limit pages" in result.stderr
    assert "'finish_reason': 'blocked_" in result.stderr


def test_sitemap_profile_reads_cards_listed_in_the_sitemap(tmp_path: Path) -> None:
    companies = sample_companies(4)
    pages = directory_pages(companies, traps=False)
    locs = "".join(f"<url><loc>/firm/{c.number}</loc></url>" for c in companies)
    pages["/sitemap.xml"] = Page(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
        f'sitemap/0.9">{locs}</urlset>'.encode(),
        content_type="application/xml",
    )
    server = SiteServer(pages).start()
    try:
        profile = tmp_path / "sitemap.yaml"
        profile.write_text(
            f"name: bysitemap\nsitemap: {server.url}/sitemap.xml\n"
            "detail:\n  url_pattern: '/firm/\\d+$'\n  fields: {name: 'h1::text'}\n",
            encoding="utf-8",
        )
        out = tmp_path / "items.jsonl"
        subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "directory", "-a",
             f"profile={profile}", "-O", str(out),
             *[x for s in FAST for x in ("-s", s)]],
            check=True, capture_output=True,
            env={**os.environ, "SCRAPY_SETTINGS_MODULE": "spiders.settings"},
        )  # fmt: skip
    finally:
        server.stop()
    items = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert sorted(i["inn"] for i in items) == sorted(c.inn for c in companies)
    assert not [path for path in server.fetches if path.startswith("/catalog")]


def test_user_agent_names_the_product_and_the_configured_contact(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = directory_pages(sample_companies(1), traps=False)
    agents: list[str] = []
    server = SiteServer(pages).start()
    original = server.httpd.RequestHandlerClass.do_GET  # type: ignore[attr-defined]

    def record(handler: Any) -> None:
        agents.append(handler.headers.get("User-Agent", ""))
        original(handler)

    server.httpd.RequestHandlerClass.do_GET = record  # type: ignore[attr-defined]
    monkeypatch.setenv("LEADBASE_CONTACT_URL", "https://sales.example/robots")
    try:
        crawl(db_url, str(write_profile(tmp_path, server)), cwd=tmp_path)
    finally:
        server.stop()
    assert agents and all(
        a.startswith("leadbase/") and "+https://sales.example/robots" in a
        for a in agents
    )


def test_journal_marks_redirected_and_finished_pages_done(
    db_url: str, tmp_path: Path
) -> None:
    companies = sample_companies(3)
    pages = directory_pages(companies, traps=False)
    pages["/old/0"] = Page(status=301, headers={"Location": companies[0].path})
    pages["/catalog?page=1"].body = pages["/catalog?page=1"].body.replace(
        b"</ul>", b'<li><a class="card" href="/old/0">moved</a></li></ul>'
    )
    server = SiteServer(pages).start()
    try:
        profile = write_profile(tmp_path, server)
        crawl(db_url, str(profile), cwd=tmp_path)
    finally:
        server.stop()
    jobdir = tmp_path / "crawl-jobs" / str(profile).replace("/", "_")
    journal = Frontier(frontier_path(str(jobdir)))
    pending, counts = journal.pending_urls(), journal.counts()
    journal.close()
    assert pending == [] and counts["done"] >= len(companies) + 2
