"""`leadbase registry fetch`: find a release on the data set's passport page and
download it resumably (HTTP Range), checking its size and sha256.

A download in progress lives in `<name>.part`; a second run after a dropped
connection or a kill continues from where it stopped.
"""

from __future__ import annotations

import hashlib
import http.client
import re
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin, urlsplit
from urllib.request import Request, urlopen

from enrich.registries.dates import eight_digit_date
from enrich.registries.sources import Register
from leadbase import __version__
from leadbase.errors import LeadbaseError

USER_AGENT = f"leadbase/{__version__} (registry fetch)"
LINK = re.compile(r"""(?:href\s*=\s*["']?|(?<![\w/.-]))([^"'\s<>,]+\.zip)""", re.I)
CHUNK = 1 << 20
MAX_PAGE = 5 << 20


class FetchError(LeadbaseError):
    """Raised by `registry fetch`: no release link, HTTP failure, size or sha256
    mismatch. The message says what to do."""


@dataclass
class FetchResult:
    url: str
    path: Path
    size: int
    sha256: str
    resumed_from: int = 0
    already: bool = False


def find_release_url(
    register: Register, page_url: str, release: str = "latest", timeout: float = 60
) -> tuple[str, date]:
    """The data file's URL and release date for `release` ("latest" or an ISO date).

    Raises:
        FetchError: the page cannot be read or lists no matching release.
    """
    if register.link is None:
        raise FetchError(
            f"{register.name} has no dated release links to follow; download the "
            "file yourself and run `leadbase registry import`"
        )
    try:
        with urlopen(_request(page_url), timeout=timeout) as response:
            page = response.read(MAX_PAGE).decode("utf-8", errors="replace")
    except (HTTPError, URLError, OSError) as exc:
        raise FetchError(f"cannot read the passport page {page_url}: {exc}") from exc
    found: dict[date, str] = {}
    for link in LINK.findall(page):
        match = register.link.search(link.rsplit("/", 1)[-1])
        on = _link_date(match.group(1)) if match else None
        if on is not None:
            found.setdefault(on, urljoin(page_url, link))
    if not found:
        raise FetchError(
            f"no {register.name} data link ({register.link.pattern}) on {page_url}; "
            "has the page moved? pass --passport URL"
        )
    if release == "latest":
        on = max(found)
    else:
        on = date.fromisoformat(release)
        if on not in found:
            known = ", ".join(d.isoformat() for d in sorted(found))
            raise FetchError(
                f"no release dated {release} on {page_url}; listed: {known}"
            )
    return found[on], on


def _link_date(text: str) -> date | None:
    if len(text) == 8 and text.isdigit():
        return eight_digit_date(text)
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def download(
    url: str,
    directory: Path,
    *,
    expected_sha256: str | None = None,
    attempts: int = 5,
    timeout: float = 60,
    backoff: float = 2.0,
) -> FetchResult:
    """Download `url` into `directory`, resuming a partial download.

    Raises:
        FetchError: every attempt failed (the partial file is kept for the next
            run), the size differs from the server's, or the sha256 differs.
    """
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / Path(urlsplit(url).path).name
    if final.exists():
        digest = sha256_of(final)
        _check_sha(final, digest, expected_sha256)
        return FetchResult(url, final, final.stat().st_size, digest, already=True)
    part = final.with_name(final.name + ".part")
    resumed_from = part.stat().st_size if part.exists() else 0
    last: Exception | None = None
    for attempt in range(attempts):
        try:
            _fetch_once(url, part, timeout)
            break
        except (URLError, OSError, http.client.HTTPException, _Incomplete) as exc:
            if isinstance(exc, HTTPError) and exc.code < 500 and exc.code != 416:
                raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
            last = exc
            time.sleep(backoff * attempt)
    else:
        have = part.stat().st_size if part.exists() else 0
        raise FetchError(
            f"could not download {url} after {attempts} attempts ({last}); "
            f"{have:,} bytes kept in {part}: run the command again to resume"
        )
    digest = sha256_of(part)
    _check_sha(part, digest, expected_sha256)
    part.replace(final)
    return FetchResult(url, final, final.stat().st_size, digest, resumed_from)


class _Incomplete(Exception):
    """The body ended before the size the server announced."""


def _fetch_once(url: str, part: Path, timeout: float) -> None:
    have = part.stat().st_size if part.exists() else 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    try:
        response = urlopen(_request(url, headers), timeout=timeout)
    except HTTPError as exc:
        if exc.code == 416:  # our partial file is bigger than the file: start over
            part.unlink(missing_ok=True)
        raise
    with response:
        if have and response.status == 206:
            total = _total_from_range(response.headers.get("Content-Range"))
            mode = "ab"
        else:
            length = response.headers.get("Content-Length")
            total, mode = (int(length) if length else None), "wb"
        with part.open(mode) as handle:
            while chunk := response.read(CHUNK):
                handle.write(chunk)
    size = part.stat().st_size
    if total is not None and size != total:
        raise _Incomplete(f"got {size:,} of {total:,} bytes")


def _total_from_range(header: str | None) -> int | None:
    # "bytes 100-999/1000"
    if not header or "/" not in header:
        return None
    total = header.rsplit("/", 1)[1]
    return int(total) if total.isdigit() else None


def _request(url: str, headers: dict[str, str] | None = None) -> Request:
    return Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _check_sha(path: Path, digest: str, expected: str | None) -> None:
    if expected and digest != expected.lower():
        raise FetchError(
            f"{path}: sha256 is {digest}, expected {expected}; the file is damaged "
            "or not the release you meant: delete it and run the command again"
        )
