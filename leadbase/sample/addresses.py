"""Renderings of a postal address with the usual abbreviations and orders."""

from __future__ import annotations

import random

from leadbase.sample.chance import one
from leadbase.sample.companies import Address
from leadbase.sample.places import BUILDING_LABELS, OFFICE_LABELS, STREET_KINDS

ADDRESS_STYLES = 6


def _street(a: Address, style: int) -> str:
    # style 0: "ул. Ленина", 1: "Ленина ул.", 2: "улица Ленина"
    if a.street_kind < 0:
        full, short, suffix = "улица", "ул.", "ул."
    else:
        full, short, suffix = STREET_KINDS[a.street_kind]
    return (f"{short} {a.street}", f"{a.street} {suffix}", f"{full} {a.street}")[style]


def render_address(rng: random.Random, a: Address, style: int) -> str:
    """Return the address in one of ADDRESS_STYLES common shapes."""
    office = a.office
    building = f", {one(rng, BUILDING_LABELS)} {a.building}" if a.building else ""
    if style == 0:  # г. Москва, ул. Ленина, д. 5, оф. 12
        tail = f", {one(rng, OFFICE_LABELS)} {office}" if office else ""
        return f"г. {a.city.name}, {_street(a, 0)}, д. {a.house}{building}{tail}"
    if style == 1:  # Москва, Ленина ул., 5, офис 12
        tail = f", офис {office}" if office else ""
        return (
            f"{one(rng, a.city.spellings)}, {_street(a, 1)}, {a.house}{building}{tail}"
        )
    if style == 2:  # 123456, г Москва, улица Ленина, дом 5
        tail = f", офис {office}" if office else ""
        street = _street(a, 2)
        return f"{a.postcode}, г {a.city.name}, {street}, дом {a.house}{building}{tail}"
    if style == 3:  # 123456, Россия, Московская обл., г. Химки, ...
        region = f"{a.city.region_label}, " if a.city.region_label else ""
        tail = f", помещ. {office}" if office else ""
        return (
            f"{a.postcode}, Россия, {region}г. {a.city.name}, {_street(a, 0)}, "
            f"д. {a.house}{building}{tail}"
        )
    if style == 4:  # г.Москва ул.Ленина д.5 оф.12
        tail = f" оф.{office}" if office else ""
        street = _street(a, 0).replace(". ", ".")
        return f"г.{a.city.name} {street} д.{a.house}{tail}"
    tail = f", кв/оф {office}" if office else ""
    return f"{a.city.name} г, {_street(a, 1)}, д {a.house}{building}{tail}"
