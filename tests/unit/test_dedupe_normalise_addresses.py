"""Addresses as lists write them: parts, one display form and a comparison key.

Each row is an address seen in real Russian lists (directories, bought bases,
CRM exports) or a foreign one, and what the normaliser makes of it.
"""

from __future__ import annotations

from typing import Any

import pytest

from dedupe.normalise.addresses import (
    AddressParse,
    address_key,
    normalise_address,
    normalise_city,
    normalise_postcode,
    parse_address,
)
from dedupe.normalise.places import region_name, region_of_postcode

LENINA_5_12 = "г. Москва, ул. Ленина, д. 5, оф. 12"


def fields(parsed: AddressParse, expected: dict[str, Any]) -> dict[str, Any]:
    return {name: getattr(parsed, name) for name in expected}


DISPLAY_CASES = [
    # The shapes of the issue, all to one display form.
    pytest.param(LENINA_5_12, LENINA_5_12, id="already standard"),
    pytest.param("Москва, Ленина ул., 5, офис 12", LENINA_5_12, id="type after name"),
    pytest.param(
        "123456, г Москва, улица Ленина, дом 5",
        "123456, г. Москва, ул. Ленина, д. 5",
        id="postcode first, words in full",
    ),
    pytest.param(
        "Москва г, Лесная ул., д 1, кв/оф 100",
        "г. Москва, ул. Лесная, д. 1, оф. 100",
        id="'г' after the city, 'кв/оф'",
    ),
    pytest.param(
        "г Одинцово, улица Луговая, дом 66, офис 141",
        "г. Одинцово, ул. Луговая, д. 66, оф. 141",
        id="town of Московская область",
    ),
    pytest.param(
        "Московская обл., г. Подольск, ул. Пушкина, д. 105",
        "Московская область, г. Подольск, ул. Пушкина, д. 105",
        id="region stated: shown, in full",
    ),
    pytest.param(
        "СПб, Невский пр-т, 28",
        "г. Санкт-Петербург, пр-т Невский, д. 28",
        id="СПб, пр-т",
    ),
    pytest.param(
        "Санкт-Петербург, Невский проспект, д.28, лит. А",
        "г. Санкт-Петербург, пр-т Невский, д. 28, лит. А",
        id="литера",
    ),
    pytest.param(
        "St. Petersburg, Nevsky prospekt 28",
        "г. Санкт-Петербург, пр-т Nevsky, д. 28",
        id="Latin: the city is canonical, the street name kept as written",
    ),
    pytest.param(
        "Moscow, Tverskaya st. 7", "г. Москва, ул. Tverskaya, д. 7", id="Latin st."
    ),
    pytest.param(
        "г.Москва ул.Ленина д.5 оф.12", LENINA_5_12, id="no commas, no spaces"
    ),
    pytest.param("Г. МОСКВА, УЛ. ЛЕНИНА, Д. 5, ОФ. 12", LENINA_5_12, id="capitals"),
    pytest.param("г. москва, ул. ленина, д. 5, оф. 12", LENINA_5_12, id="lower case"),
    pytest.param("ул. Ленина, д. 5, оф. 12, г. Москва", LENINA_5_12, id="city last"),
    pytest.param(
        "  г. Москва ,  ул. Ленина ,д. 5 , оф. 12  ", LENINA_5_12, id="odd spacing"
    ),
    pytest.param("г. Москва; ул. Ленина; д. 5; оф. 12", LENINA_5_12, id="semicolons"),
    # Street types.
    pytest.param("пр-т Мира", "пр-т Мира", id="пр-т"),
    pytest.param("пр. Мира", "пр-т Мира", id="пр. is проспект"),
    pytest.param("просп. Мира", "пр-т Мира", id="просп."),
    pytest.param(
        "г. Москва, Кутузовский пр-кт, 32",
        "г. Москва, пр-т Кутузовский, д. 32",
        id="пр-кт",
    ),
    pytest.param(
        "Москва, Кривоколенный пер., 5",
        "г. Москва, пер. Кривоколенный, д. 5",
        id="пер.",
    ),
    pytest.param(
        "г. Москва, переулок Сивцев Вражек, 3",
        "г. Москва, пер. Сивцев Вражек, д. 3",
        id="переулок",
    ),
    pytest.param(
        "г. Москва, Варшавское ш., д. 1", "г. Москва, ш. Варшавское, д. 1", id="ш."
    ),
    pytest.param(
        "г. Москва, Можайское шоссе, 7", "г. Москва, ш. Можайское, д. 7", id="шоссе"
    ),
    pytest.param(
        "г. Москва, Фрунзенская наб., 30",
        "г. Москва, наб. Фрунзенская, д. 30",
        id="наб.",
    ),
    pytest.param(
        "г. Москва, набережная Тараса Шевченко, 1",
        "г. Москва, наб. Тараса Шевченко, д. 1",
        id="набережная",
    ),
    pytest.param(
        "г. Москва, Гоголевский б-р, 11", "г. Москва, б-р Гоголевский, д. 11", id="б-р"
    ),
    pytest.param(
        "г. Москва, Чистопрудный бульвар, 2",
        "г. Москва, б-р Чистопрудный, д. 2",
        id="бульвар",
    ),
    pytest.param(
        "г. Москва, Комсомольская пл., 3",
        "г. Москва, пл. Комсомольская, д. 3",
        id="пл.",
    ),
    pytest.param(
        "г. Москва, площадь Гагарина, 1", "г. Москва, пл. Гагарина, д. 1", id="площадь"
    ),
    pytest.param(
        "г. Зеленоград, мкр 15, корп. 1512",
        "г. Зеленоград, мкр 15, корп. 1512",
        id="мкр with a number for a name",
    ),
    pytest.param(
        "г. Ульяновск, микрорайон Новый Город, д. 4",
        "г. Ульяновск, мкр Новый Город, д. 4",
        id="микрорайон; 'Город' inside a name is not a marker",
    ),
    pytest.param(
        "г. Москва, Хорошёвский пр-д, 2", "г. Москва, пр-д Хорошёвский, д. 2", id="пр-д"
    ),
    pytest.param(
        "г. Москва, проезд Серебрякова, 14",
        "г. Москва, пр-д Серебрякова, д. 14",
        id="проезд",
    ),
    pytest.param(
        "г. Москва, Кривоколенный туп., 3",
        "г. Москва, туп. Кривоколенный, д. 3",
        id="туп.",
    ),
    pytest.param(
        "г. Москва, тупик Металлистов, 1",
        "г. Москва, туп. Металлистов, д. 1",
        id="тупик",
    ),
    # Ordinal names: the ordinal goes first, written "1-я", "2-й".
    pytest.param(
        "Москва, 1-я Тверская-Ямская ул., 2",
        "г. Москва, ул. 1-я Тверская-Ямская, д. 2",
        id="1-я Тверская-Ямская",
    ),
    pytest.param(
        "Москва, ул. Тверская-Ямская 1-я, 2",
        "г. Москва, ул. 1-я Тверская-Ямская, д. 2",
        id="ordinal written last",
    ),
    pytest.param(
        "Москва, ул. 1-ая Тверская-Ямская, д.2",
        "г. Москва, ул. 1-я Тверская-Ямская, д. 2",
        id="'1-ая' spelled long",
    ),
    pytest.param(
        "Москва, 2-й Казачий пер., д. 5",
        "г. Москва, пер. 2-й Казачий, д. 5",
        id="2-й Казачий пер.",
    ),
    pytest.param(
        "г. Москва, ул. 8 Марта, д. 1", "г. Москва, ул. 8 Марта, д. 1", id="8 Марта"
    ),
    pytest.param(
        "г. Москва, пр-т 60-летия Октября, д. 10",
        "г. Москва, пр-т 60-летия Октября, д. 10",
        id="60-летия Октября",
    ),
    pytest.param(
        "г. Москва, ул. Д. Бедного, д. 5",
        "г. Москва, ул. Д. Бедного, д. 5",
        id="'Д.' before a name is an initial, not a house",
    ),
    # Houses, buildings, offices.
    pytest.param(
        "г. Москва, ул. Ленина, д. 5, к. 2",
        "г. Москва, ул. Ленина, д. 5, корп. 2",
        id="к.",
    ),
    pytest.param(
        "г. Москва, ул. Ленина, д. 5к2",
        "г. Москва, ул. Ленина, д. 5, корп. 2",
        id="5к2 glued",
    ),
    pytest.param(
        "г. Москва, ул. Ленина, 5 стр 1",
        "г. Москва, ул. Ленина, д. 5, стр. 1",
        id="стр without a dot",
    ),
    pytest.param(
        "г. Москва, ул. Ленина, д. 5, строение 3",
        "г. Москва, ул. Ленина, д. 5, стр. 3",
        id="строение",
    ),
    pytest.param(
        "г. Москва, ул. Ленина, д. 5, корпус 1, стр. 2",
        "г. Москва, ул. Ленина, д. 5, корп. 1, стр. 2",
        id="корпус and строение",
    ),
    pytest.param(
        "г. Москва, ул. Ленина, вл. 5", "г. Москва, ул. Ленина, д. 5", id="владение"
    ),
    pytest.param(
        "г. Москва, ул. Ленина, д. 5 А", "г. Москва, ул. Ленина, д. 5А", id="5 А"
    ),
    pytest.param(
        "г. Москва, ул. Ленина, 5/2", "г. Москва, ул. Ленина, д. 5/2", id="corner"
    ),
    pytest.param(
        "г. Москва, ул. Ленина, д. 28-30",
        "г. Москва, ул. Ленина, д. 28-30",
        id="a range of houses",
    ),
    pytest.param(
        "г. Москва, ул. Ленина, д. 5, помещение 12", LENINA_5_12, id="помещение"
    ),
    pytest.param("г. Москва, ул. Ленина, д. 5, пом. 12", LENINA_5_12, id="пом."),
    pytest.param("г. Москва, ул. Ленина, д. 5, кв. 12", LENINA_5_12, id="кв."),
    pytest.param(
        "г. Москва, Пресненская наб., д. 12, этаж 45, офис 4501",
        "г. Москва, наб. Пресненская, д. 12, оф. 4501",
        id="floor dropped, office kept",
    ),
    # Regions, districts, settlements.
    pytest.param(
        "420111, Республика Татарстан, г. Казань, ул. Баумана, д. 5",
        "420111, Республика Татарстан, г. Казань, ул. Баумана, д. 5",
        id="республика",
    ),
    pytest.param(
        "Казань, Татарстан, ул. Баумана, 5",
        "Республика Татарстан, г. Казань, ул. Баумана, д. 5",
        id="a region alias alone",
    ),
    pytest.param(
        "ХМАО, г. Сургут, ул. Ленина, 1",
        "Ханты-Мансийский автономный округ — Югра, г. Сургут, ул. Ленина, д. 1",
        id="ХМАО",
    ),
    pytest.param(
        "Московская область, Одинцовский р-н, пос. Ромашково, ул. Никольская, д. 3",
        "Московская область, Одинцовский р-н, пос. Ромашково, ул. Никольская, д. 3",
        id="district and settlement",
    ),
    pytest.param(
        "Московская обл., д. Ивановка, д. 5",
        "Московская область, дер. Ивановка, д. 5",
        id="'д.' before a name is a village",
    ),
    pytest.param(
        "Россия, Москва, ул. Тверская, д. 7",
        "г. Москва, ул. Тверская, д. 7",
        id="country dropped",
    ),
    pytest.param(
        "г. Химки, мкр. Сходня, ул. Первомайская, д. 58",
        "г. Химки, ул. Первомайская, д. 58, мкр Сходня",
        id="a street outranks its microdistrict",
    ),
]


