"""Tax ids as lists write them: INN, KPP, OGRN, OGRNIP, and other countries' ids.

The ids are real public ones (Сбербанк 7707083893 / 1027700132195, Газпром,
Яндекс, Башнефть...) or built with their check digits, so each row reads as a
statement about what the normaliser does with such a cell.
"""

from __future__ import annotations

from typing import Any

import pytest

from dedupe.normalise.national_ids import normalise_national_id, parse_national_id
from dedupe.normalise.tax_ids import (
    TaxIdParse,
    normalise_inn,
    normalise_kpp,
    normalise_ogrn,
    parse_tax_ids,
)

SBER_INN, SBER_KPP, SBER_OGRN = "7707083893", "773601001", "1027700132195"
BASHNEFT_INN, BASHNEFT_OGRN = "0274051582", "1020202555240"  # region 02: a zero
SOLE_TRADER_INN, SOLE_TRADER_OGRNIP = "500100732259", "304500116000157"


def fields(parsed: TaxIdParse, expected: dict[str, Any]) -> dict[str, Any]:
    return {name: getattr(parsed, name) for name in expected}


PARSE_CASES = [
    # One id per cell, as a clean list has it.
    pytest.param(
        SBER_INN,
        {
            "inn": SBER_INN,
            "kind": "organisation",
            "region_code": "77",
            "is_valid": True,
        },
        id="10-digit INN: an organisation of region 77",
    ),
    pytest.param(
        SOLE_TRADER_INN,
        {"inn": SOLE_TRADER_INN, "kind": "sole_trader", "region_code": "50"},
        id="12-digit INN: a person, here a sole trader",
    ),
    pytest.param(
        SBER_OGRN,
        {"ogrn": SBER_OGRN, "inn": None, "kind": "organisation", "region_code": "77"},
        id="13 digits: OGRN; its digits 4-5 give the region",
    ),
    pytest.param(
        SOLE_TRADER_OGRNIP,
        {"ogrnip": SOLE_TRADER_OGRNIP, "ogrn": None, "kind": "sole_trader"},
        id="15 digits: OGRNIP of a sole trader",
    ),
    # Labels and separators.
    pytest.param("ИНН 7707083893", {"inn": SBER_INN, "flags": ()}, id="ИНН label"),
    pytest.param("ИНН: 7707083893", {"inn": SBER_INN, "flags": ()}, id="ИНН: label"),
    pytest.param("ИНН7707083893", {"inn": SBER_INN}, id="label glued to the number"),
    pytest.param("инн 7707083893", {"inn": SBER_INN}, id="lower-case label"),
    pytest.param("INN 7707083893", {"inn": SBER_INN}, id="Latin label"),
    pytest.param("№ 7707083893", {"inn": SBER_INN}, id="number sign"),
    pytest.param(
        "ОГРН 1027700132195", {"ogrn": SBER_OGRN, "flags": ()}, id="ОГРН label"
    ),
    pytest.param(
        "ОГРНИП 304500116000157", {"ogrnip": SOLE_TRADER_OGRNIP}, id="ОГРНИП label"
    ),
    # "ИНН/КПП" cells.
    pytest.param(
        "7707083893/773601001",
        {"inn": SBER_INN, "kpp": SBER_KPP, "kind": "organisation"},
        id="INN/KPP with a slash",
    ),
    pytest.param(
        "ИНН/КПП 7707083893 / 773601001",
        {"inn": SBER_INN, "kpp": SBER_KPP, "flags": ()},
        id="ИНН/КПП label, spaced slash",
    ),
    pytest.param(
        "7707083893 773601001",
        {"inn": SBER_INN, "kpp": SBER_KPP},
        id="INN and KPP separated by a space",
    ),
    pytest.param(
        "7707083893\\773601001", {"inn": SBER_INN, "kpp": SBER_KPP}, id="backslash"
    ),
    pytest.param(
        "ИНН 7707083893, КПП 773601001",
        {"inn": SBER_INN, "kpp": SBER_KPP},
        id="both labelled, comma",
    ),
    pytest.param(
        "7707083893/773601001",
        {"region_code": "77"},
        id="region code: the KPP's office region when there is a KPP",
    ),
    pytest.param(
        "7707083893/500101001",
        {"inn": SBER_INN, "kpp": "500101001", "region_code": "50"},
        id="a branch registered in region 50: the KPP names it",
    ),
    pytest.param(
        "7736207543/7704AB001",
        {"inn": "7736207543", "kpp": "7704AB001"},
        id="KPP with Latin capitals in the reason code (2019 rules)",
    ),
    pytest.param(
        "ОГРН 1027700132195 ИНН 7707083893 КПП 773601001",
        {"inn": SBER_INN, "kpp": SBER_KPP, "ogrn": SBER_OGRN, "flags": ()},
        id="a whole requisites line",
    ),
    # Excel damage.
    pytest.param(
        "7707083893.0",
        {"inn": SBER_INN, "flags": ("excel_number",)},
        id="Excel float",
    ),
    pytest.param(
        "7.707083893E9",
        {"inn": SBER_INN, "flags": ("excel_number",)},
        id="Excel scientific notation",
    ),
    pytest.param(
        "1.027700132195E+12",
        {"ogrn": SBER_OGRN, "flags": ("excel_number",)},
        id="Excel scientific notation with a plus sign",
    ),
    pytest.param(
        "274051582",
        {"inn": BASHNEFT_INN, "flags": ("leading_zero_restored",), "is_valid": True},
        id="9 digits: INN of region 02 that lost its zero in Excel",
    ),
    pytest.param(
        "274051582.0",
        {"inn": BASHNEFT_INN, "flags": ("excel_number", "leading_zero_restored")},
        id="lost zero and Excel float together",
    ),
    pytest.param(
        "27412345680",
        {"inn": "027412345680", "kind": "sole_trader"},
        id="11 digits: personal INN that lost its zero",
    ),
    pytest.param(
        "123456789",
        {"inn": None, "inn_unchecked": "123456789", "flags": ("bad_length",)},
        id="9 digits that are no INN even with a zero: bad length, digits kept",
    ),
    # Typing variants.
    pytest.param("77 07 083893", {"inn": SBER_INN}, id="digits in groups"),
    pytest.param("7707-083-893", {"inn": SBER_INN}, id="digits with dashes"),
    pytest.param(" 7707083893 ", {"inn": SBER_INN}, id="surrounding spaces"),
    pytest.param(
        "7707083893 (головной офис)",
        {"inn": SBER_INN, "is_valid": True, "flags": ("unparsed_rest",)},
        id="words after the id: kept valid, flagged",
    ),
    # Bad ids are kept for a reviewer, never silently dropped.
    pytest.param(
        "7707083894",
        {
            "inn": None,
            "inn_unchecked": "7707083894",
            "is_valid": False,
            "flags": ("bad_checksum",),
        },
        id="one digit mistyped: bad checksum, digits kept",
    ),
    pytest.param(
        "500100732258",
        {"inn": None, "inn_unchecked": "500100732258", "flags": ("bad_checksum",)},
        id="personal INN with a bad check digit",
    ),
    pytest.param(
        "1027700132196",
        {"ogrn": None, "is_valid": False, "flags": ("bad_ogrn",)},
        id="OGRN with a bad check digit",
    ),
    pytest.param(
        "1234567", {"inn_unchecked": "1234567", "flags": ("bad_length",)}, id="short"
    ),
    pytest.param(
        "КПП 7701", {"kpp": None, "flags": ("bad_length",)}, id="a KPP fragment"
    ),
    pytest.param("нет", {"is_valid": False, "flags": ("junk",)}, id="no number: junk"),
    pytest.param("-", {"flags": ("junk",)}, id="a dash for 'none'"),
    pytest.param("ИНН:", {"flags": ("junk",)}, id="a label alone"),
    pytest.param(
        "７７０７０８３８９３",
        {"inn": None, "flags": ("junk",)},
        id="full-width or Arabic-Indic digits are not an id's digits",
    ),
    pytest.param("", {"inn": None, "flags": (), "is_valid": False}, id="empty"),
    pytest.param(None, {"raw": None, "flags": ()}, id="None"),
    # Cross-checks: hints for a reviewer, not errors.
    pytest.param(
        "7707083893 1020202555240",
        {"is_valid": True, "flags": ("region_mismatch",)},
        id="OGRN registered in 02, INN in 77: region mismatch flagged",
    ),
    pytest.param(
        "500100732259 1027700132195",
        {"kind": "sole_trader", "flags": ("kind_mismatch", "region_mismatch")},
        id="personal INN with an organisation's OGRN: kind mismatch",
    ),
    pytest.param(
        "7707083893 7736050003",
        {"inn": SBER_INN, "flags": ("multiple_inn",)},
        id="two different INNs: the first kept, flagged",
    ),
    pytest.param(
        "9909009776",
        {"inn": "9909009776", "flags": ("foreign_organisation",)},
        id="9909...: an accredited foreign organisation",
    ),
]


