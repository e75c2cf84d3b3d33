"""Cities, regions and postcodes: the tables and spellings behind addresses.

Tables live in data/: cities.csv (about 150 Russian cities, capitals of the CIS
and Europe, canonical Russian name, region code, other spellings), regions.csv
(subjects of the Russian Federation with their tax region code, aliases and the
first three digits of their postcodes).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

__all__ = [
    "City",
    "find_city",
    "find_region",
    "fold",
    "normalise_city",
    "recase",
    "region_name",
    "region_of_postcode",
]


class City(NamedTuple):
    """A city of the table: canonical Russian name, ISO country, region name."""

    name: str
    country: str
    region: str | None


# Script-neutral spelling: Cyrillic is transliterated, then Latin spellings are
# folded so that "Невский", "Nevsky" and "Nevskij" all read "nevski".
_TRANSLIT = str.maketrans(
    {
        **dict(zip("абвгдезиклмнопрстуфыэй", "abvgdeziklmnoprstufiei", strict=True)),
        **{"ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch"},
        **{"ю": "iu", "я": "ia", "ь": "", "ъ": "", "і": "i", "ї": "i", "є": "e"},
        **{"ў": "u", "ґ": "g", "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l"},
        **{"đ": "d", "ı": "i", "þ": "th"},
    }
)
_LATIN_FOLD = {
    "shch": "sh",
    "sch": "sh",
    "kh": "h",
    "ts": "c",
    "tz": "c",
    "yo": "io",
    "ya": "ia",
    "yu": "iu",
    "ck": "k",
    "y": "i",
    "j": "i",
    "w": "v",
    "x": "ks",
}
_LATIN_FOLD_RE = re.compile("|".join(_LATIN_FOLD))
# Latin "ye" is Cyrillic "е" at a word's start or after a vowel ("Yekaterinburg"),
# "ые" after a consonant ("Naberezhnye"): the second falls to y -> i below.
_LATIN_YE_RE = re.compile(r"(?<![a-z])ye|(?<=[aeiouy])ye")
_DOUBLE_RE = re.compile(r"([a-z])\1+")
_NOT_ALNUM_RE = re.compile(r"[^a-z0-9]+")
# City and settlement markers stripped around a city name.
_CITY_MARKER = (
    r"(?:г|гор|город|п|пос|посёлок|поселок|пгт|рп|с|село|д|дер|деревня|ст-ца|"
    r"станица|х|хутор|аул|city(?: of)?)"
)
# The marker must be followed by a name: "С.-Петербург" is not "село Петербург".
_LEADING_MARKER_RE = re.compile(rf"^{_CITY_MARKER}(?:\.\s*|\s+)(?=\w)", re.IGNORECASE)
_BARE_MARKER_RE = re.compile(_CITY_MARKER, re.IGNORECASE)
_TRAILING_MARKER_RE = re.compile(r"\s+(?:г|гор|город)\.?$", re.IGNORECASE)
_EDGE_JUNK = " \t\n\r,.;:!?\"'«»„“”()[]{}-–—/\\|*#№_"
_SPACES_RE = re.compile(r"\s+")
_REGION_KINDS = frozenset(
    [
        "oblast",
        "obl",
        "krai",
        "kr",
        "respublika",
        "resp",
        "avtonomnii",
        "avtonomnaia",
        "okrug",
        "ao",
        "region",
        "republic",
        "autonomous",
    ]
)
_LOWER_CONNECTORS = frozenset({"на", "над", "под", "on", "upon", "am", "an", "der"})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Return a script-neutral, lower-case, space-separated spelling for matching.

    Examples:
        >>> fold("Невский пр-т"), fold("Nevsky Prospekt")
        ('nevski pr t', 'nevski prospekt')
    """
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _LATIN_YE_RE.sub("e", text.translate(_TRANSLIT))
    text = _LATIN_FOLD_RE.sub(lambda m: _LATIN_FOLD[m.group()], text)
    text = _DOUBLE_RE.sub(r"\1", text.replace("ii", "i"))
    return _NOT_ALNUM_RE.sub(" ", text).strip()


def _compact(text: str) -> str:
    return fold(text).replace(" ", "")


def _capitalise(word: str) -> str:
    parts = word.split("-")
    for i, part in enumerate(parts):
        after_letter = i == 0 or parts[i - 1][-1:].isalpha()
        if part and after_letter and part.lower() not in _LOWER_CONNECTORS:
            parts[i] = part[0].upper() + part[1:].lower()
    return "-".join(parts)


def _capitalise_all(text: str) -> str:
    if text != text.upper() and text != text.lower():
        return text
    return " ".join(_capitalise(word) for word in text.split(" "))


def recase(text: str) -> str:
    """Capitalise the words of an all-capitals or all-lower-case text; else keep it.

    Examples:
        >>> recase("НИЖНИЙ ТАГИЛ"), recase("ул. МКАД")
        ('Нижний Тагил', 'ул. МКАД')
    """
    result = _capitalise_all(text)
    # A few characters change length or case twice ("ŉ"): keep such text as is.
    return result if _capitalise_all(result) == result else text