@pytest.mark.parametrize(("value", "expected"), DISPLAY_CASES)
def test_normalise_address(value: str, expected: str) -> None:
    assert normalise_address(value) == expected


PARSE_CASES = [
    pytest.param(
        "123456, Россия, Московская обл., г. Химки, ул. Ленина, д. 5, стр. 2, "
        "помещ. 12",
        {
            "postcode": "123456",
            "region": "Московская область",
            "city": "Химки",
            "street": "ул. Ленина",
            "house": "5",
            "building": "стр. 2",
            "office": "12",
            "key": "himki ul lenina d5 k2 of12",
            "key_without_office": "himki ul lenina d5 k2",
        },
        id="every part",
    ),
    pytest.param(
        "г. Одинцово, ул. Луговая, 66",
        {"region": "Московская область", "flags": ()},
        id="region from the city table",
    ),
    pytest.param(
        "142100, Подольск, ул. Пушкина, 105",
        {"region": "Московская область", "postcode": "142100", "flags": ()},
        id="region agrees with the postcode",
    ),
    pytest.param(
        "101000, г. Подольск, ул. Пушкина, 105",
        {"region": "Московская область", "flags": ("region_mismatch",)},
        id="a Moscow postcode on a Подольск address: flagged",
    ),
    pytest.param(
        "620014, ул. Малышева, 51",
        {"city": None, "region": "Свердловская область", "flags": ("no_city",)},
        id="no city: region from the postcode",
    ),
    pytest.param(
        "г. Москва, вн.тер.г. муниципальный округ Хамовники, ул. Льва Толстого, д. 16",
        {
            "district": "вн. тер. г. муниципальный округ Хамовники",
            "street": "ул. Льва Толстого",
            "key": "moskva ul lva tolstogo d16",
        },
        id="the ЕГРЮЛ's municipal district: kept, not in the key",
    ),
    pytest.param(
        "Москва, Тверская 7",
        {"street": "Тверская", "house": "7", "flags": ()},
        id="a street without a type",
    ),
    pytest.param(
        "Москва",
        {"city": "Москва", "key": None, "flags": ("no_house", "no_street")},
        id="a city alone has no key: it would match every firm in town",
    ),
    pytest.param(
        "пр-т Мира",
        {"street": "пр-т Мира", "key": "pr mira", "flags": ("no_city", "no_house")},
        id="a street alone",
    ),
    pytest.param(
        "пер.",
        {
            "street": None,
            "display": "пер.",
            "flags": (
                "no_city",
                "no_house",
                "no_street",
                "unparsed_rest",
            ),
        },
        id="a street type alone names nothing",
    ),
    pytest.param(
        "г. Москва, ул. Ленина, д. 5, д. 7",
        {
            "house": "5",
            "display": "г. Москва, ул. Ленина, д. 5, д. 7",
            "flags": ("unparsed_rest",),
        },
        id="a second house: kept at the end, flagged",
    ),
    pytest.param(
        "Санкт-Петербург, В.О., 5-я линия, д. 10",
        {"street": "линия 5-я", "house": "10", "flags": ("unparsed_rest",)},
        id="Васильевский остров's lines",
    ),
    pytest.param("", {"display": None, "key": None, "flags": ()}, id="empty"),
    pytest.param(None, {"raw": None, "display": None}, id="None"),
]


