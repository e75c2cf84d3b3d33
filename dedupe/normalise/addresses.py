"""Postal addresses: their parts, one display form and a comparison key.

Russian-style addresses (Russia, and Cyrillic addresses of the CIS) are read into
parts; any other country's address keeps its text, with its postcode found by the
country's pattern, and gets a generic key (flag "not_parsed").

The display form puts the parts in one order, each with one label:
"123456, Московская область, г. Подольск, ул. Пушкина, д. 105, корп. 2, оф. 12".
The region is shown only when the address states it. "оф." stands for every
premises label (офис, кв., пом., кв/оф, комн.): lists use them interchangeably.

The key is script-neutral and order-free: "podolsk ul pushkina d105 k2 of12"
(city, street type and name, house, buildings, office; no postcode or region,
which one list writes and another omits). A street without a type counts as an
улица; корпус and строение share one code, as lists swap them. There is no key
without a street or a house: a city alone would match every firm in town.
key_without_office drops the office: offices tell apart the tenants of one
business centre, so both are exposed. Abroad the key is the postcode and the
sorted words of the address, street words in one spelling ("Straße", "Str.").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from dedupe.normalise.address_parts import Parts, read_events, read_parts
from dedupe.normalise.address_scan import Event
from dedupe.normalise.places import (
    find_city,
    fold,
    normalise_city,
    region_of_postcode,
)
from dedupe.normalise.postcodes import find_postcode, normalise_postcode

__all__ = [
    "AddressParse",
    "address_key",
    "normalise_address",
    "normalise_city",
    "normalise_postcode",
    "parse_address",
]

_SEGMENT_SPLIT_RE = re.compile(r"[,;\n\r]+")
_SPACES_RE = re.compile(r"\s+")
_CYRILLIC_RE = re.compile(r"[а-яё]", re.IGNORECASE)
_RUSSIAN_STYLE = frozenset(
    ["RU", "BY", "KZ", "KG", "UZ", "TJ", "TM", "AM", "AZ", "GE", "MD", "UA"]
)
_STREET_CODES = {
    "ул.": "ul", "пр-т": "pr", "пер.": "per", "ш.": "sh", "наб.": "nab",
    "б-р": "bul", "пл.": "pl", "мкр": "mkr", "пр-д": "prd", "туп.": "tup",
    "ал.": "al", "линия": "lin", "тракт": "trakt", "кв-л": "kvl", "дор.": "dor",
    "тер.": "ter",
}  # fmt: skip
# Lists swap "корп." and "стр." for the same building far more often than one
# house has both a корпус 2 and a строение 2: the key does not tell them apart.
_BUILDING_CODES = {"корп.": "k", "стр.": "k", "соор.": "k", "лит.": "l"}
# Generic key: one spelling for common street words of other languages.
_GENERIC_WORDS = {
    "street": "st", "road": "rd", "avenue": "ave", "av": "ave", "boulevard": "blvd",
    "lane": "ln", "drive": "dr", "place": "pl", "square": "sq", "suite": "ste",
    "floor": "fl", "building": "bldg", "apartment": "apt", "strasse": "str",
    "platz": "pl", "ulica": "ul",
}  # fmt: skip
_VALUE_PART_RE = re.compile(r"[^\W_]+")
_NOT_WORD_RE = re.compile(r"[\W_]+")
_ROUNDS = 4


class AddressParse(NamedTuple):
    """An address read into parts (a named tuple: one is made per address read).

    Attributes:
        raw: the input, untouched.
        country: ISO alpha-2 code the address was read as.
        postcode: canonical postcode or None.
        region: the region stated, else the one implied by the city or the
            postcode (Russia only); canonical name where known.
        district: district or municipal area as written ("Одинцовский р-н").
        city: canonical city name (see places.normalise_city).
        street: street with its type first: "ул. Ленина", "пр-т Мира".
        house: house number with letter or fraction: "5", "5А", "5/2".
        building: corpus, structure and letter: "корп. 2, стр. 1", "лит. А".
        office: premises number: "12", "IV".
        display: the address in the standard form (see module docstring).
        key: comparison key; key_without_office: the same without the office.
        flags: "no_city", "no_street", "no_house", "unparsed_rest" (parts
            left over, kept at the end of display), "region_mismatch" (the
            postcode's region is not the city's or the stated one),
            "not_parsed" (a foreign address: text kept, postcode found),
            "unstable" (marker soup whose display would not read back as
            itself: display is None).
    """

    raw: str | None
    country: str | None = None
    postcode: str | None = None
    region: str | None = None
    district: str | None = None
    city: str | None = None
    street: str | None = None
    house: str | None = None
    building: str | None = None
    office: str | None = None
    display: str | None = None
    key: str | None = None
    key_without_office: str | None = None
    flags: tuple[str, ...] = ()


@lru_cache(maxsize=16384)
def _fold_value(value: str) -> str:
    # "5А" -> "5a", "5/2" and "28-30" keep their separator.
    return _VALUE_PART_RE.sub(lambda m: fold(m.group()).replace(" ", ""), value)


def _street(scan: Parts) -> str | None:
    if scan.street_name is None:
        return None
    return (
        f"{scan.street_kind} {scan.street_name}"
        if scan.street_kind
        else scan.street_name
    )


def _display(scan: Parts, street: str | None) -> str | None:
    parts = [
        scan.postcode,
        scan.region,
        scan.district,
        f"{scan.city_label} {scan.city}" if scan.city else None,
        street,
        f"д. {scan.house}" if scan.house else None,
        *(f"{label} {value}" for label, value in scan.buildings),
        f"оф. {scan.office}" if scan.office else None,
        *scan.rest,
    ]
    return ", ".join(p for p in parts if p) or None


def _keys(scan: Parts, region: str | None) -> tuple[str | None, str | None]:
    tokens = [fold(scan.city or region or "")]
    if scan.street_name:
        tokens += [
            # A street written without a type is an улица far more often than
            # anything else: "Тверская 7" is "ул. Тверская, 7".
            _STREET_CODES.get(scan.street_kind or "ул.", ""),
            fold(scan.street_name),
        ]
    if scan.house:
        tokens.append("d" + _fold_value(scan.house))
    tokens += sorted(
        _BUILDING_CODES.get(label, "k") + _fold_value(value)
        for label, value in scan.buildings
    )
    key = " ".join(t for t in tokens if t)
    if not (scan.street_name or scan.house):
        return None, None  # a city alone does not identify an address
    office = f" of{_fold_value(scan.office)}" if scan.office else ""
    return key + office, key


def _region(scan: Parts, flags: list[str]) -> str | None:
    if scan.country != "RU":
        return scan.region
    city = find_city(scan.city, "RU") if scan.city else None
    from_city = city.region if city else None
    from_postcode = region_of_postcode(scan.postcode)
    known = scan.region or from_city
    if from_postcode and known and from_postcode != known:
        flags.append("region_mismatch")  # often a stale postcode or a moved firm
    return known or from_postcode


def _parse_russian(raw: str, country: str) -> AddressParse:
    events = read_events(_SEGMENT_SPLIT_RE.split(raw), country)
    return _assemble(raw, events, country)


def _assemble(raw: str, events: tuple[Event, ...], country: str) -> AddressParse:
    # Not cached on the events: they repeat only when the address does (5 % of
    # the sample rows), and _read caches exact repeats already.
    scan = read_parts(events, country)
    flags: list[str] = []
    region = _region(scan, flags)
    flags += [
        code
        for code, missing in (
            ("no_city", scan.city is None),
            ("no_street", scan.street_name is None),
            ("no_house", scan.house is None),
            ("unparsed_rest", bool(scan.rest)),
        )
        if missing
    ]
    street = _street(scan)
    key, key_without_office = _keys(scan, region)
    return AddressParse(
        raw=raw,
        country=country,
        postcode=scan.postcode,
        region=region,
        district=scan.district,
        city=scan.city,
        street=street,
        house=scan.house,
        building=", ".join(f"{lb} {v}" for lb, v in scan.buildings) or None,
        office=scan.office,
        display=_display(scan, street),
        key=key,
        key_without_office=key_without_office,
        flags=tuple(sorted(flags)),
    )


def _plain_words(text: str) -> list[str]:
    # No transliteration rules here: they are for Russian names, and would turn
    # "Hauptstrasse" into "haupcrase".
    text = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NOT_WORD_RE.sub(" ", text).split()


def _generic_key(text: str, postcode: str | None) -> str | None:
    words = []
    for word in _plain_words(text):
        if word.endswith("strasse") and len(word) > 7:
            word = word[:-7] + "str"  # "Hauptstraße" and "Hauptstr."
        words.append(_GENERIC_WORDS.get(word, word))
    tokens = sorted(set(words))
    if postcode:
        tokens.insert(0, postcode.replace(" ", "").lower())
    return " ".join(tokens) or None


def _parse_generic(raw: str, country: str) -> AddressParse:
    segments = (_SPACES_RE.sub(" ", s).strip() for s in _SEGMENT_SPLIT_RE.split(raw))
    text = ", ".join(s for s in segments if s)
    found = find_postcode(text, country) if text else None
    postcode, rest = None, text
    if found:
        postcode, start, end = found
        text = text[:start] + postcode + text[end:]
        rest = text[:start] + text[start + len(postcode) :]
    city = next(
        (c.name for s in rest.split(",") if (c := find_city(s.strip(), country))),
        None,
    )
    key = _generic_key(rest, postcode)
    return AddressParse(
        raw=raw,
        country=country or None,
        postcode=postcode,
        city=city,
        display=text or None,
        key=key,
        key_without_office=key,
        flags=("not_parsed",),
    )


@lru_cache(maxsize=16384)
def _read(raw: str, country: str) -> AddressParse:
    if not raw.strip():
        return AddressParse(raw=raw, country=country or None)
    cyrillic = _CYRILLIC_RE.search(raw) is not None
    if country == "RU" or (not country and cyrillic):
        return _parse_russian(raw, "RU")
    if country in _RUSSIAN_STYLE and cyrillic:
        return _parse_russian(raw, country)
    return _parse_generic(raw, country)


def _display_of(display: str, country: str) -> str | None:
    if country in _RUSSIAN_STYLE and _CYRILLIC_RE.search(display):
        # Only the display is wanted: the parts give it, without the key, region
        # and flags that _assemble works out (segments are cached).
        scan = read_parts(
            read_events(_SEGMENT_SPLIT_RE.split(display), country), country
        )
        return _display(scan, _street(scan))
    return _read(display, country).display


def _stable(display: str | None, country: str) -> str | None:
    """Return the display form that reads back as itself, or None.

    Every real address's display reads back as itself at once; marker soup such
    as "ул.ул.1-я" may need a second round. normalise_address is then
    idempotent by construction, not by the hope that no input is odd.
    """
    for _ in range(_ROUNDS):
        if display is None:
            return None
        again = _display_of(display, country)
        if again == display:
            return display
        display = again
    return None


def _parse(raw: str, country: str) -> AddressParse:
    parsed = _read(raw, country)
    if parsed.display == raw:
        return parsed  # raw reads as itself: a fixed point already
    display = _stable(parsed.display, parsed.country or country)
    if display == parsed.display:
        return parsed
    flags = parsed.flags if display else (*parsed.flags, "unstable")
    return parsed._replace(display=display, flags=flags)


def parse_address(value: str | None, country: str | None = "RU") -> AddressParse:
    """Read a postal address into its parts, a display form and a key.

    Args:
        value: the address as written: "г. Москва, ул. Ленина, д. 5, оф. 12",
            "Москва, Ленина ул., 5, офис 12", "10 Downing St, London SW1A 2AA".
        country: ISO alpha-2 code of the record; None when unknown (a Cyrillic
            address is then read as Russian).

    Returns:
        An AddressParse; never raises.

    Examples:
        >>> p = parse_address("Москва г, Лесная ул., д 1, кв/оф 100")
        >>> p.display, p.key
        ('г. Москва, ул. Лесная, д. 1, оф. 100', 'moskva ul lesnaia d1 of100')
    """
    if value is None:
        return AddressParse(raw=None, country=country)
    return _parse(value, (country or "").strip().upper())


def normalise_address(value: str | None, country: str | None = "RU") -> str | None:
    """Return the address in the standard display form, or None.

    Examples:
        >>> normalise_address("123456, г Москва, улица Ленина, дом 5")
        '123456, г. Москва, ул. Ленина, д. 5'
    """
    return parse_address(value, country).display


def address_key(value: str | None, country: str | None = "RU") -> str | None:
    """Return the comparison key of an address, or None.

    The key does not change with case, abbreviation style (ул./улица), Latin or
    Cyrillic spelling, punctuation or the order of the parts.

    Examples:
        >>> address_key("Moscow, Tverskaya st. 7")
        'moskva ul tverskaia d7'
        >>> address_key("ул. Тверская, 7, Москва")
        'moskva ul tverskaia d7'
    """
    return parse_address(value, country).key
