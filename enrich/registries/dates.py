"""Dates as the registers write them, and release dates from file names."""

from __future__ import annotations

import re
from datetime import date

# ФНС passport links: data-<release>-structure-<structure>.zip, each date written
# DDMMYYYY on some data sets and YYYYMMDD on others.
FNS_NAME = re.compile(r"data-(\d{8})-structure-(\d{8})", re.IGNORECASE)
ISO_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_date(text: str | None, order: str) -> date | None:
    """A date written day-month-year ("dmy", any one-character separator) or ISO
    ("ymd"); None for an empty value.

    Raises:
        ValueError: the text is not a real date in that order.

    Examples:
        parse_date("10.09.2026", "dmy") == date(2026, 9, 10)
        parse_date("01/02/2019", "dmy") == date(2019, 2, 1)
        parse_date("2023-02-28", "ymd") == date(2023, 2, 28)
    """
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    if len(text) != 10:
        raise ValueError(f"{text!r} is not a date written {_shape(order)}")
    try:
        if order == "dmy":
            return date(int(text[6:10]), int(text[3:5]), int(text[0:2]))
        return date(int(text[0:4]), int(text[5:7]), int(text[8:10]))
    except ValueError:
        raise ValueError(f"{text!r} is not a date written {_shape(order)}") from None


def _shape(order: str) -> str:
    return "DD.MM.YYYY" if order == "dmy" else "YYYY-MM-DD"


def eight_digit_date(digits: str) -> date | None:
    """A date written as 8 digits, YYYYMMDD or DDMMYYYY, whichever is a real date."""
    for year, month, day in (
        (digits[0:4], digits[4:6], digits[6:8]),
        (digits[4:8], digits[2:4], digits[0:2]),
    ):
        if 1990 <= int(year) <= 2100:
            try:
                return date(int(year), int(month), int(day))
            except ValueError:
                continue
    return None


def release_from_name(name: str) -> tuple[date | None, date | None]:
    """(release date, structure date) found in a published file's name.

    Examples:
        release_from_name("data-10112026-structure-10062025.zip")
        == (date(2026, 11, 10), date(2025, 6, 10))
        release_from_name("BasicCompanyDataAsOneFile-2026-11-01.zip")[0]
        == date(2026, 11, 1)
    """
    match = FNS_NAME.search(name)
    if match:
        return eight_digit_date(match.group(1)), eight_digit_date(match.group(2))
    iso = ISO_IN_NAME.search(name)
    if iso:
        try:
            return date(*(int(part) for part in iso.groups())), None
        except ValueError:
            return None, None
    return None, None
