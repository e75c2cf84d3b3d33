"""Email addresses on a page: mailto links, text, obfuscated and cloaked forms.

Handled: "mailto:" links (query and display name dropped); plain text; "info [at]
firm [dot] ru", "info(собака)firm.ru", "info at firm dot ru" only inside brackets;
HTML entities (the parser decodes them); Cloudflare's email protection
(`data-cfemail` / `/cdn-cgi/l/email-protection#...`), decoded; JavaScript that
glues an address from string literals ("'info' + '@' + 'firm.ru'"). Every address
is checked offline by email-validator (no DNS), must not be a placeholder
("test@test.ru") and must end in a public suffix, so "roboto@2x.woff" in a font URL
is not an address. Addresses are lower-cased with the domain in Unicode, the form
dedupe's normaliser writes; the spiders do not import it (STYLE.md: `spiders`
depends on `leadbase` only).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from email_validator import EmailNotValidError, validate_email

from leadbase.reference.mail import is_placeholder_address
from leadbase.reference.web import registered_domain

__all__ = ["decode_cloudflare", "emails_in_script", "emails_in_text", "mailto_address"]

_AT = re.compile(
    r"\s*(?:[\[({<]\s*(?:at|собака|собачка|@)\s*[\])}>]|\s(?:собака|собачка)\s)\s*",
    re.IGNORECASE,
)
_DOT = re.compile(r"\s*[\[({<]\s*(?:dot|точка|\.)\s*[\])}>]\s*", re.IGNORECASE)
_CANDIDATE = re.compile(
    r"[\w.%+-]+@(?:[\w-]+\.)+[\w-]{2,}",
    re.UNICODE,
)
_JS_STRINGS = re.compile(r"""(?:(['"])(?:(?!\1).)*\1\s*\+\s*)+(['"])(?:(?!\2).)*\2""")
_HEX = re.compile(r"^[0-9a-fA-F]+$")


@lru_cache(maxsize=4096)
def _checked(candidate: str) -> str | None:
    text = unicodedata.normalize("NFC", candidate.strip(". \t")).lower()
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return None
    local, domain = checked.local_part.lower(), checked.domain.lower()
    if is_placeholder_address(local, domain):
        return None
    ascii_domain = checked.ascii_domain.lower()
    if registered_domain(ascii_domain) or registered_domain(domain):
        return f"{local}@{domain}"
    return None


def emails_in_text(text: str) -> list[str]:
    """Addresses in visible text, obfuscations undone, in order, without repeats.

    Examples:
        >>> emails_in_text("Пишите: info [at] romashka [dot] ru или Sales@Romashka.ru")
        ['info@romashka.ru', 'sales@romashka.ru']
    """
    unhidden = _DOT.sub(".", _AT.sub("@", text))
    found: dict[str, None] = {}
    for match in _CANDIDATE.finditer(unhidden):
        address = _checked(match.group().strip("."))
        if address:
            found.setdefault(address)
    return list(found)


def mailto_address(href: str) -> str | None:
    """The address of a "mailto:" link, or None when it holds none usable."""
    if not href.lower().startswith("mailto:"):
        return None
    target = unquote(urlsplit(href).path or href[7:].split("?", 1)[0])
    return _checked(target.split(",")[0].strip())


def decode_cloudflare(encoded: str) -> str | None:
    """Decode Cloudflare's email protection: hex, first byte the XOR key.

    Examples:
        >>> decode_cloudflare("543d3a323b14263b3935273c3f357a2621")
        'info@romashka.ru'
    """
    code = encoded.strip().split("#")[-1]
    if len(code) < 4 or len(code) % 2 or not _HEX.match(code):
        return None
    key = int(code[:2], 16)
    raw = bytes(int(code[i : i + 2], 16) ^ key for i in range(2, len(code), 2))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return _checked(text)


def _joined_literals(script: str) -> Iterator[str]:
    for match in _JS_STRINGS.finditer(script):
        pieces = re.findall(r"""(['"])((?:(?!\1).)*)\1""", match.group())
        yield "".join(piece for _, piece in pieces)


def emails_in_script(script: str) -> list[str]:
    """Addresses a script assembles from string literals ('info' + '@' + 'x.ru')."""
    found: dict[str, None] = {}
    for text in _joined_literals(script):
        for address in emails_in_text(text):
            found.setdefault(address)
    return list(found)
