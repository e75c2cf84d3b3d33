"""What each source shows of a true company: one payload per source row."""

from __future__ import annotations

import random

from leadbase.sample import vocab
from leadbase.sample.addresses import ADDRESS_STYLES, render_address
from leadbase.sample.chance import between, cumulative, one, pick
from leadbase.sample.companies import Company
from leadbase.sample.ids import complete_inn
from leadbase.sample.noise import (
    NAME_STYLES,
    PERSON_STYLES,
    PHONE_STYLES,
    branch_name,
    render_extension,
    render_name,
    render_person,
    render_phone,
    typo,
)
from leadbase.sample.web import (
    WEBSITE_STYLES,
    render_email,
    render_emails,
    render_website,
)

DIRECTORY, BOUGHT, CRM = "directory", "bought", "crm"
DIRECTORY_KEYS = (
    "name", "inn", "ogrn", "phones", "email", "website", "address", "city",
    "industry", "source_url",
)  # fmt: skip
BOUGHT_HEADERS = (
    "Наименование", "ИНН", "ОГРН", "КПП", "Телефон", "E-mail", "Сайт", "Адрес",
    "Город", "Контактное лицо", "Должность", "Отрасль",
)  # fmt: skip
CRM_HEADERS = (
    "Название организации", "ИНН/КПП", "Телефоны", "Почта", "Web", "Адрес", "ФИО",
    "Должность", "Комментарий", "Ответственный", "Дата создания",
)  # fmt: skip

# Which sources know a company: D, B, C, DB, DC, BC, DBC. About 30 % of rows
# repeat an entity already present in another source.
_PATTERNS = (
    (DIRECTORY,), (BOUGHT,), (CRM,), (DIRECTORY, BOUGHT), (DIRECTORY, CRM),
    (BOUGHT, CRM), (DIRECTORY, BOUGHT, CRM),
)  # fmt: skip
_PATTERN_CUM = cumulative(0.33, 0.19, 0.10, 0.18, 0.09, 0.06, 0.05)
# Dead firms are gone from the live directory but linger in old lists.
_DEAD_PATTERN_CUM = cumulative(0, 0.5, 0.3, 0, 0, 0.2, 0)
# Chance that a source lists the same entity twice.
REPEAT_PROBABILITY = {DIRECTORY: 0.02, BOUGHT: 0.01, CRM: 0.03}
# Share of INNs mistyped by hand (checksum broken); the directory copies registries.
INN_TYPO_PROBABILITY = {DIRECTORY: 0.0, BOUGHT: 0.006, CRM: 0.01}


def _styles(count: int, *weights: float) -> tuple[float, ...]:
    """Return cumulative weights of a value's count renderings."""
    if len(weights) != count:
        raise ValueError(f"{len(weights)} weights given for {count} styles")
    return cumulative(*weights)


# How often each source writes a value in each style of noise.py / addresses.py.
_DIRECTORY_NAMES = _styles(NAME_STYLES, 40, 20, 10, 5, 5, 5, 2, 2, 6, 5)
_BOUGHT_NAMES = _styles(NAME_STYLES, 8, 25, 10, 5, 35, 15, 0, 0, 2, 0)
_CRM_NAMES = _styles(NAME_STYLES, 5, 10, 20, 30, 3, 3, 4, 8, 10, 15)
_DIRECTORY_PHONES = _styles(PHONE_STYLES, 50, 3, 5, 0, 15, 5, 0, 7, 10, 5)
_BOUGHT_PHONES = _styles(PHONE_STYLES, 15, 20, 10, 25, 5, 10, 2, 5, 3, 5)
_CRM_PHONES = _styles(PHONE_STYLES, 10, 25, 15, 10, 5, 5, 15, 10, 3, 2)
_PEOPLE = _styles(PERSON_STYLES, 50, 8, 15, 5, 5, 5, 7, 5)
_ADDRESSES = _styles(ADDRESS_STYLES, 40, 25, 15, 10, 5, 5)
_WEBSITES = _styles(WEBSITE_STYLES, 35, 20, 15, 10, 15, 5)


def pick_sources(rng: random.Random, c: Company) -> tuple[str, ...]:
    """Return the sources that list the company (at least one)."""
    return _PATTERNS[pick(rng, _DEAD_PATTERN_CUM if c.is_dead else _PATTERN_CUM)]


def corrupt_inn(rng: random.Random, inn: str) -> str:
    """Return inn with one digit mistyped so that its checksum fails."""
    while True:
        i = int(rng.random() * len(inn))
        wrong = inn[:i] + str((int(inn[i]) + between(rng, 1, 9)) % 10) + inn[i + 1 :]
        body = wrong[:9] if len(wrong) == 10 else wrong[:10]
        if complete_inn(body) != wrong:
            return wrong


def _inn(rng: random.Random, c: Company, source: str, present: float) -> str:
    if rng.random() >= present:
        return ""
    if rng.random() < INN_TYPO_PROBABILITY[source]:
        return corrupt_inn(rng, c.inn)
    return c.inn


def _name(
    rng: random.Random, c: Company, cum: tuple[float, ...], typo_p: float, old_p: float
) -> str:
    form = c.former_form if c.former_form and rng.random() < old_p else c.form
    c_name = typo(rng, c.name) if rng.random() < typo_p else c.name
    text = render_name(rng, c, pick(rng, cum), form, c_name)
    if c.is_branch and rng.random() < 0.35:
        return branch_name(rng, text, c.address.city.name)
    return text