@pytest.mark.parametrize(("value", "expected"), PARSE_CASES)
def test_parse_address(value: str | None, expected: dict[str, Any]) -> None:
    assert fields(parse_address(value), expected) == expected


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param(LENINA_5_12, "Москва, Ленина ул., 5, офис 12", id="type order"),
        pytest.param(LENINA_5_12, "ул. Ленина д 5 кв/оф 12 Москва г", id="city last"),
        pytest.param(LENINA_5_12, "Moscow, Lenina street, 5, office 12", id="Latin"),
        pytest.param(
            "СПб, Невский пр-т, 28",
            "St Petersburg, Nevsky prospekt 28",
            id="Невский and Nevsky",
        ),
        pytest.param(
            "Yekaterinburg, Malysheva str. 51",
            "Екатеринбург, ул. Малышева, 51",
            id="Yekaterinburg and Малышева",
        ),
        pytest.param(
            "г. Москва, ул. Ленина, д. 5, корп. 2",
            "г. Москва, ул. Ленина, д. 5, стр. 2",
            id="корпус and строение: lists swap them, the key does not care",
        ),
        pytest.param(
            "г. Королев, ул. Пионерская, д. 1",
            "Королёв, Пионерская ул., 1",
            id="е and ё",
        ),
        pytest.param(
            "115035, Россия, г. Москва, ул. Садовническая, д. 82, стр. 2",
            "Москва, ул. Садовническая, 82с2",
            id="postcode and country do not count",
        ),
        pytest.param(
            "Москва, Тверская 7",
            "г. Москва, ул. Тверская, д. 7",
            id="a street without a type counts as an улица",
        ),
    ],
)
def test_address_key_matches_spellings_of_one_address(first: str, second: str) -> None:
    assert address_key(first) == address_key(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param(LENINA_5_12, "г. Москва, ул. Ленина, д. 7, оф. 12", id="house"),
        pytest.param(LENINA_5_12, "г. Казань, ул. Ленина, д. 5, оф. 12", id="city"),
        pytest.param(LENINA_5_12, "г. Москва, пр-т Ленина, д. 5, оф. 12", id="type"),
        pytest.param(LENINA_5_12, "г. Москва, ул. Ленина, д. 5, оф. 14", id="office"),
    ],
)
def test_address_key_tells_addresses_apart(first: str, second: str) -> None:
    assert address_key(first) != address_key(second)


