"""Postcodes by country: find one in an address, write it the country's way."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

__all__ = ["find_postcode", "normalise_postcode"]

_Format = Callable[[tuple[str, ...]], str]


def _joined(separator: str) -> _Format:
    return lambda groups: separator.join(g for g in groups if g)


def _prefixed(prefix: str) -> _Format:
    return lambda groups: prefix + groups[0]


_PLAIN = _joined("")
# Old European mail prefixes: "D-10115", "F-75008", "CH-8001", "FIN-00100".
_EU = r"(?:[A-Z]{1,3}-)?"
# Country -> (pattern, canonical writer). Patterns hold no anchors: they are
# searched inside an address between non-alphanumerics, or matched whole.
_SPECS: dict[str, tuple[str, _Format]] = {
    "RU": (r"([1-6][0-9]{2}) ?([0-9]{3})", _PLAIN),
    "BY": (r"(2[0-9]{2}) ?([0-9]{3})", _PLAIN),
    "GB": (r"([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})", _joined(" ")),
    "IE": (r"([AC-FHKNPRTV-Y][0-9]{2}|D6W) ?([0-9AC-FHKNPRTV-Y]{4})", _joined(" ")),
    "US": (r"([0-9]{5})(?:[ -]?([0-9]{4}))?", _joined("-")),
    "CA": (r"([A-Z][0-9][A-Z]) ?([0-9][A-Z][0-9])", _joined(" ")),
    "NL": (r"([1-9][0-9]{3}) ?([A-Z]{2})", _joined(" ")),
    "PL": (r"([0-9]{2})-?([0-9]{3})", _joined("-")),
    "PT": (r"([0-9]{4})-?([0-9]{3})", _joined("-")),
    "BR": (r"([0-9]{5})-?([0-9]{3})", _joined("-")),
    "JP": (r"([0-9]{3})-?([0-9]{4})", _joined("-")),
    "LV": (r"(?:LV)?[ -]?([0-9]{4})", _prefixed("LV-")),
    "LT": (r"(?:LT)?[ -]?([0-9]{5})", _prefixed("LT-")),
    "MD": (r"(?:MD)?[ -]?([0-9]{4})", _prefixed("MD-")),
    "AZ": (r"(?:AZ)?[ -]?([0-9]{4})", _prefixed("AZ ")),
}
for _cc in ["CZ", "SK", "SE", "GR"]:
    _SPECS[_cc] = (_EU + r"([0-9]{3}) ?([0-9]{2})", _joined(" "))
for _cc in ["KZ", "KG", "UZ", "TJ", "TM", "CN", "IN", "RO", "SG", "VN"]:
    _SPECS[_cc] = (r"([0-9]{3}) ?([0-9]{3})", _PLAIN)
for _cc in [
    "UA",
    "DE",
    "FR",
    "IT",
    "ES",
    "FI",
    "EE",
    "HR",
    "TR",
    "MX",
    "MY",
    "KR",
    "MA",
    "DZ",
    "ID",
    "TH",
    "ME",
    "RS",
]:
    _SPECS[_cc] = (_EU + r"([0-9]{5})", _PLAIN)
for _cc in [
    "AT",
    "BE",
    "BG",
    "CH",
    "DK",
    "HU",
    "LU",
    "NO",
    "SI",
    "AM",
    "GE",
    "AU",
    "NZ",
    "ZA",
    "PH",
    "TN",
    "CY",
    "MK",
    "AL",
]:
    _SPECS[_cc] = (_EU + r"([0-9]{4})", _PLAIN)

_WHOLE = {cc: re.compile(p, re.ASCII) for cc, (p, _) in _SPECS.items()}
_INSIDE = {
    cc: re.compile(rf"(?<![A-Z0-9]){p}(?![A-Z0-9])", re.ASCII | re.IGNORECASE)
    for cc, (p, _) in _SPECS.items()
}
# Excel drops the leading zero of these countries' numeric codes ("01067" Dresden).
_ZERO_WIDTH = {cc: 5 for cc in ["US", "DE", "FR", "IT", "ES", "FI", "MX", "UA"]} | {
    "KZ": 6
}
_EXCEL_RE = re.compile(r"([0-9]+)\.0+", re.ASCII)
_GENERIC_RE = re.compile(r"[A-Z0-9][A-Z0-9 -]{1,9}", re.ASCII)
_SPACES_RE = re.compile(r"\s+")


def find_postcode(text: str, country: str) -> tuple[str, int, int] | None:
    """Return (canonical postcode, start, end) of the first postcode in text.

    Examples:
        >>> find_postcode("10 Downing St, London sw1a 2aa", "GB")
        ('SW1A 2AA', 22, 30)
    """
    pattern = _INSIDE.get(country)
    if pattern is None:
        return None
    match = pattern.search(text)
    if match is None:
        return None
    groups = tuple(g.upper() if g else g for g in match.groups())
    return _SPECS[country][1](groups), match.start(), match.end()


@lru_cache(maxsize=16384)
def _normalise(value: str, country: str) -> str | None:
    text = _SPACES_RE.sub(" ", value.strip().upper())
    excel = _EXCEL_RE.fullmatch(text)
    text = excel.group(1) if excel else text
    width = _ZERO_WIDTH.get(country)
    if width and text.isascii() and text.isdigit() and width - 2 <= len(text) < width:
        text = text.zfill(width)  # a code that lost its leading zero in Excel
    pattern = _WHOLE.get(country)
    if pattern is None:
        # Unknown country: any short code of letters and digits, as written.
        has_digit = any(ch.isdigit() for ch in text)
        return text if has_digit and _GENERIC_RE.fullmatch(text) else None
    match = pattern.fullmatch(text)
    return _SPECS[country][1](match.groups()) if match else None


def normalise_postcode(value: str | None, country: str | None = "RU") -> str | None:
    """Return the postcode written the country's way, or None if it is not one.

    Args:
        value: a postcode cell: "sw1a1aa", "D-10115", "2134" (Excel lost a zero).
        country: ISO alpha-2 code; None or unknown: any short code is kept as
            written (upper case, single spaces).

    Examples:
        >>> normalise_postcode("sw1a1aa", "GB"), normalise_postcode("1234ab", "NL")
        ('SW1A 1AA', '1234 AB')
    """
    if value is None:
        return None
    return _normalise(value, (country or "").strip().upper())