@pytest.mark.parametrize(("value", "expected"), PARSE_CASES)
def test_parse_tax_ids(value: str | None, expected: dict[str, Any]) -> None:
    assert fields(parse_tax_ids(value), expected) == expected


def test_parse_tax_ids_keeps_the_raw_value() -> None:
    assert parse_tax_ids(" ИНН 7707083893 ").raw == " ИНН 7707083893 "


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("7707083893", SBER_INN, id="clean"),
        pytest.param("ИНН/КПП 7707083893/773601001", SBER_INN, id="from INN/KPP"),
        pytest.param("7736050003", "7736050003", id="Газпром"),
        pytest.param("7736207543", "7736207543", id="Яндекс"),
        pytest.param("0274051582", BASHNEFT_INN, id="leading zero kept"),
        pytest.param("274051582", BASHNEFT_INN, id="leading zero restored"),
        pytest.param("1644003838.0", "1644003838", id="Татнефть from Excel"),
        pytest.param("7707083894", None, id="bad checksum"),
        pytest.param("1027700132195", None, id="an OGRN is not an INN"),
        pytest.param(None, None, id="None"),
    ],
)
def test_normalise_inn(value: str | None, expected: str | None) -> None:
    assert normalise_inn(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("1027700132195", SBER_OGRN, id="OGRN"),
        pytest.param("ОГРН: 1027700070518", "1027700070518", id="Газпром labelled"),
        pytest.param("304500116000157", SOLE_TRADER_OGRNIP, id="OGRNIP"),
        pytest.param("1020202555240.0", BASHNEFT_OGRN, id="Excel float"),
        pytest.param("0027700132195", None, id="no OGRN starts with 0"),
        pytest.param("1027700132196", None, id="bad check digit"),
        pytest.param("7707083893", None, id="an INN is not an OGRN"),
    ],
)
def test_normalise_ogrn(value: str | None, expected: str | None) -> None:
    assert normalise_ogrn(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("773601001", SBER_KPP, id="9 digits in a KPP column"),
        pytest.param("КПП 773601001", SBER_KPP, id="labelled"),
        pytest.param("7704AB001", "7704AB001", id="Latin reason code"),
        pytest.param("7704аb001", "7704AB001", id="lower case"),
        pytest.param("7704АВ001", "7704AB001", id="Cyrillic look-alikes А В"),
        pytest.param("27401001", "027401001", id="8 digits: lost leading zero"),
        pytest.param("7707083893/773601001", SBER_KPP, id="from an INN/KPP cell"),
        pytest.param("7736", None, id="too short"),
        pytest.param("", None, id="empty"),
    ],
)
def test_normalise_kpp(value: str | None, expected: str | None) -> None:
    assert normalise_kpp(value) == expected


