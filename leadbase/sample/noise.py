"""Renderings of true values as people write them: names, phones, people, typos."""

from __future__ import annotations

import random

from leadbase.sample.chance import between, one
from leadbase.sample.companies import Company, Person
from leadbase.sample.places import CITIES
from leadbase.sample.translit import transliterate

FULL_FORMS = {
    "ООО": "Общество с ограниченной ответственностью",
    "АО": "Акционерное общество",
    "ПАО": "Публичное акционерное общество",
    "ЗАО": "Закрытое акционерное общество",
    "ОАО": "Открытое акционерное общество",
    "ИП": "Индивидуальный предприниматель",
}
_SIMILAR = {"а": "о", "о": "а", "е": "и", "и": "е", "с": "з", "т": "д", "н": "м"}
_LONG_CODES = frozenset(a for c in CITIES for a in c.area_codes if len(a) == 4)
_EXTENSIONS = (" доб. {}", " доб. {}", " (доб. {})", " доб.{}", " вн. {}", " ext. {}")

# How many ways each value is written; sources.py weights them per source.
NAME_STYLES, PERSON_STYLES, PHONE_STYLES = 10, 8, 10


def typo(rng: random.Random, text: str) -> str:
    """Return text with one realistic one-character mistake."""
    if len(text) < 4:
        return text
    i = between(rng, 1, len(text) - 2)
    kind = int(rng.random() * 4)
    if kind == 0:  # swapped neighbours
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == 1:  # a letter dropped
        return text[:i] + text[i + 1 :]
    if kind == 2:  # a letter doubled
        return text[: i + 1] + text[i:]
    return text[:i] + _SIMILAR.get(text[i], text[i]) + text[i + 1 :]


def render_name(
    rng: random.Random, c: Company, style: int, form: str, name: str
) -> str:
    """Return a company's name, form and name as given, in one of NAME_STYLES ways."""
    if c.is_sole_trader:
        return _sole_trader_name(c.person, style)
    if c.is_foreign:
        return _foreign_name(name, form, style)
    if style == 0:
        return f"{form} «{name}»"
    if style == 1:
        return f'{form} "{name}"'
    if style == 2:
        return f"{form} {name}"
    if style == 3:
        return f'"{name}" {form}' if rng.random() < 0.5 else f"{name} {form}"
    if style == 4:
        return f'{form} "{name.upper()}"'
    if style == 5:
        return f"{FULL_FORMS[form]} «{name}»"
    if style == 6:
        return f"{transliterate(form)} {transliterate(name)}"
    if style == 7:
        return f"{form} {name}".lower()
    if style == 8:
        return f" {form}  «{name}» " if rng.random() < 0.5 else f"{form}  {name}"
    return name


def _sole_trader_name(p: Person, style: int) -> str:
    fio = f"{p.surname} {p.first} {p.patronymic}"
    short = f"{p.surname} {p.first[0]}.{p.patronymic[0]}."
    return (
        f"ИП {fio}", f"ИП {fio}", f"ИП {fio}", f"{fio} ИП", f"ИП {fio.upper()}",
        f"Индивидуальный предприниматель {fio}", f"IP {transliterate(fio)}",
        f"ип {fio.lower()}", f"ИП {short}", f"ИП {short[:-2]} {short[-2:]}",
    )[style]  # fmt: skip


def _foreign_name(name: str, form: str, style: int) -> str:
    return (
        f"{name} {form}", f"{name} {form}", f"{name} {form}",
        f"{name} {form}".upper(), f"{name}, {form}",
        f"Представительство компании «{name} {form}»", name,
        f"{name} {form}".lower(), f"{name}  {form} ",
        f'Компания "{name} {form}"',
    )[style]  # fmt: skip


def branch_name(rng: random.Random, rendered: str, city: str) -> str:
    """Return how a branch is usually labelled around its organisation's name."""
    if rng.random() < 0.5:
        return f"Филиал {rendered} в г. {city}"
    return f"{rendered} (филиал {city})"


def render_person(p: Person, style: int) -> str:
    """Return a ФИО in one of PERSON_STYLES orders and abbreviations."""
    if style == 0:
        return f"{p.surname} {p.first} {p.patronymic}"
    if style == 1:
        return f"{p.first} {p.patronymic} {p.surname}"
    if style == 2:
        return f"{p.surname} {p.first[0]}.{p.patronymic[0]}."
    if style == 3:
        return f"{p.surname} {p.first[0]}. {p.patronymic[0]}."
    if style == 4:
        return f"{p.first} {p.surname}"
    if style == 5:
        return f"{p.surname} {p.first} {p.patronymic}".upper()
    if style == 6:
        return f"{p.surname} {p.first}"
    return f"{p.first} {p.patronymic}"


def render_phone(number: str, style: int) -> str:
    """Return a 10-digit national number in one of PHONE_STYLES formats."""
    code_len = 4 if number[:4] in _LONG_CODES else 3
    code, local = number[:code_len], number[code_len:]
    if style == 3:
        return "7" + number
    if style == 5:
        return "+7" + number
    if style == 1:
        return f"8 {code} {local}"
    cut = 3 if code_len == 3 else 2
    if style == 4:
        return f"+7 {code} {local[:cut]} {local[cut:-2]} {local[-2:]}"
    dashed = f"{local[:cut]}-{local[cut:-2]}-{local[-2:]}"
    if style == 6 and number[0] not in "89":
        return dashed  # nobody drops the code of a mobile or 8-800 number
    return (
        f"+7 ({code}) {dashed}", "", f"8({code}){dashed}", "", "", "",
        f"+7 ({code}) {dashed}", f"8-{code}-{dashed}", f"({code}) {dashed}",
        f"8 ({code}) {dashed}",
    )[style]  # fmt: skip


def render_extension(rng: random.Random, extension: str) -> str:
    """Return an extension suffix such as " доб. 123"."""
    return one(rng, _EXTENSIONS).format(extension)
