"""Phone normalisation as documentation: cell as written -> canonical number(s)."""

from __future__ import annotations

import pytest

from dedupe.normalise.phones import (
    PhoneParse,
    normalise_phone,
    normalise_phones,
    parse_phones,
)
from leadbase.enums import PhoneKind

# Russian cells read with the default region "RU".
RUSSIAN = [
    ("8 (495) 123-45-67", "+74951234567", "trunk prefix 8 and brackets"),
    ("+7 (495) 123-45-67", "+74951234567", "international form"),
    ("+7(916)1234567", "+79161234567", "no spaces at all"),
    ("7 495 1234567", "+74951234567", "country code without the plus"),
    ("495 123 45 67", "+74951234567", "no trunk prefix, ten digits"),
    ("4951234567", "+74951234567", "ten bare digits"),
    ("84951234567", "+74951234567", "eleven bare digits with 8"),
    ("74951234567", "+74951234567", "eleven bare digits with 7"),
    ("+74951234567", "+74951234567", "already E.164"),
    ("8-800-555-35-35", "+78005553535", "toll-free with dashes"),
    ("8 (800) 555-35-35", "+78005553535", "toll-free with brackets"),
    ("8 (8452) 12-34-56", "+78452123456", "four-digit area code (Saratov)"),
    ("8 (81153) 2-12-34", "+78115321234", "five-digit area code"),
    ("8.495.123.45.67", "+74951234567", "dots as separators"),
    (
        "+7\u00a0495\u00a0123\u201345\u201367",
        "+74951234567",
        "no-break spaces, en dashes",
    ),
    ("  8 (495) 123-45-67  ", "+74951234567", "surrounding whitespace"),
    ("+7 (495) 123-45-67, доб. 123", "+74951234567;ext=123", "доб. after a comma"),
    ("8 (495) 123-45-67 доб. 123", "+74951234567;ext=123", "доб. extension"),
    ("8 (495) 123-45-67 доб 123", "+74951234567;ext=123", "доб without a dot"),
    ("8 (812) 123-45-67 доп. 12", "+78121234567;ext=12", "доп. extension"),
    ("+7 495 123-45-67 вн. 45", "+74951234567;ext=45", "вн. extension"),
    ("+7 495 123-45-67 (внутр. 45)", "+74951234567;ext=45", "внутр. in brackets"),
    ("+7 495 123 45 67 ext. 7", "+74951234567;ext=7", "ext. extension"),
    ("+7 495 123-45-67 #12", "+74951234567;ext=12", "# extension"),
    ("+7 495 123-45-67 x12", "+74951234567;ext=12", "x extension"),
    ("+74951234567;ext=123", "+74951234567;ext=123", "canonical form is kept"),
    ("тел. 8 (495) 123-45-67", "+74951234567", "label before the number"),
    ("Иван, моб. +7 916 123-45-67 (с 9 до 18)", "+79161234567", "words around it"),
    ("8 916 123 45 67", "+79161234567", "mobile"),
    ("8-9161234567", "+79161234567", "one dash after the trunk prefix"),
    ("+7 701 123 45 67", "+77011234567", "Kazakh mobile shares +7"),
    ("123-45-67", None, "no area code: nothing to key on"),
    ("8 (999) 999-99-99", None, "repeated digits are a placeholder"),
    ("8 (000) 123-45-67", None, "no +7 range starts with 0"),
    ("нет", None, "junk"),
    ("-", None, "dash for nothing"),
    ("", None, "empty"),
    (None, None, "None"),
    ("ИНН 7707083893", None, "a tax id is not a phone"),
    ("12", None, "too short"),
    ("８ (４９５) １２３-４５-６７", "+74951234567", "full-width digits"),
    ("тел.: 8 (495) 123-45-67 (бухгалтерия)", "+74951234567", "note after the number"),
    ("Тел./факс: (495) 123-45-67", "+74951234567", "phone-and-fax label"),
]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(cell, expected) for cell, expected, _ in RUSSIAN],
    ids=[why for _, _, why in RUSSIAN],
)
def test_normalise_phone_russian(cell: str | None, expected: str | None) -> None:
    assert normalise_phone(cell) == expected