NATIONAL_CASES = [
    pytest.param("7707083893", "RU", ("inn", SBER_INN, True), id="RU: INN"),
    pytest.param("ОГРН 1027700132195", "RU", ("ogrn", SBER_OGRN, True), id="RU: OGRN"),
    pytest.param("732 829 320", "FR", ("siren", "732829320", True), id="FR SIREN"),
    pytest.param(
        "732 829 320 00074", "FR", ("siret", "73282932000074", True), id="FR SIRET"
    ),
    pytest.param(
        "FR 40 303 265 045", "FR", ("tva", "FR40303265045", True), id="FR TVA"
    ),
    pytest.param(
        "40303265045",
        "FR",
        ("tva", "FR40303265045", True),
        id="FR TVA without prefix: canonical with it",
    ),
    pytest.param("DE 136 695 976", "DE", ("vat", "DE136695976", True), id="DE VAT"),
    pytest.param(
        "Aachen HRB 44123",
        "DE",
        ("handelsregisternummer", "Aachen HRB 44123", True),
        id="DE Handelsregister",
    ),
    pytest.param("GB 980 7806 84", "GB", ("vat", "GB980780684", True), id="GB VAT"),
    pytest.param(
        "SC123456",
        "GB",
        ("company_number", "SC123456", True),
        id="GB Companies House (format only)",
    ),
    pytest.param(
        "445790",
        "GB",
        ("company_number", "00445790", True),
        id="GB company number that lost its zeros",
    ),
    pytest.param("100582333", "BY", ("unp", "100582333", True), id="BY УНП"),
    pytest.param("32855961", "UA", ("edrpou", "32855961", True), id="UA ЄДРПОУ"),
    pytest.param(
        "123 456 789 012", "KZ", ("bin", "123456789012", True), id="KZ БИН (format)"
    ),
    pytest.param("5260250995", "PL", ("nip", "PL5260250995", True), id="PL NIP"),
    pytest.param("IT 00743110157", "IT", ("iva", "IT00743110157", True), id="IT IVA"),
    pytest.param("B58378431", "ES", ("nif", "ESB58378431", True), id="ES CIF"),
    pytest.param("NL004495445B01", "NL", ("btw", "NL004495445B01", True), id="NL BTW"),
    pytest.param("ATU13585627", "AT", ("uid", "ATU13585627", True), id="AT UID"),
    pytest.param(
        "CHE-116.281.710", "ch", ("uid", "CHE116281710", True), id="CH UID, any case"
    ),
    pytest.param("5560360793", "SE", ("orgnr", "5560360793", True), id="SE orgnr"),
    pytest.param("04-2103594", "US", ("ein", "042103594", True), id="US EIN"),
    pytest.param(
        "EL 094259216", "GR", ("vat", "EL094259216", True), id="GR VAT writes EL"
    ),
    pytest.param(
        "DE136695976",
        "FR",
        ("vat", "DE136695976", True),
        id="a German VAT id filed under FR: the prefix wins",
    ),
    pytest.param("100582334", "BY", (None, None, False), id="BY bad checksum"),
    pytest.param("12345", "KZ", (None, None, False), id="KZ bad format"),
    pytest.param("37 1234 5678", "XX", (None, None, False), id="unknown country"),
]


@pytest.mark.parametrize(("value", "country", "expected"), NATIONAL_CASES)
def test_parse_national_id(
    value: str, country: str, expected: tuple[str | None, str | None, bool]
) -> None:
    parsed = parse_national_id(value, country)
    assert (parsed.kind, parsed.value, parsed.is_valid) == expected


@pytest.mark.parametrize(
    ("value", "country", "flags"),
    [
        ("DE136695976", "FR", ("country_from_prefix",)),
        ("SC123456", "GB", ("format_only",)),
        ("100582334", "BY", ("bad_checksum",)),
        ("12345", "KZ", ("bad_format",)),
        ("37 1234 5678", "XX", ("unsupported_country",)),
        ("—", "FR", ("junk",)),
    ],
)
def test_parse_national_id_flags(value: str, country: str, flags: tuple[str]) -> None:
    assert parse_national_id(value, country).flags == flags


def test_normalise_national_id_reads_an_id_the_same_with_or_without_prefix() -> None:
    assert normalise_national_id("FR40303265045", "FR") == normalise_national_id(
        "403 032 650 45", "FR"
    )