def _read(name: str) -> list[dict[str, str]]:
    data = resources.files("dedupe.normalise").joinpath("data", name)
    return list(csv.DictReader(io.StringIO(data.read_text(encoding="utf-8"))))


def _load_regions() -> tuple[
    dict[str, str], dict[str, str], dict[str, str], dict[str, str]
]:
    by_code: dict[str, str] = {}
    by_stem: dict[str, str] = {}
    by_alias: dict[str, str] = {}
    by_postcode: dict[str, str] = {}
    for row in _read("regions.csv"):
        name = row["name"]
        by_code[row["code"]] = name
        for spelling in (name, *filter(None, row["aliases"].split("|"))):
            by_stem.setdefault(_region_stem(spelling), name)
            if spelling != name:
                by_alias.setdefault(_compact(spelling), name)
        for span in row["postcodes"].split("|"):
            first, _, last = span.partition("-")
            for prefix in range(int(first), int(last or first) + 1):
                by_postcode[f"{prefix:03d}"] = name
    return by_code, by_stem, by_alias, by_postcode


def _region_stem(text: str) -> str:
    return "".join(t for t in fold(text).split() if t not in _REGION_KINDS)


def _load_cities() -> dict[tuple[str, str], City]:
    cities: dict[tuple[str, str], City] = {}
    for row in _read("cities.csv"):
        city = City(row["name"], row["country"], _REGION_BY_CODE.get(row["region"]))
        for spelling in (city.name, *filter(None, row["aliases"].split("|"))):
            key = _compact(spelling)
            if key:
                cities.setdefault((city.country, key), city)
                cities.setdefault(("", key), city)  # any country: first listed wins
    return cities


_REGION_BY_CODE, _REGION_BY_STEM, _REGION_BY_ALIAS, _REGION_BY_POSTCODE = (
    _load_regions()
)
_CITIES = _load_cities()


def region_name(code: str | None) -> str | None:
    """Return the Russian region of a two-digit tax region code (INN, KPP, OGRN).

    Examples:
        >>> region_name("50")
        'Московская область'
    """
    return _REGION_BY_CODE.get(code or "")


def region_of_postcode(postcode: str | None) -> str | None:
    """Return the Russian region a six-digit postcode belongs to, if known.

    Examples:
        >>> region_of_postcode("142100")
        'Московская область'
    """
    if not postcode or len(postcode) != 6:
        return None
    return _REGION_BY_POSTCODE.get(postcode[:3])


@lru_cache(maxsize=16384)
def find_region(text: str) -> tuple[str | None, bool]:
    """Return (region, known) for a region written as "Московская обл." or "Татарстан".

    A name needs a kind word (область, край, республика...) unless it is an
    alias that only names a region ("Татарстан", "ХМАО"). An unknown name with a
    kind word comes back cleaned, with known=False.
    """
    tokens = fold(text).split()
    stem = "".join(t for t in tokens if t not in _REGION_KINDS)
    if not stem:
        return None, False
    if len(stem) < len("".join(tokens)):
        known = _REGION_BY_STEM.get(stem) or _REGION_BY_ALIAS.get(stem)
        return (
            (known, True) if known else (_SPACES_RE.sub(" ", text).strip(" ,;:"), False)
        )
    known = _REGION_BY_ALIAS.get(stem)
    return (known, True) if known else (None, False)


@lru_cache(maxsize=65536)
def find_city(text: str, country: str = "") -> City | None:
    """Return the table's city written as text ("СПб", "Moscow"), or None.

    Args:
        text: the city as written, with or without "г.".
        country: ISO alpha-2 code to restrict the match; "" matches any.
    """
    city = _CITIES.get((country, _compact(text)))
    if city is None:
        stripped = _clean(text)
        city = _CITIES.get((country, _compact(stripped))) if stripped != text else None
    return city


def _clean(text: str) -> str:
    # Strip edge punctuation and city markers until nothing changes.
    previous = None
    text = _SPACES_RE.sub(" ", text)
    while text != previous:
        previous = text
        text = text.strip(_EDGE_JUNK)
        text = _LEADING_MARKER_RE.sub("", text)
        text = _TRAILING_MARKER_RE.sub("", text)
    return text


@lru_cache(maxsize=65536)
def _normalise_city(value: str, country: str) -> str | None:
    city = find_city(value, country)
    if city is not None:
        return city.name
    cleaned = _clean(value)
    if not any(ch.isalpha() for ch in cleaned) or _BARE_MARKER_RE.fullmatch(cleaned):
        return None
    return recase(cleaned)


def normalise_city(value: str | None, country: str | None = "RU") -> str | None:
    """Return the canonical city name, or the name cleaned of markers.

    Known cities (the table) come back as their canonical Russian name when they
    belong to country; other names lose "г."/"город" and edge punctuation, and
    all-capitals spellings are capitalised.

    Args:
        value: the city as written: "г. Москва", "Moscow", "СПб", "МОСКВА".
        country: ISO alpha-2 code of the record; None when unknown.

    Returns:
        The city name, or None when no name is left.

    Examples:
        >>> normalise_city("St. Petersburg"), normalise_city("г. Уссурийск")
        ('Санкт-Петербург', 'Уссурийск')
    """
    if value is None:
        return None
    return _normalise_city(value, (country or "").strip().upper())
