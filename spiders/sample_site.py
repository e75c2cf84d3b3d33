"""A generated directory site and company sites, served on 127.0.0.1.

Used by the tests, the benchmark and `make demo`: no crawl here ever needs the
network. `python -m spiders.sample_site --port 8765 --companies 30` serves one.

The directory has listing pages with pagination (the last page links back to the
first: a loop), cards in four styles (JSON-LD, microdata, selectors only, cp1251),
a robots.txt disallowing /private/, a card answering 500, a slow card, a redirect
loop, a card of broken HTML, and a captcha card and a decoy card (its body describes
another company than its title) that must never become leads.
"""

from __future__ import annotations

import argparse
import html
import json
import select
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from leadbase.sample.ids import complete_inn, complete_ogrn

STYLES = ("jsonld", "microdata", "selectors", "cp1251")
_NAMES = [
    "Ромашка",
    "Лютик",
    "Василёк",
    "Берёзка",
    "Сосна",
    "Кедр",
    "Рассвет",
    "Восход",
    "Полюс",
    "Меридиан",
    "Вектор",
    "Гранит",
    "Базальт",
    "Сапфир",
    "Изумруд",
    "Орбита",
    "Зенит",
    "Прогресс",
    "Импульс",
    "Спектр",
]
_CITIES = ("Москва", "Санкт-Петербург", "Казань", "Новосибирск", "Екатеринбург")
_CODES = ("495", "812", "843", "383", "343")


@dataclass(frozen=True)
class SampleCompany:
    """One generated company and how its card is written."""

    number: int
    name: str
    inn: str
    ogrn: str
    kpp: str
    phone_text: str
    phone_e164: str
    email: str
    city: str
    style: str

    @property
    def path(self) -> str:
        return f"/firm/{self.number}"


def sample_companies(count: int) -> list[SampleCompany]:
    """`count` deterministic companies with checksum-valid INN and OGRN."""
    companies = []
    for n in range(count):
        word = f"{_NAMES[n % len(_NAMES)]}-{n}"
        inn = complete_inn(f"77{n:07d}")
        ogrn = complete_ogrn(f"102770{n:06d}") or ""
        code = _CODES[n % len(_CODES)]
        local = f"{100 + n % 900:03d}{n % 100:02d}{(n * 7) % 100:02d}"
        companies.append(
            SampleCompany(
                number=n, name=f"ООО «{word}»", inn=inn, ogrn=ogrn,
                kpp=f"77{n % 100:02d}01001",
                phone_text=f"8 ({code}) {local[:3]}-{local[3:5]}-{local[5:]}",
                phone_e164=f"+7{code}{local}", email=f"info{n}@firm{n}.ru",
                city=_CITIES[n % len(_CITIES)], style=STYLES[n % len(STYLES)],
            )
        )  # fmt: skip
    return companies


