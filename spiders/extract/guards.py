"""Pages that must never become leads: captchas, ban notices and decoys.

A directory that suspects a robot may answer with a captcha, a ban notice, or a
decoy: a card whose body describes a different, internally consistent company while
the title, meta tags and canonical URL keep the real one (decoy OGRNs often fail
their checksum). Any of them means "stop or slow this source", never "get around it".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["PageVerdict", "judge_block_page", "judge_decoy"]

# Phrases a captcha page says to people; markup markers are checked by the caller.
_CAPTCHA = re.compile(
    r"are you a robot|вы не робот|что вы не робот|подтвердите,? что вы человек|"
    r"verify you are human|i'?m not a robot|я не робот",
    re.IGNORECASE,
)
_BAN = re.compile(
    r"access denied|доступ (?:ограничен|запрещ[её]н)|you have been blocked|"
    r"too many requests|слишком много запросов|ваш ip|your ip .{0,40} blocked|"
    r"request blocked|запрос заблокирован",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_FORMS = frozenset(
    [
        "ооо",
        "оао",
        "зао",
        "пао",
        "ао",
        "ип",
        "нко",
        "llc",
        "ltd",
        "gmbh",
        "inc",
        "corp",
        "компания",
        "company",
        "группа",
    ]
)


@dataclass(frozen=True, slots=True)
class PageVerdict:
    """Why a page is not a lead: kind "captcha", "ban", "decoy" or "rate_limit"
    (a Retry-After longer than we wait), and the reason."""

    kind: str
    reason: str


def judge_block_page(
    status: int, title: str, text: str, has_captcha_widget: bool = False
) -> PageVerdict | None:
    """A captcha or ban page, judged from its status, title, text and markup.

    Args:
        status: HTTP status.
        title: the page title.
        text: the start of the visible text.
        has_captcha_widget: the page embeds a captcha (reCAPTCHA, hCaptcha,
            SmartCaptcha, a Cloudflare challenge): an element or script whose class,
            id or src names one.
    """
    head = f"{title}\n{text[:3000]}"
    if has_captcha_widget or _CAPTCHA.search(head):
        return PageVerdict("captcha", f"captcha page (HTTP {status})")
    if status == 403 or _BAN.search(head):
        return PageVerdict("ban", f"ban notice (HTTP {status})")
    return None


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)} - _FORMS


def judge_decoy(
    name: str | None,
    title: str,
    canonical_name: str | None,
    rejected_ids: tuple[str, ...],
) -> PageVerdict | None:
    """A decoy card: its body names another company than its title says.

    Args:
        name: the company name read from the page body.
        title: the page's <title>.
        canonical_name: the name in og:title / the canonical URL slug, if any.
        rejected_ids: labelled ids on the page that failed their checksum.

    Returns:
        A "decoy" verdict when the body's name shares no word with the title and a
        second witness (og:title, or an id failing its checksum) agrees; else None.
    """
    if not name:
        return None
    body = _words(name)
    if not body or not title or body & _words(title):
        return None
    # A generic title ("Карточка компании") alone proves nothing: a second witness
    # must disagree too, the og:title or an id that fails its checksum.
    if canonical_name and body & _words(canonical_name):
        return None
    if not canonical_name and not rejected_ids:
        return None
    why = f"body names {name!r} but the title says {title!r}"
    if rejected_ids:
        why += f"; ids failing their checksum: {', '.join(rejected_ids)}"
    return PageVerdict("decoy", why)
