"""Spreadsheet-safe cells: no exported value may start a formula (CSV injection).

A cell opening with = + - @ (or tab / carriage return) is run as a formula by Excel,
LibreOffice and Google Sheets. Such a cell gets a leading apostrophe, which the
spreadsheet shows as text, unless it can only be a number-like value: phones such as
"+7 (495) 123-45-67" and "-5" carry no function call and stay as they are.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HARMLESS = re.compile(r"^[+-]?[\d\s().,/-]*\d[\d\s().,/-]*$")


def safe_cell(value: object) -> str:
    """The value as text that no spreadsheet will evaluate.

    Examples:
        safe_cell("=HYPERLINK(\\"http://x\\")") == "'=HYPERLINK(\\"http://x\\")"
        safe_cell("+7 (495) 123-45-67") == "+7 (495) 123-45-67"
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not HARMLESS.match(text):
        return "'" + text
    return text