def _phones(
    rng: random.Random, c: Company, cum: tuple[float, ...], numbers: tuple[str, ...]
) -> str:
    style = pick(rng, cum)
    shown = [render_phone(n, style) for n in numbers]
    if c.extension and numbers[0] == c.phones[0]:
        shown[0] += render_extension(rng, c.extension)
    return one(rng, (", ", "; ", ", ")).join(shown)


def directory_row(rng: random.Random, c: Company, card: int) -> dict[str, str]:
    """Return a card of the crawled business directory: current, fairly clean."""
    numbers = c.phones if rng.random() < 0.9 else c.phones[:1]
    return {
        "name": _name(rng, c, _DIRECTORY_NAMES, 0.015, 0.0),
        "inn": _inn(rng, c, DIRECTORY, 0.8),
        "ogrn": c.ogrn if rng.random() < 0.55 else "",
        "phones": _phones(rng, c, _DIRECTORY_PHONES, numbers),
        "email": render_emails(rng, c) if rng.random() < 0.85 else "",
        "website": render_website(rng, c, pick(rng, _WEBSITES)),
        "address": render_address(rng, c.address, pick(rng, _ADDRESSES)),
        "city": one(rng, c.address.city.spellings),
        "industry": c.industry[2] if rng.random() < 0.7 else c.industry[1],
        "source_url": f"http://directory.example/company/{card}",
    }


def bought_row(rng: random.Random, c: Company) -> dict[str, str]:
    """Return a row of the bought list: complete-looking, but stale."""
    main = c.old_phone if rng.random() < 0.3 else c.phones[0]
    numbers = (main, *c.phones[1:2]) if rng.random() < 0.2 else (main,)
    address = c.old_address if rng.random() < 0.25 else c.address
    has_contact = rng.random() < 0.7
    code, label, _ = c.industry
    return {
        "Наименование": _name(rng, c, _BOUGHT_NAMES, 0.02, 0.7),
        "ИНН": _inn(rng, c, BOUGHT, 0.95),
        "ОГРН": c.ogrn if rng.random() < 0.85 else "",
        "КПП": c.kpp if rng.random() < 0.85 else "",
        "Телефон": _phones(rng, c, _BOUGHT_PHONES, numbers),
        "E-mail": render_email(rng, c, False, 0.2, 0.03) if rng.random() < 0.75 else "",
        "Сайт": render_website(rng, c, pick(rng, _WEBSITES))
        if rng.random() < 0.5
        else "",
        "Адрес": render_address(rng, address, pick(rng, _ADDRESSES)),
        "Город": one(rng, address.city.spellings),
        "Контактное лицо": render_person(c.person, 0 if rng.random() < 0.7 else 2)
        if has_contact
        else "",
        "Должность": c.position if has_contact else "",
        "Отрасль": f"{code} {label}" if rng.random() < 0.6 else label,
    }


def _comment(rng: random.Random, c: Company, repeat: bool) -> str:
    notes = []
    if c.is_dead and rng.random() < 0.6:
        notes.append(one(rng, vocab.CRM_DEAD_COMMENTS))
    if repeat and rng.random() < 0.5:
        notes.append(one(rng, vocab.CRM_DUPLICATE_COMMENTS))
    for chance in (0.4, 0.15):
        if rng.random() < chance:
            day, month = between(rng, 1, 28), between(rng, 1, 12)
            note = one(rng, vocab.CRM_COMMENTS)
            notes.append(f"{day:02d}.{month:02d}: {note}" if chance < 0.2 else note)
    # Managers pressed Enter inside the cell: quoted newlines in the export.
    return ("\n" if rng.random() < 0.5 else "; ").join(notes)


def _inn_kpp(rng: random.Random, c: Company) -> str:
    inn = _inn(rng, c, CRM, 0.65)
    if not inn or not c.kpp or rng.random() < 0.3:
        return inn
    return inn + one(rng, ("/", "/", " / ", "\\")) + c.kpp


def crm_row(rng: random.Random, c: Company, repeat: bool) -> dict[str, str]:
    """Return a row of the old CRM export: hand-typed, partial, sometimes repeated."""
    main = c.old_phone if rng.random() < 0.2 else c.phones[0]
    numbers = (main, *c.phones[1:2]) if rng.random() < 0.3 else (main,)
    address = c.old_address if rng.random() < 0.15 else c.address
    has_contact = rng.random() < 0.85
    year, month, day = (
        between(rng, 2012, 2023),
        between(rng, 1, 12),
        between(rng, 1, 28),
    )
    return {
        "Название организации": _name(rng, c, _CRM_NAMES, 0.04, 0.5),
        "ИНН/КПП": _inn_kpp(rng, c),
        "Телефоны": _phones(rng, c, _CRM_PHONES, numbers),
        "Почта": render_email(rng, c, True, 0.1, 0.08) if rng.random() < 0.8 else "",
        "Web": render_website(rng, c, pick(rng, _WEBSITES))
        if rng.random() < 0.4
        else "",
        "Адрес": render_address(rng, address, pick(rng, _ADDRESSES))
        if rng.random() < 0.5
        else "",
        "ФИО": render_person(c.person, pick(rng, _PEOPLE)) if has_contact else "",
        "Должность": c.position if has_contact and rng.random() < 0.6 else "",
        "Комментарий": _comment(rng, c, repeat),
        "Ответственный": one(rng, vocab.CRM_MANAGERS),
        "Дата создания": f"{day:02d}.{month:02d}.{year}",
    }