def test_key_without_office_groups_the_tenants_of_one_building() -> None:
    first, second = (
        parse_address(LENINA_5_12),
        parse_address("г. Москва, ул. Ленина, д. 5, оф. 14"),
    )
    assert first.key != second.key
    assert first.key_without_office == second.key_without_office


INTERNATIONAL_CASES = [
    pytest.param(
        "10 Downing Street, London sw1a 2aa",
        "GB",
        {
            "postcode": "SW1A 2AA",
            "city": "Лондон",
            "display": "10 Downing Street, London SW1A 2AA",
            "flags": ("not_parsed",),
        },
        id="GB: postcode written the Royal Mail way",
    ),
    pytest.param(
        "Hauptstraße 5, D-10115 Berlin",
        "DE",
        {"postcode": "10115", "display": "Hauptstraße 5, 10115 Berlin"},
        id="DE: old D- prefix dropped",
    ),
    pytest.param(
        "1600 Pennsylvania Ave NW, Washington, DC 20500",
        "US",
        {"postcode": "20500", "city": None},
        id="US ZIP; a city outside the table stays None",
    ),
    pytest.param(
        "Damrak 1, 1012lg Amsterdam",
        "NL",
        {"postcode": "1012 LG", "city": "Амстердам"},
        id="NL postcode",
    ),
    pytest.param(
        "ul. Marszałkowska 1, 00-624 Warszawa",
        "PL",
        {"postcode": "00-624", "city": "Варшава"},
        id="PL: ul. is not read the Russian way",
    ),
    pytest.param(
        "г. Минск, пр-т Независимости, 4",
        "BY",
        {"city": "Минск", "street": "пр-т Независимости", "house": "4", "flags": ()},
        id="BY in Cyrillic: read like a Russian address",
    ),
    pytest.param(
        "Moscow, Tverskaya st. 7",
        None,
        {"flags": ("not_parsed",)},
        id="unknown country and Latin script: not parsed",
    ),
    pytest.param(
        "г. Москва, ул. Ленина, д. 5",
        None,
        {"country": "RU", "city": "Москва"},
        id="unknown country, Cyrillic: read as Russian",
    ),
]


