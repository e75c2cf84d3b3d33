"""Phone numbers on a page: `tel:` links and text, via phonenumbers' matcher.

Text is full of digit runs that phonenumbers would accept: share capital ("уставный
капитал 8 126 612 911 руб."), dates, INNs, OGRNs, prices, bank accounts. A match is
kept only when phonenumbers finds it valid for the region and its neighbourhood does
not say it is money, a date or an id. A `tel:` link whose number differs from its
visible text is resolved deliberately: the visible number wins (it is what the
company publishes and what people dial; links are often left over from a template),
and the disagreement is reported so a reviewer can see both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

import phonenumbers as pn
from phonenumbers import Leniency, PhoneNumberMatcher

__all__ = ["TelLink", "e164", "phones_in_text", "resolve_tel_link"]

# Words before a number that make it something else than a phone.
_NOT_PHONE_BEFORE = re.compile(
    r"(капитал|capital|инн|огрн|огрнип|кпп|окпо|окато|октмо|бик|bic|swift|iban|"
    r"р/с|к/с|сч[её]т|account|inn|ogrn|kpp|vat|рег\.? ?номер|reg\.? ?no|"
    r"цена|стоимость|price|сумм|оборот|выручк|revenue|№|лиценз|licen[cs]e)"
    r"[^0-9\n]{0,12}$",
    re.IGNORECASE,
)
# Words right after a number that make it money or a quantity.
_NOT_PHONE_AFTER = re.compile(
    r"^\s*(руб|₽|р\.|rub|usd|eur|\$|€|£|%|тыс|млн|млрд|шт|kg|кг|лет|year|г\.|года?\b)",
    re.IGNORECASE,
)
_DATE = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$")
_PLAIN_DIGITS = re.compile(r"^\d+$")


@dataclass(frozen=True, slots=True)
class TelLink:
    """What a `tel:` link resolved to.

    Attributes:
        phone: the number to keep (E.164), or None.
        conflict: (link number, visible number) when they disagreed, else None.
    """

    phone: str | None
    conflict: tuple[str, str] | None = None


def _is_money_or_id(text: str, start: int, end: int, raw: str) -> bool:
    if _NOT_PHONE_BEFORE.search(text[max(0, start - 40) : start]):
        return True
    if _NOT_PHONE_AFTER.match(text[end : end + 8]):
        return True
    if _DATE.match(raw.strip()):
        return True
    # A bare run of 10+ digits with no "+" or separators is an id, not a phone.
    return bool(_PLAIN_DIGITS.match(raw) and len(raw) >= 10)


def phones_in_text(text: str, region: str | None) -> list[str]:
    """E.164 numbers written in visible text, in order, without repeats.

    Args:
        text: visible text of a page.
        region: ISO country for numbers written without "+" (from the site's TLD
            or the company's country); None reads only "+" numbers.

    Examples:
        >>> phones_in_text("Тел.: 8 (495) 123-45-67. Уставный капитал "
        ...                "8 126 612 911 руб.", "RU")
        ['+74951234567']
    """
    found: dict[str, None] = {}
    for match in PhoneNumberMatcher(text, region, leniency=Leniency.VALID):
        if _is_money_or_id(text, match.start, match.end, match.raw_string):
            continue
        number = match.number
        found.setdefault(pn.format_number(number, pn.PhoneNumberFormat.E164))
    return list(found)


def e164(text: str, region: str | None) -> str | None:
    """One number written alone ("8 (495) 123-45-67") as E.164, or None.

    The number must be valid by phonenumbers' metadata. Dedupe's normaliser reads
    phone cells much more loosely; spiders keep to phonenumbers (STYLE.md: `spiders`
    depends on `leadbase` only, never on `dedupe`).

    Examples:
        >>> e164("8 (495) 123-45-67", "RU")
        '+74951234567'
    """
    try:
        number = pn.parse(text, region)
    except pn.NumberParseException:
        return None
    if not pn.is_valid_number(number):
        return None
    return pn.format_number(number, pn.PhoneNumberFormat.E164)


def _tel_number(href: str, region: str | None) -> str | None:
    target = unquote(href.split(":", 1)[1]) if ":" in href else href
    return e164(target.split(";")[0].strip(), region or "RU")


def resolve_tel_link(href: str, visible: str, region: str | None) -> TelLink:
    """Resolve a `tel:` link against the text it shows.

    Examples:
        >>> resolve_tel_link("tel:+74951234567", "+7 (495) 765-43-21", "RU")
        TelLink(phone='+74957654321', conflict=('+74951234567', '+74957654321'))
    """
    linked = _tel_number(href, region)
    shown = phones_in_text(visible, region)
    if not shown:
        return TelLink(linked)
    if linked is None or linked == shown[0]:
        return TelLink(shown[0])
    return TelLink(shown[0], conflict=(linked, shown[0]))
