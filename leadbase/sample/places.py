"""Cities, tax offices, phone codes and streets of the sample data."""

from __future__ import annotations

from typing import NamedTuple


class City(NamedTuple):
    """A city with the codes that must agree with it."""

    name: str
    region: str  # subject code: first two digits of INN, OGRN digits 4-5
    offices: tuple[str, ...]  # tax office codes: first four digits of INN and KPP
    area_codes: tuple[str, ...]  # 3 or 4 digits; the local number fills to 10
    postcode_prefixes: tuple[str, ...]
    region_label: str  # "" where the city is its own region
    spellings: tuple[str, ...]  # how people write the city, canonical first
    weight: float


def _city(
    name: str,
    region: str,
    offices: str,
    codes: str,
    postcodes: str,
    label: str,
    weight: float,
    *extra: str,
) -> City:
    # The canonical spelling is repeated so that it stays the most common one.
    spellings = (name, name, name, f"г. {name}", f"г. {name}", f"г {name}", *extra)
    return City(
        name,
        region,
        tuple(region + n for n in offices.split()),
        tuple(codes.split()),
        tuple(postcodes.split()),
        label,
        spellings,
        weight,
    )


_MOSCOW_OFFICES = (
    "01 02 03 04 05 06 07 08 09 10 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 "
    "29 30 31 33 34 35 36 43 51"
)
_MOSCOW_POST = "101 105 107 109 115 117 119 121 123 125 127"
_SPB_OFFICES = "01 02 04 05 06 07 10 11 13 14 16 17 19 20 25 38 39 41 42"
_SPB_POST = "190 191 192 193 194 195 196 197 198 199"
_MO = "Московская обл."

CITIES: tuple[City, ...] = (
    _city("Москва", "77", _MOSCOW_OFFICES, "495 495 499", _MOSCOW_POST, "", 0.34,
          "МОСКВА", "москва", "Москва г"),
    _city("Санкт-Петербург", "78", _SPB_OFFICES, "812", _SPB_POST, "", 0.12,
          "СПб", "СПб", "Спб", "С.-Петербург"),
    _city("Химки", "50", "47", "495 498", "141", _MO, 0.02),
    _city("Подольск", "50", "36", "4967", "142", _MO, 0.015),
    _city("Балашиха", "50", "01", "495 498", "143", _MO, 0.015),
    _city("Мытищи", "50", "29", "495", "141", _MO, 0.015),
    _city("Королёв", "50", "18", "495 498", "141", _MO, 0.01, "Королев", "г. Королев"),
    _city("Красногорск", "50", "24", "495 498", "143", _MO, 0.01),
    _city("Одинцово", "50", "32", "495 498", "143", _MO, 0.01),
    _city("Екатеринбург", "66", "58 59 70 71 72 73 74 79 85 86", "343", "620",
          "Свердловская обл.", 0.06, "Екб", "ЕКАТЕРИНБУРГ"),
    _city("Новосибирск", "54", "01 02 03 04 05 06 07 08 10", "383", "630",
          "Новосибирская обл.", 0.05),
    _city("Казань", "16", "55 56 57 58 59 60 61", "843", "420",
          "Республика Татарстан", 0.045),
    _city("Нижний Новгород", "52", "56 57 58 59 60 61 62 63", "831", "603",
          "Нижегородская обл.", 0.04, "Н. Новгород", "Н.Новгород"),
    _city("Самара", "63", "11 12 13 14 15 16 17 18 19", "846", "443",
          "Самарская обл.", 0.035),
    _city("Ростов-на-Дону", "61", "61 62 63 64 65 66 67 68", "863", "344",
          "Ростовская обл.", 0.035, "Ростов н/Д"),
    _city("Краснодар", "23", "08 09 10 11 12", "861", "350", "Краснодарский край",
          0.035),
    _city("Челябинск", "74", "47 48 49 50 51 52 53", "351", "454",
          "Челябинская обл.", 0.03),
    _city("Омск", "55", "01 03 04 05 06 07", "3812", "644", "Омская обл.", 0.025),
    _city("Пермь", "59", "02 03 04 05 06 07 08", "342", "614", "Пермский край", 0.025),
    _city("Воронеж", "36", "62 63 64 65 66", "473", "394", "Воронежская обл.", 0.025),
    _city("Уфа", "02", "74 76 77 78", "347", "450", "Республика Башкортостан", 0.025),
    _city("Красноярск", "24", "60 61 62 63 64 65 66", "391", "660",
          "Красноярский край", 0.025),
    _city("Тюмень", "72", "02 03 04", "3452", "625", "Тюменская обл.", 0.02),
)  # fmt: skip

CITY_WEIGHTS: tuple[float, ...] = tuple(c.weight for c in CITIES)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Street names that read as "улица/проспект/... <name>" in the genitive.
STREETS_GENITIVE = _words(
    "Ленина Мира Гагарина Пушкина Строителей Маяковского Космонавтов Победы Кирова "
    "Чкалова Энтузиастов Фрунзе Жукова Королёва Калинина Свердлова Горького Чехова "
    "Лермонтова Некрасова Суворова Кутузова Матросова Толстого Дзержинского "
    "Куйбышева Комарова Титова Белинского Герцена Есенина Ломоносова Мичурина "
    "Энгельса Володарского Крупской Тимирязева Менделеева Вавилова Попова"
)
# Adjectival names only go with "улица": "ул. Садовая".
STREETS_ADJECTIVE = _words(
    "Садовая Советская Заводская Промышленная Лесная Центральная Новая Школьная "
    "Полевая Набережная Молодёжная Луговая Северная Южная Октябрьская Первомайская "
    "Пролетарская Рабочая Транспортная Складская Индустриальная"
)

# (full, short, suffix form): "улица Ленина", "ул. Ленина", "Ленина ул."
STREET_KINDS: tuple[tuple[str, str, str], ...] = (
    ("улица", "ул.", "ул."),
    ("улица", "ул.", "ул."),
    ("улица", "ул.", "ул."),
    ("улица", "ул.", "ул."),
    ("проспект", "пр-т", "пр-т"),
    ("проспект", "просп.", "просп."),
    ("переулок", "пер.", "пер."),
    ("шоссе", "ш.", "ш."),
    ("бульвар", "б-р", "б-р"),
    ("набережная", "наб.", "наб."),
)

# Office, building and premises labels as people write them.
OFFICE_LABELS: tuple[str, ...] = ("оф.", "оф.", "офис", "пом.", "помещ.", "кв/оф")
BUILDING_LABELS: tuple[str, ...] = ("стр.", "корп.", "к.", "стр.")