@pytest.mark.parametrize(("value", "country", "expected"), INTERNATIONAL_CASES)
def test_parse_address_abroad(
    value: str, country: str | None, expected: dict[str, Any]
) -> None:
    assert fields(parse_address(value, country), expected) == expected


@pytest.mark.parametrize(
    ("first", "second", "country"),
    [
        ("Hauptstraße 5, 10115 Berlin", "10115 Berlin, Hauptstr. 5", "DE"),
        ("10 Downing Street, London SW1A 2AA", "10 downing st london sw1a2aa", "GB"),
        ("12 Rue de Rivoli, 75004 Paris", "75004 PARIS, 12 rue de Rivoli", "FR"),
    ],
)
def test_generic_key_ignores_order_case_and_abbreviation(
    first: str, second: str, country: str
) -> None:
    assert address_key(first, country) == address_key(second, country)


CITY_CASES = [
    pytest.param("Москва", "Москва", id="canonical"),
    pytest.param("г. Москва", "Москва", id="г."),
    pytest.param("г Москва", "Москва", id="г without a dot"),
    pytest.param("г.Москва", "Москва", id="г. glued"),
    pytest.param("город Москва", "Москва", id="город"),
    pytest.param("Москва г", "Москва", id="г after the name"),
    pytest.param("МОСКВА", "Москва", id="capitals"),
    pytest.param("Moscow", "Москва", id="English"),
    pytest.param("Мск", "Москва", id="Мск"),
    pytest.param("СПб", "Санкт-Петербург", id="СПб"),
    pytest.param("Спб", "Санкт-Петербург", id="Спб"),
    pytest.param("С.-Петербург", "Санкт-Петербург", id="С.-Петербург"),
    pytest.param("Питер", "Санкт-Петербург", id="Питер"),
    pytest.param("St. Petersburg", "Санкт-Петербург", id="St. Petersburg"),
    pytest.param("Saint Petersburg", "Санкт-Петербург", id="Saint Petersburg"),
    pytest.param("Sankt-Peterburg", "Санкт-Петербург", id="transliterated"),
    pytest.param("Ленинград", "Санкт-Петербург", id="old name in old lists"),
    pytest.param("Екб", "Екатеринбург", id="Екб"),
    pytest.param("Yekaterinburg", "Екатеринбург", id="Yekaterinburg"),
    pytest.param("Ekaterinburg", "Екатеринбург", id="Ekaterinburg"),
    pytest.param("Н. Новгород", "Нижний Новгород", id="Н. Новгород"),
    pytest.param("Nizhny Novgorod", "Нижний Новгород", id="Nizhny Novgorod"),
    pytest.param("Ростов н/Д", "Ростов-на-Дону", id="Ростов н/Д"),
    pytest.param("Ростов на Дону", "Ростов-на-Дону", id="without hyphens"),
    pytest.param("Rostov-on-Don", "Ростов-на-Дону", id="Rostov-on-Don"),
    pytest.param("Naberezhnye Chelny", "Набережные Челны", id="Naberezhnye Chelny"),
    pytest.param("Королев", "Королёв", id="е for ё"),
    pytest.param("Kazan", "Казань", id="Kazan"),
    pytest.param("г. Уссурийск", "Уссурийск", id="a city of the table"),
    pytest.param("г. Бердск", "Бердск", id="a city outside the table: marker gone"),
    pytest.param("НИЖНЯЯ САЛДА", "Нижняя Салда", id="unknown, capitals: recased"),
    pytest.param("пос. Ромашково", "Ромашково", id="settlement marker gone"),
    pytest.param("г.", None, id="a marker alone"),
    pytest.param("  ", None, id="blank"),
    pytest.param("123", None, id="no letters"),
    pytest.param(None, None, id="None"),
]


