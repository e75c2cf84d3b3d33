"""Phone validator as documentation: one number -> Check(ok, canonical, reason)."""

from __future__ import annotations

import pytest

from enrich.phones import check_phone
from enrich.types import Check

CASES = [
    ("+74951234567", "RU", Check(True, "+74951234567"), "canonical Moscow number"),
    ("8 (495) 123-45-67", "RU", Check(True, "+74951234567"), "as written in Russia"),
    ("8-800-555-35-35", "RU", Check(True, "+78005553535"), "toll-free"),
    ("+74951234567;ext=12", "RU", Check(True, "+74951234567;ext=12"), "extension"),
    ("8 (495) 123-45-67 доб. 12", "RU", Check(True, "+74951234567;ext=12"), "доб."),
    ("+44 20 7946 0958", "RU", Check(True, "+442079460958"), "foreign, with plus"),
    ("(212) 555-0123", "US", Check(True, "+12125550123"), "US national form"),
    (
        "+7 (399) 123-45-67",
        "RU",
        Check(False, "+73991234567", "invalid_number"),
        "range",
    ),
    ("123-45-67", "RU", Check(False, None, "no_area_code"), "local number"),
    ("12", "RU", Check(False, None, "too_short"), "two digits"),
    ("+999 123 456 789", "RU", Check(False, None, "bad_country_code"), "no such code"),
    ("8 495 123 45 67", None, Check(False, None, "bad_country_code"), "no region"),
    ("+7 495 123 45 67 89 00 11", "RU", Check(False, None, "too_long"), "too long"),
    ("нет", "RU", Check(False, None, "not_a_number"), "junk"),
    ("", "RU", Check(False, None, "empty"), "empty"),
    (None, "RU", Check(False, None, "empty"), "None"),
]


@pytest.mark.parametrize(
    ("value", "region", "expected"),
    [(value, region, expected) for value, region, expected, _ in CASES],
    ids=[why for *_, why in CASES],
)
def test_check_phone(value: str | None, region: str | None, expected: Check) -> None:
    assert check_phone(value, region) == expected