@dataclass
class Page:
    """One response: status, body, content type, extra headers, delay before it."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    then: Page | None = None  # served from the second fetch on
    # Held until set (at most a minute): a test decides when a crawl may go on.
    gate: threading.Event | None = None


def _card(company: SampleCompany) -> Page:
    c = company
    title = f"<title>{html.escape(c.name)} — карточка компании</title>"
    details = (
        f'<p class="inn">ИНН {c.inn}</p><p class="ogrn">ОГРН {c.ogrn}</p>'
        f'<p class="kpp">КПП {c.kpp}</p><p class="city">{c.city}</p>'
    )
    plain = (
        f'<h1 class="name">{html.escape(c.name)}</h1>'
        f'<p class="phone">{c.phone_text}</p><p class="email">{c.email}</p>{details}'
    )
    ad = '<div class="sponsored">Реклама: +7 (999) 000-00-01, ads@promo.ru</div>'
    footer = "<footer>Каталог компаний, support@catalog.test, ИНН 7707083893</footer>"
    if c.style == "jsonld":
        data = {
            "@context": "https://schema.org", "@type": "LocalBusiness",
            "name": c.name, "telephone": c.phone_text, "email": c.email,
            "taxID": c.inn,
            "address": {"@type": "PostalAddress", "addressLocality": c.city},
        }  # fmt: skip
        head = f'<script type="application/ld+json">{json.dumps(data)}</script>'
        body = f"<h1>{html.escape(c.name)}</h1>{details}"
    elif c.style == "microdata":
        head = ""
        body = (
            '<div itemscope itemtype="https://schema.org/Organization">'
            f'<h1 itemprop="name">{html.escape(c.name)}</h1>'
            f'<span itemprop="telephone">{c.phone_text}</span>'
            f'<span itemprop="email">{c.email}</span>{details}</div>'
        )
    else:
        head, body = "", plain
    charset = "windows-1251" if c.style == "cp1251" else "utf-8"
    text = (
        f'<html><head><meta charset="{charset}">{title}{head}</head>'
        f"<body>{body}{ad}{footer}</body></html>"
    )
    return Page(text.encode(charset), content_type=f"text/html; charset={charset}")


def _listing(page: int, pages: int, cards: list[str]) -> Page:
    links = "".join(
        f'<li><a class="card" href="{path}">карточка</a></li>' for path in cards
    )
    after = page + 1 if page < pages else 1  # the last page loops back to the first
    extra = (
        '<a href="tel:+74951234567">call</a> <a href="mailto:a@catalog.test">mail</a> '
        '<a href="javascript:void(0)">js</a>'
    )
    text = (
        f"<html><head><title>Каталог, стр. {page}</title></head><body><ul>{links}</ul>"
        f'{extra}<a class="next" href="/catalog?page={after}">дальше</a></body></html>'
    )
    return Page(text.encode())


def directory_pages(
    companies: list[SampleCompany], per_page: int = 10, *, traps: bool = True
) -> dict[str, Page]:
    """Every page of the directory site, keyed by path (with query)."""
    pages: dict[str, Page] = {
        "/robots.txt": Page(
            b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"
        )
    }
    paths = [c.path for c in companies]
    if traps:
        paths += ["/private/hidden", "/firm/error500", "/firm/slow", "/loop/a",
                  "/firm/broken", "/firm/captcha", "/firm/decoy"]  # fmt: skip
    count = max(1, -(-len(paths) // per_page))
    for number in range(1, count + 1):
        chunk = paths[(number - 1) * per_page : number * per_page]
        pages[f"/catalog?page={number}"] = _listing(number, count, chunk)
    for company in companies:
        pages[company.path] = _card(company)
    if traps:
        pages["/private/hidden"] = Page(b"<html><h1>secret</h1></html>")
        pages["/firm/error500"] = Page(b"server error", status=500)
        pages["/firm/slow"] = Page(b"<html><h1>slow</h1></html>", delay=2.5)
        pages["/loop/a"] = Page(status=302, headers={"Location": "/loop/b"})
        pages["/loop/b"] = Page(status=302, headers={"Location": "/loop/a"})
        pages["/firm/broken"] = Page(
            "<html><head><title>ООО «Сломанный» — карточка</title><body><h1 class=name>"
            "ООО «Сломанный»<p class=phone>+7 (495) 111-22-33<p class=inn>ИНН "
            "7707083893<div><table><tr><td>unclosed".encode()
        )
        pages["/firm/decoy"] = Page(  # the body describes another company
            "<html><head><title>ООО «Ромашка» — карточка</title><meta "
            "property='og:title' content='ООО «Ромашка»'></head><body><h1>ООО "
            "«Подсолнух»</h1><p class=phone>+7 (495) 999-88-77</p><p>ИНН "
            "7707083894</p></body></html>".encode()
        )
        pages["/firm/captcha"] = Page(
            "<html><head><title>Проверка</title></head><body>Подтвердите, что вы "
            "не робот <div class='g-recaptcha'></div></body></html>".encode()
        )
    return pages


class SiteServer:
    """A threaded HTTP server on 127.0.0.1 serving `pages`; counts every fetch."""

    def __init__(self, pages: dict[str, Page], port: int = 0) -> None:
        self.pages = pages
        self.fetches: Counter[str] = Counter()
        self.times: dict[str, list[float]] = {}  # path -> monotonic fetch times
        self.lock = threading.Lock()
        self.connections = 0  # accepted (or being accepted) and not yet closed
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                with server.lock:
                    server.fetches[self.path] += 1
                    server.times.setdefault(self.path, []).append(time.monotonic())
                page = server.pages.get(self.path) or Page(b"not found", status=404)
                if page.then is not None and server.fetches[self.path] > 1:
                    page = page.then  # e.g. a 429 first, the real page after
                if page.gate is not None:
                    page.gate.wait(timeout=60)
                if page.delay:
                    time.sleep(page.delay)
                self.send_response(page.status)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(page.body)))
                for key, value in page.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(page.body)

            def log_message(self, format: str, *args: object) -> None:
                return  # quiet: tests and the benchmark count fetches instead

        class QuietServer(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                return  # a crawler that timed out and hung up: not our problem

            def get_request(self) -> tuple[socket.socket, Any]:
                # Counted before accept(), so `wait_idle` never sees a connection
                # that has left the backlog and is not counted yet.
                with server.lock:
                    server.connections += 1
                try:
                    return super().get_request()
                except OSError:
                    with server.lock:
                        server.connections -= 1
                    raise

            def shutdown_request(self, request: Any) -> None:
                try:
                    super().shutdown_request(request)
                finally:
                    with server.lock:
                        server.connections -= 1

        self.httpd = QuietServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self) -> SiteServer:
        self.thread.start()
        return self

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Wait until no connection is open or waiting to be accepted.

        A request reaches the server before the server's thread counts it; under
        load that can take tens of milliseconds. Once a crawler is killed, no new
        request can come, and when its connections are all closed every request
        it sent has been counted in `fetches`.

        Raises:
            TimeoutError: a connection is still open after `timeout` seconds.
        """
        deadline = time.monotonic() + timeout
        while True:
            # The backlog first: a connection accepted after this look is in
            # `connections` already, as get_request counts before accept().
            waiting, _, _ = select.select([self.httpd.socket], [], [], 0)
            with self.lock:
                idle = not waiting and self.connections == 0
            if idle:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.connections} connection(s) still open")
            time.sleep(0.01)

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def main() -> None:
    """Serve a sample directory until killed (used by `make demo`)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--companies", type=int, default=30)
    args = parser.parse_args()
    pages = directory_pages(sample_companies(args.companies), traps=False)
    server = SiteServer(pages, args.port)
    server.httpd.serve_forever()


if __name__ == "__main__":
    main()