@pytest.mark.parametrize(("value", "expected"), CITY_CASES)
def test_normalise_city(value: str | None, expected: str | None) -> None:
    assert normalise_city(value) == expected


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        pytest.param("Minsk", "BY", "Минск", id="a CIS capital"),
        pytest.param("Kyiv", "UA", "Киев", id="Kyiv"),
        pytest.param("Kiev", "UA", "Киев", id="Kiev"),
        pytest.param("Алма-Ата", "KZ", "Алматы", id="old name"),
        pytest.param("Wien", "AT", "Вена", id="German name"),
        pytest.param("Vienna", "AT", "Вена", id="English name"),
        pytest.param("München", "DE", "Мюнхен", id="umlaut"),
        pytest.param("Moscow", "US", "Moscow", id="Moscow, Idaho stays itself"),
        pytest.param("Minsk", None, "Минск", id="unknown country: any city"),
        pytest.param("Springfield", "US", "Springfield", id="unknown city"),
    ],
)
def test_normalise_city_abroad(value: str, country: str | None, expected: str) -> None:
    assert normalise_city(value, country) == expected


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        pytest.param("101000", "RU", "101000", id="RU"),
        pytest.param(" 101 000 ", "RU", "101000", id="RU with a space"),
        pytest.param("101000.0", "RU", "101000", id="RU from Excel"),
        pytest.param("012345", "RU", None, id="no RU postcode starts with 0"),
        pytest.param("1010000", "RU", None, id="7 digits"),
        pytest.param("220030", "BY", "220030", id="BY"),
        pytest.param("10000", "KZ", "010000", id="KZ lost its zero"),
        pytest.param("01001", "UA", "01001", id="UA"),
        pytest.param("D-10115", "DE", "10115", id="DE old prefix"),
        pytest.param("1067", "DE", "01067", id="DE lost its zero (Dresden)"),
        pytest.param("F-75008", "FR", "75008", id="FR"),
        pytest.param("sw1a1aa", "GB", "SW1A 1AA", id="GB"),
        pytest.param("M1 1AE", "GB", "M1 1AE", id="GB short outward code"),
        pytest.param("2134", "US", "02134", id="US ZIP lost its zero"),
        pytest.param("021341234", "US", "02134-1234", id="ZIP+4"),
        pytest.param("1234ab", "NL", "1234 AB", id="NL"),
        pytest.param("00950", "PL", "00-950", id="PL"),
        pytest.param("11000", "CZ", "110 00", id="CZ"),
        pytest.param("1000001", "PT", "1000-001", id="PT"),
        pytest.param("1050", "LV", "LV-1050", id="LV"),
        pytest.param("AZ1000", "AZ", "AZ 1000", id="AZ"),
        pytest.param("d02x285", "IE", "D02 X285", id="IE Eircode"),
        pytest.param("k1a0b1", "CA", "K1A 0B1", id="CA"),
        pytest.param("CH-8001", "CH", "8001", id="CH"),
        pytest.param("abc 12", None, "ABC 12", id="unknown country: as written"),
        pytest.param("Москва", "RU", None, id="not a postcode"),
    ],
)
def test_normalise_postcode(
    value: str, country: str | None, expected: str | None
) -> None:
    assert normalise_postcode(value, country) == expected


@pytest.mark.parametrize(
    ("postcode", "region"),
    [
        ("125009", "Москва"),
        ("191186", "Санкт-Петербург"),
        ("142100", "Московская область"),
        ("620014", "Свердловская область"),
        ("420111", "Республика Татарстан"),
        ("690091", "Приморский край"),
        ("299011", "Севастополь"),
        ("999999", None),
    ],
)
def test_region_of_postcode(postcode: str, region: str | None) -> None:
    assert region_of_postcode(postcode) == region


@pytest.mark.parametrize(
    ("code", "region"),
    [("77", "Москва"), ("50", "Московская область"), ("02", "Республика Башкортостан"),
     ("16", "Республика Татарстан"), ("99", None)],
)  # fmt: skip
def test_region_name_of_a_tax_region_code(code: str, region: str | None) -> None:
    assert region_name(code) == region