INTERNATIONAL = [
    ("+44 20 7946 0958", "RU", "+442079460958", "UK number in a Russian source"),
    ("020 7946 0958", "GB", "+442079460958", "UK national form"),
    ("(212) 555-0123", "US", "+12125550123", "US national form"),
    ("+1 212-555-0123 ext. 45", "US", "+12125550123;ext=45", "US with extension"),
    ("+49 30 123456", "RU", "+4930123456", "German number, any region"),
    ("030 123456", "DE", "+4930123456", "German national form"),
    ("00 44 20 7946 0958", "RU", "+442079460958", "00 international prefix"),
    ("8 10 44 20 7946 0958", "RU", "+442079460958", "Russian 8~10 prefix"),
    ("380441234567", "RU", "+380441234567", "Ukrainian number without its plus"),
    ("+375 17 123-45-67", "RU", "+375171234567", "Belarus"),
    ("8 (7172) 12-34-56", "KZ", "+77172123456", "Kazakh trunk prefix"),
    ("+7 495 123 45 67", None, "+74951234567", "no region: plus numbers still read"),
    ("8 495 123 45 67", None, None, "no region: a national form cannot be placed"),
    ("8 495 123 45 67", "ru", "+74951234567", "region code in lower case"),
    ("8 495 123 45 67", "XX", None, "unknown region acts as none"),
]


@pytest.mark.parametrize(
    ("cell", "region", "expected"),
    [(cell, region, expected) for cell, region, expected, _ in INTERNATIONAL],
    ids=[why for *_, why in INTERNATIONAL],
)
def test_normalise_phone_international(
    cell: str, region: str | None, expected: str | None
) -> None:
    assert normalise_phone(cell, region) == expected


SEVERAL = [
    ("8 (495) 123-45-67, 8 (916) 123-45-67", ("+74951234567", "+79161234567"), "comma"),
    ("8 495 1234567; 8 916 1234567", ("+74951234567", "+79161234567"), "semicolon"),
    ("8 495 1234567\n8 916 1234567", ("+74951234567", "+79161234567"), "new line"),
    ("8 495 1234567 / 8 916 1234567", ("+74951234567", "+79161234567"), "slash"),
    ("8(495)1234567/8(916)1234567", ("+74951234567", "+79161234567"), "tight slash"),
    ("8 495 1234567 или 8 916 1234567", ("+74951234567", "+79161234567"), "или"),
    ("8 495 123-45-67 8 916 123-45-67", ("+74951234567", "+79161234567"), "spaces"),
    ("+7 495 123 45 67 +7 916 123 45 67", ("+74951234567", "+79161234567"), "two +7"),
    (
        "тел. 8(495)1234567, факс 8(495)7654321",
        ("+74951234567", "+74957654321"),
        "phone and fax with labels",
    ),
    ("8 495 123-45-67, +7 (495) 123-45-67", ("+74951234567",), "same number twice"),
    ("8 495 123-45-67 доб. 1, доб. 2", ("+74951234567;ext=1",), "dangling extension"),
    ("тел 8 495 123-45-67, ИНН 7707083893", ("+74951234567",), "tax id set aside"),
    ("123-45-67, 8 916 123 45 67", ("+79161234567",), "local number skipped"),
    (
        "моб: 89161234567, раб: 8 495 123 45 67 доб 12",
        ("+79161234567", "+74951234567;ext=12"),
        "labelled pieces",
    ),
]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(cell, expected) for cell, expected, _ in SEVERAL],
    ids=[why for _, _, why in SEVERAL],
)
def test_normalise_phones_several_per_cell(
    cell: str, expected: tuple[str, ...]
) -> None:
    assert normalise_phones(cell) == expected


