"""`leadbase registry fetch` against a passport page and files served on 127.0.0.1:
the newest release is found, a dropped download resumes with Range, size and
sha256 are checked."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from enrich.registries.fetch import FetchError, download, find_release_url
from enrich.registries.sources import get_register
from leadbase.cli import cli

BODY = bytes(range(256)) * 4096  # 1 MiB
# As ФНС passport pages list them: absolute and relative links, and the schema.
PASSPORT = """<html><body><table>
<tr><td><a href="/opendata/7707329152-rsmp/data-10102026-structure-10062025.zip">
old</a></td></tr>
<tr><td><a href="data-10112026-structure-10062025.zip">new</a></td></tr>
<tr><td><a href="/opendata/7707329152-rsmp/structure-10062025.xsd">xsd</a></td></tr>
</table></body></html>"""


class Site(BaseHTTPRequestHandler):
    drop_after: int | None = None  # bytes sent before the first response is cut
    requests: ClassVar[list[str | None]] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.endswith("/"):
            self._send(200, PASSPORT.encode(), "text/html")
            return
        if not self.path.endswith("data-10112026-structure-10062025.zip"):
            self._send(404, b"not here", "text/plain")
            return
        asked = self.headers.get("Range")
        Site.requests.append(asked)
        start = int(asked.split("=")[1].rstrip("-")) if asked else 0
        body = BODY[start:]
        self.send_response(206 if start else 200)
        self.send_header("Content-Length", str(len(body)))
        if start:
            self.send_header(
                "Content-Range", f"bytes {start}-{len(BODY) - 1}/{len(BODY)}"
            )
        self.end_headers()
        if Site.drop_after is not None and not start:
            self.wfile.write(body[: Site.drop_after])
            self.wfile.flush()
            self.connection.shutdown(2)  # the connection drops mid-file
            return
        self.wfile.write(body)

    def _send(self, code: int, body: bytes, kind: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site() -> Iterator[str]:
    Site.drop_after, Site.requests = None, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/opendata/7707329152-rsmp/"
    server.shutdown()
    server.server_close()


def test_newest_release_is_found_on_the_passport_page(site: str) -> None:
    url, on = find_release_url(get_register("rmsp"), site)
    assert url == site + "data-10112026-structure-10062025.zip"
    assert on.isoformat() == "2026-11-10"
    old, _ = find_release_url(get_register("rmsp"), site, "2026-10-10")
    assert old.endswith("data-10102026-structure-10062025.zip")


def test_a_dropped_download_resumes_with_range(site: str, tmp_path: Path) -> None:
    Site.drop_after = 300_000
    url = site + "data-10112026-structure-10062025.zip"
    result = download(url, tmp_path, backoff=0)
    assert result.path.read_bytes() == BODY
    assert Site.requests == [None, "bytes=300000-"]
    assert result.sha256 == hashlib.sha256(BODY).hexdigest()
    assert not (tmp_path / (result.path.name + ".part")).exists()


def test_wrong_sha256_is_refused(site: str, tmp_path: Path) -> None:
    url = site + "data-10112026-structure-10062025.zip"
    with pytest.raises(FetchError, match=r"sha256 is .* expected 00"):
        download(url, tmp_path, expected_sha256="00" * 32)


def test_missing_file_is_a_clear_error(site: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        download(site + "data-10122026-structure-10062025.zip", tmp_path)


def test_cli_fetch(site: str, tmp_path: Path) -> None:
    done = CliRunner().invoke(
        cli,
        [
            "registry",
            "fetch",
            "rmsp",
            "--release",
            "latest",
            "--passport",
            site,
            "--out",
            str(tmp_path),
            "--sha256",
            hashlib.sha256(BODY).hexdigest(),
        ],
    )
    assert done.exit_code == 0, done.output
    assert "release 2026-11-10" in done.output and "1,048,576 bytes" in done.output
    again = CliRunner().invoke(
        cli, ["registry", "fetch", "rmsp", "--passport", site, "--out", str(tmp_path)]
    )
    assert "already downloaded" in again.output
