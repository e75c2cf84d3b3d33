"""Properties of the tax-id and address normalisers, checked with hypothesis.

Every normaliser is idempotent and never raises on any string; an address key
does not change with case, abbreviation style, punctuation, spacing or the order
of the parts; an INN reads the same however a list formats it.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.ru import inn as stdnum_inn

from dedupe.normalise.addresses import (
    address_key,
    normalise_address,
    normalise_city,
    normalise_postcode,
    parse_address,
)
from dedupe.normalise.national_ids import normalise_national_id, parse_national_id
from dedupe.normalise.tax_ids import (
    normalise_inn,
    normalise_kpp,
    normalise_ogrn,
    parse_tax_ids,
)
from enrich.tax_ids import check_inn, check_kpp, check_national_id, check_ogrn

SETTINGS = settings(max_examples=300, deadline=None)

# Text that looks like the cells these normalisers meet: Cyrillic, Latin,
# digits, quotes, the punctuation of addresses, and the markers themselves.
_CHARS = st.sampled_from(
    list("абвгдеёжзиклмнопрстуфхцчшщыьэюяАБВГДЕЁКЛМНОПРСТУabcxyzABCXYZ")
    + list("0123456789 ,.;:-/\\\"'«»()№\n\t")
)
_WORDS = st.sampled_from(
    [
        "г.", "г", "город", "ул.", "улица", "пр-т", "пр.", "пер.", "ш.", "б-р",
        "наб.", "пл.", "мкр", "д.", "д", "дом", "вл.", "к.", "корп.", "стр.", "с",
        "лит.", "оф.", "офис", "кв.", "кв/оф", "пом.", "этаж", "обл.", "край",
        "Республика", "р-н", "пос.", "Россия", "Москва", "СПб", "Moscow", "st.",
        "Ленина", "Невский", "Tverskaya", "Новый", "Город", "Д.", "Бедного",
        "1-я", "2-й", "8", "Марта", "5", "5А", "5/2", "12", "123456", "ИНН", "КПП",
        "ОГРН", "7707083893", "773601001", "1027700132195", "/", ",", ", ", " ",
    ]
)  # fmt: skip
CELLS = st.one_of(
    st.text(),
    st.text(_CHARS),
    st.lists(_WORDS, max_size=12).map(" ".join),
    st.lists(_WORDS, max_size=12).map("".join),
)

NORMALISERS: dict[str, Callable[[str | None], str | None]] = {
    "inn": normalise_inn,
    "kpp": normalise_kpp,
    "ogrn": normalise_ogrn,
    "national_id FR": lambda v: normalise_national_id(v, "FR"),
    "national_id GB": lambda v: normalise_national_id(v, "GB"),
    "national_id DE": lambda v: normalise_national_id(v, "DE"),
    "city": normalise_city,
    "city, country unknown": lambda v: normalise_city(v, None),
    "postcode": normalise_postcode,
    "postcode GB": lambda v: normalise_postcode(v, "GB"),
    "postcode US": lambda v: normalise_postcode(v, "US"),
    "postcode unknown": lambda v: normalise_postcode(v, None),
    "address": normalise_address,
    "address, country unknown": lambda v: normalise_address(v, None),
    "address BY": lambda v: normalise_address(v, "BY"),
    "address DE": lambda v: normalise_address(v, "DE"),
}


@SETTINGS
@given(CELLS)
def test_every_normaliser_is_idempotent_and_never_raises(value: str) -> None:
    for name, normalise in NORMALISERS.items():
        once = normalise(value)
        assert normalise(once) == once, name


@SETTINGS
@given(CELLS)
def test_parsers_keep_the_raw_value_and_never_raise(value: str) -> None:
    assert parse_tax_ids(value).raw == value
    assert parse_tax_ids(value, expect="kpp").raw == value
    assert parse_national_id(value, "UA").raw == value
    assert parse_address(value).raw == value
    assert parse_address(value, "GB").raw == value
    address_key(value)


@SETTINGS
@given(CELLS)
def test_validators_never_raise(value: str) -> None:
    for check in (check_inn, check_ogrn, check_kpp):
        assert check(value).ok in (True, False)
    assert check_national_id(value, "PL").ok in (True, False)


@st.composite
def organisation_inns(draw: st.DrawFn) -> str:
    body = draw(st.from_regex(r"[0-9]{9}", fullmatch=True))
    return body + stdnum_inn.calc_company_check_digit(body)


_INN_SHAPES = (
    "{inn}",
    " {inn} ",
    "ИНН {inn}",
    "ИНН: {inn}",
    "инн{inn}",
    "INN {inn}",
    "{inn}.0",
    "{inn}/773601001",
    "ИНН/КПП {inn} / 773601001",
    "{a} {b} {c}",
    "{a}-{b}-{c}",
)


@SETTINGS
@given(organisation_inns(), st.sampled_from(_INN_SHAPES))
def test_an_inn_reads_the_same_however_it_is_written(inn: str, shape: str) -> None:
    cell = shape.format(inn=inn, a=inn[:4], b=inn[4:7], c=inn[7:])
    assert normalise_inn(cell) == inn


# Addresses: the same address in the shapes lists write it.
_CITIES = {
    "Москва": ("Москва", "г. Москва", "г Москва", "Москва г", "г.Москва", "Moscow"),
    "Санкт-Петербург": ("СПб", "С.-Петербург", "St. Petersburg", "г. Санкт-Петербург"),
    "Екатеринбург": ("Екатеринбург", "Екб", "Yekaterinburg", "г. Екатеринбург"),
    "Нижний Новгород": ("Н. Новгород", "г. Нижний Новгород", "Nizhny Novgorod"),
    "Казань": ("Казань", "г. Казань", "Kazan"),
}
_STREET_KINDS = {
    "ул.": ("ул. {n}", "улица {n}", "{n} ул.", "ул {n}", "{n} улица", "ул.{n}"),
    "пр-т": ("пр-т {n}", "проспект {n}", "{n} пр-т", "просп. {n}", "{n} проспект"),
    "пер.": ("пер. {n}", "переулок {n}", "{n} пер."),
    "ш.": ("ш. {n}", "шоссе {n}", "{n} ш."),
    "б-р": ("б-р {n}", "бульвар {n}", "{n} б-р"),
    "наб.": ("наб. {n}", "набережная {n}", "{n} наб."),
}
_STREET_NAMES = ("Ленина", "Мира", "Маршала Жукова", "Садовая", "Космонавтов")
_HOUSES = ("д. {h}", "дом {h}", "д.{h}", "д {h}", "{h}")
_BUILDINGS = ("корп. {b}", "к. {b}", "корпус {b}", "стр. {b}", "строение {b}")
_OFFICES = ("оф. {o}", "офис {o}", "кв/оф {o}", "пом. {o}", "помещение {o}", "оф.{o}")
_SEPARATORS = (", ", ",", " , ", "; ")
_CASES: tuple[Callable[[str], str], ...] = (str.strip, str.upper, str.lower)


@st.composite
def addresses(draw: st.DrawFn) -> tuple[str, str]:
    """Return (the canonical address, one way a list writes it)."""
    city = draw(st.sampled_from(sorted(_CITIES)))
    kind = draw(st.sampled_from(sorted(_STREET_KINDS)))
    name = draw(st.sampled_from(_STREET_NAMES))
    house = str(draw(st.integers(1, 250)))
    building = draw(st.one_of(st.none(), st.integers(1, 9).map(str)))
    office = draw(st.one_of(st.none(), st.integers(1, 999).map(str)))
    canonical = [f"г. {city}", f"{kind} {name}", f"д. {house}"]
    written = [
        draw(st.sampled_from(_STREET_KINDS[kind])).format(n=name),
        draw(st.sampled_from(_HOUSES)).format(h=house),
    ]
    if building:
        canonical.append(f"корп. {building}")
        written.append(draw(st.sampled_from(_BUILDINGS)).format(b=building))
    if office:
        canonical.append(f"оф. {office}")
        written.append(draw(st.sampled_from(_OFFICES)).format(o=office))
    city_written = draw(st.sampled_from(_CITIES[city]))
    if draw(st.booleans()):
        written.insert(0, city_written)
    else:
        written.append(city_written)  # the city after the street
    if draw(st.booleans()):
        written.insert(0, draw(st.sampled_from(("123456", "Россия", "РФ"))))
    text = draw(st.sampled_from(_SEPARATORS)).join(written)
    padding = draw(st.sampled_from(("", " ", "  ", "\t")))
    return ", ".join(canonical), padding + draw(st.sampled_from(_CASES))(text) + padding


@SETTINGS
@given(addresses())
def test_address_key_ignores_case_abbreviations_punctuation_and_order(
    pair: tuple[str, str],
) -> None:
    canonical, written = pair
    assert address_key(written) == address_key(canonical)
    assert "unparsed_rest" not in parse_address(written).flags


@SETTINGS
@given(addresses())
def test_the_display_form_keeps_the_key(pair: tuple[str, str]) -> None:
    _, written = pair
    display = normalise_address(written)
    assert display is not None
    assert address_key(display) == address_key(written)
    assert normalise_address(display) == display