KINDS = [
    ("8 (495) 123-45-67", PhoneKind.FIXED, "Moscow landline"),
    ("8 916 123 45 67", PhoneKind.MOBILE, "Russian mobile"),
    ("8-800-555-35-35", PhoneKind.TOLL_FREE, "8-800"),
    ("+44 20 7946 0958", PhoneKind.FIXED, "London landline"),
    ("+44 7911 123456", PhoneKind.MOBILE, "UK mobile"),
    ("+1 212 555 0123", PhoneKind.UNKNOWN, "US: fixed or mobile, metadata can't tell"),
    ("123-45-67", PhoneKind.UNKNOWN, "incomplete number"),
]


@pytest.mark.parametrize(
    ("cell", "kind"),
    [(cell, kind) for cell, kind, _ in KINDS],
    ids=[why for _, _, why in KINDS],
)
def test_phone_kind_uses_leadbase_vocabulary(cell: str, kind: PhoneKind) -> None:
    assert parse_phones(cell)[0].kind == kind.value


FLAGS = [
    ("123-45-67", ("no_area_code",), "local number, area code missing"),
    ("12-34-56", ("no_area_code",), "six-digit local number"),
    ("8 (999) 999-99-99", ("placeholder",), "repeated digits"),
    ("+7 (123) 456-78-90", ("placeholder",), "counting digits"),
    ("8 (000) 123-45-67", ("invalid",), "unassigned range"),
    ("+7 (399) 123-45-67", ("invalid",), "unused area code"),
    ("нет", ("junk",), "no digits at all"),
    ("звонить менеджеру", ("junk",), "words only"),
    ("ИНН 7707083893", ("tax_id",), "labelled INN"),
    ("ОГРН 1027700132195", ("tax_id",), "labelled OGRN"),
    ("12", ("too_short",), "two digits"),
    ("+999 123 456 789", ("bad_country_code",), "no such country code"),
    ("380441234567", ("missing_plus",), "a plus was dropped"),
    ("факс 8 (495) 765-43-21", ("fax",), "labelled fax"),
    ("8 (495) 123-45-67", (), "nothing to report"),
]


@pytest.mark.parametrize(
    ("cell", "flags"),
    [(cell, flags) for cell, flags, _ in FLAGS],
    ids=[why for _, _, why in FLAGS],
)
def test_parse_phones_flags(cell: str, flags: tuple[str, ...]) -> None:
    assert parse_phones(cell)[0].flags == flags


def test_parse_phones_full_record() -> None:
    assert parse_phones("8 (495) 123-45-67 доб. 12") == (
        PhoneParse(
            raw="8 (495) 123-45-67 доб. 12",
            e164="+74951234567",
            extension="12",
            kind="fixed",
            is_valid=True,
            region="RU",
            national="+7 495 123-45-67",
        ),
    )


def test_local_number_keeps_its_digits_for_review() -> None:
    (parsed,) = parse_phones("123-45-67")
    assert (parsed.e164, parsed.national, parsed.region) == (None, "1234567", "RU")


def test_several_numbers_keep_their_own_raw_piece() -> None:
    raws = [p.raw for p in parse_phones("8 (495) 123-45-67, 8 (916) 765-43-21")]
    assert raws == ["8 (495) 123-45-67", "8 (916) 765-43-21"]


def test_empty_cell_gives_no_parse() -> None:
    assert parse_phones("   ") == ()
    assert parse_phones(None) == ()


def test_kazakh_region_reported() -> None:
    assert parse_phones("+7 701 123 45 67")[0].region == "KZ"


def test_extension_is_outside_e164() -> None:
    (parsed,) = parse_phones("+7 495 123-45-67 доб. 123")
    assert (parsed.e164, parsed.extension) == ("+74951234567", "123")


def test_dates_and_prices_in_text_are_not_phones() -> None:
    cell = "звонить с 01.02.2024, прайс 1 200 000 руб, тел. 8 (495) 123-45-67"
    assert normalise_phones(cell) == ("+74951234567",)


def test_repeated_values_are_parsed_once() -> None:
    parse_phones.cache_clear()
    for _ in range(3):
        parse_phones("8 (495) 123-45-67")
    assert parse_phones.cache_info().hits == 2
