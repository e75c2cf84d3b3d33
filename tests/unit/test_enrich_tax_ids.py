"""Validators of tax ids: a verdict with a reason, never an exception.

They judge a golden record's value, already canonical; reading messy cells
("ИНН/КПП 7707083893/773601001", Excel floats) is the normaliser's job.
"""

from __future__ import annotations

import pytest

from enrich.tax_ids import check_inn, check_kpp, check_national_id, check_ogrn
from enrich.types import Check


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("7707083893", Check(True, "7707083893"), id="Сбербанк"),
        pytest.param("0274051582", Check(True, "0274051582"), id="Башнефть, zero"),
        pytest.param("500100732259", Check(True, "500100732259"), id="personal INN"),
        pytest.param("7707 083 893", Check(True, "7707083893"), id="spaces ignored"),
        pytest.param("7707-083893", Check(True, "7707083893"), id="dashes ignored"),
        pytest.param("7707083894", Check(False, None, "bad_checksum"), id="checksum"),
        pytest.param(
            "500100732258", Check(False, None, "bad_checksum"), id="12-digit checksum"
        ),
        pytest.param("77070838", Check(False, None, "bad_length"), id="8 digits"),
        pytest.param("274051582", Check(False, None, "bad_length"), id="lost zero"),
        pytest.param("77О7083893", Check(False, None, "not_digits"), id="Cyrillic О"),
        pytest.param("ИНН 7707083893", Check(False, None, "not_digits"), id="label"),
        pytest.param("", Check(False, None, "empty"), id="empty"),
        pytest.param(None, Check(False, None, "empty"), id="None"),
    ],
)
def test_check_inn(value: str | None, expected: Check) -> None:
    assert check_inn(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("1027700132195", Check(True, "1027700132195"), id="OGRN"),
        pytest.param("304500116000157", Check(True, "304500116000157"), id="OGRNIP"),
        pytest.param(
            "1027700132196", Check(False, None, "bad_checksum"), id="bad check digit"
        ),
        pytest.param(
            "0027700132195", Check(False, None, "bad_component"), id="starts with 0"
        ),
        pytest.param(
            "504500116000157",
            Check(False, None, "bad_component"),
            id="15 digits not starting with 3 or 4",
        ),
        pytest.param("10277001321", Check(False, None, "bad_length"), id="11 digits"),
        pytest.param("1027700l32195", Check(False, None, "not_digits"), id="letter l"),
        pytest.param(None, Check(False, None, "empty"), id="None"),
    ],
)
def test_check_ogrn(value: str | None, expected: Check) -> None:
    assert check_ogrn(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("773601001", Check(True, "773601001"), id="digits"),
        pytest.param("7704AB001", Check(True, "7704AB001"), id="Latin reason code"),
        pytest.param("7704ab001", Check(True, "7704AB001"), id="lower case"),
        pytest.param("027401001", Check(True, "027401001"), id="region 02"),
        pytest.param("77360100", Check(False, None, "bad_length"), id="8 characters"),
        pytest.param("7736010011", Check(False, None, "bad_length"), id="10"),
        pytest.param("77AB01001", Check(False, None, "bad_format"), id="letters early"),
        pytest.param(
            "7704АВ001",
            Check(False, None, "bad_format"),
            id="Cyrillic letters: the normaliser fixes them, the check does not",
        ),
        pytest.param("", Check(False, None, "empty"), id="empty"),
    ],
)
def test_check_kpp(value: str | None, expected: Check) -> None:
    assert check_kpp(value) == expected


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        pytest.param("7707083893", "RU", Check(True, "7707083893"), id="RU INN"),
        pytest.param("1027700132195", "RU", Check(True, "1027700132195"), id="RU OGRN"),
        pytest.param(
            "7707083894", "RU", Check(False, None, "bad_checksum"), id="RU bad INN"
        ),
        pytest.param("12345", "RU", Check(False, None, "bad_length"), id="RU short"),
        pytest.param("732829320", "FR", Check(True, "732829320"), id="FR SIREN"),
        pytest.param(
            "73282932000074", "FR", Check(True, "73282932000074"), id="FR SIRET"
        ),
        pytest.param(
            "FR 40 303 265 045", "FR", Check(True, "FR40303265045"), id="FR TVA"
        ),
        pytest.param(
            "40303265045", "fr", Check(True, "FR40303265045"), id="TVA gets prefix"
        ),
        pytest.param(
            "DE136695976",
            "FR",
            Check(True, "DE136695976"),
            id="EU VAT prefix overrides the country",
        ),
        pytest.param("GB980780684", "GB", Check(True, "GB980780684"), id="GB VAT"),
        pytest.param("00445790", "GB", Check(True, "00445790"), id="GB company number"),
        pytest.param("100582333", "BY", Check(True, "100582333"), id="BY УНП"),
        pytest.param(
            "100582334", "BY", Check(False, None, "bad_checksum"), id="BY checksum"
        ),
        pytest.param("32855961", "UA", Check(True, "32855961"), id="UA ЄДРПОУ"),
        pytest.param(
            "123456789012", "KZ", Check(True, "123456789012"), id="KZ БИН format"
        ),
        pytest.param("1234", "KZ", Check(False, None, "bad_format"), id="KZ short"),
        pytest.param(
            "123", "XX", Check(False, None, "unsupported_country"), id="unknown"
        ),
        pytest.param("", "FR", Check(False, None, "empty"), id="empty"),
    ],
)
def test_check_national_id(value: str, country: str, expected: Check) -> None:
    assert check_national_id(value, country) == expected


@pytest.mark.parametrize(
    "value", ["", " ", "ИНН", "７７０７０８３８９３", "٧٧٠٧٠٨٣٨٩٣", "\x00", "7" * 200]
)
def test_validators_never_raise_on_odd_text(value: str) -> None:
    for check in (check_inn, check_ogrn, check_kpp):
        assert check(value).ok is False
    assert check_national_id(value, "DE").ok is False
