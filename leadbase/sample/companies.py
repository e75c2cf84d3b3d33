"""The true companies behind the sample: one entity per branch, with clean values."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import NamedTuple

from leadbase.sample import vocab
from leadbase.sample.chance import between, cumulative, one, pick
from leadbase.sample.ids import FOREIGN_KPP, PhoneAllocator, TaxIdAllocator
from leadbase.sample.places import (
    CITIES,
    CITY_WEIGHTS,
    STREET_KINDS,
    STREETS_ADJECTIVE,
    STREETS_GENITIVE,
    City,
)
from leadbase.sample.translit import domain_label

# (form, former form or "", weight): JSC renamed from ЗАО/ОАО after the 2014 reform.
_FORMS = (
    ("ООО", "", 0.735),
    ("ИП", "", 0.15),
    ("АО", "", 0.04),
    ("АО", "ЗАО", 0.02),
    ("ЗАО", "", 0.01),
    ("ПАО", "", 0.0075),
    ("ПАО", "ОАО", 0.0075),
    ("foreign", "", 0.03),
)
_FORM_WEIGHTS = tuple(w for _, _, w in _FORMS)
_CYRILLIC_TAILS = ("", "-24", "-онлайн", "-компания")
_VK_TAILS = ("", "_official", "_msk", "_company", "_club")
_MOBILE_CODES = ("903", "905", "909", "915", "916", "917", "925", "926", "977", "985")


class Person(NamedTuple):
    """A contact person: ФИО parts and gender."""

    surname: str
    first: str
    patronymic: str
    female: bool


class Address(NamedTuple):
    """A postal address; rendered many ways by noise.py."""

    postcode: str
    city: City
    street: str
    street_kind: int  # index into places.STREET_KINDS, -1: adjectival "улица"
    house: int
    building: str
    office: str


class Company(NamedTuple):
    """One true entity: an organisation's head office or one of its branches."""

    entity_id: str
    organisation_id: str
    form: str  # ООО, АО, ПАО, ЗАО, ИП or a foreign form (LLC, Ltd, GmbH, Inc.)
    former_form: str  # the form before a rename, "" if none
    name: str  # the name without form; for ИП the person's ФИО
    inn: str
    ogrn: str  # OGRN, OGRNIP or "" (foreign)
    kpp: str  # "" for ИП
    address: Address
    old_address: Address  # where the firm was before: stale lists still show it
    phones: tuple[str, ...]  # 10-digit national numbers, the main one first
    extension: str
    old_phone: str
    domain: str  # "" when the firm has no site of its own
    cyrillic_domain: str  # "ромашка.рф" or ""
    vk_page: str  # "vk.com/..." or ""
    email_local: str  # "" when the firm uses free mail
    free_email: str
    industry: tuple[str, str, str]
    person: Person
    position: str
    is_dead: bool
    is_branch: bool
    is_sole_trader: bool
    is_foreign: bool


def _pick_name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.22:
        name = one(rng, vocab.POPULAR_NAMES)
    elif roll < 0.5:
        root, suffix = one(rng, vocab.NAME_ROOTS), one(rng, vocab.NAME_SUFFIXES)
        name = root + suffix if root.lower() != suffix else root + "сервис"
    else:
        name = one(rng, vocab.WORD_NAMES)
    roll = rng.random()
    if roll < 0.12:
        return f"{one(rng, vocab.NAME_PREFIXES)} {name}"
    if roll < 0.22:
        return name + one(rng, vocab.NAME_TAILS)
    return name


def _pick_person(rng: random.Random) -> Person:
    index = int(rng.random() * len(vocab.SURNAMES_MALE))
    male, female = one(rng, vocab.PATRONYMICS)
    if rng.random() < 0.4:
        first = one(rng, vocab.FIRST_NAMES_FEMALE)
        return Person(vocab.SURNAMES_FEMALE[index], first, female, True)
    first = one(rng, vocab.FIRST_NAMES_MALE)
    return Person(vocab.SURNAMES_MALE[index], first, male, False)


def _pick_address(rng: random.Random, city: City) -> Address:
    if rng.random() < 0.3:
        street, kind = one(rng, STREETS_ADJECTIVE), -1
    else:
        street, kind = one(rng, STREETS_GENITIVE), int(rng.random() * len(STREET_KINDS))
    building = str(between(rng, 1, 5)) if rng.random() < 0.15 else ""
    office = str(between(rng, 1, 450)) if rng.random() < 0.65 else ""
    postcode = one(rng, city.postcode_prefixes) + f"{between(rng, 0, 999):03d}"
    return Address(postcode, city, street, kind, between(rng, 1, 150), building, office)


_CITY_CUM = cumulative(*CITY_WEIGHTS)
_FORM_CUM = cumulative(*_FORM_WEIGHTS)


class CompanyFactory:
    """Makes true companies one by one; keeps only small counters between them."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._tax = TaxIdAllocator(rng)
        self._phones = PhoneAllocator()
        self._switchboards: dict[tuple[str, int], tuple[str, Address]] = {}
        self._label_uses: dict[str, int] = {}
        self._holding = ""
        self._holding_left = 0

    def iter_companies(self, count: int) -> Iterator[Company]:
        """Yield count entities; an organisation's branches follow its head."""
        made = organisations = 0
        while made < count:
            organisations += 1
            made += 1
            head = self._organisation(f"E{made:07d}", f"O{organisations:07d}")
            yield head
            branches = between(self._rng, 1, 3) if self._has_branches(head) else 0
            for number in range(min(branches, count - made)):
                made += 1
                yield self._branch(head, f"E{made:07d}", number)

    def _has_branches(self, head: Company) -> bool:
        plain = not (head.is_sole_trader or head.is_foreign)
        return plain and self._rng.random() < 0.037  # about 3 % of all organisations

    def _organisation(self, entity_id: str, organisation_id: str) -> Company:
        rng = self._rng
        form, former = _FORMS[pick(rng, _FORM_CUM)][:2]
        city = CITIES[0] if form == "foreign" else CITIES[pick(rng, _CITY_CUM)]
        person = _pick_person(rng)
        form, name, inn, ogrn, kpp = self._identity(form, city, person)
        is_sole = form == "ИП"
        phones, extension, address = self._contact_phones(city, is_sole)
        domain, cyrillic, vk_page, local, free = self._web(name, person, form)
        positions = vocab.SOLE_TRADER_POSITIONS if is_sole else vocab.POSITIONS
        return Company(
            entity_id=entity_id, organisation_id=organisation_id, form=form,
            former_form=former, name=name, inn=inn, ogrn=ogrn, kpp=kpp,
            address=address, old_address=_pick_address(rng, city), phones=phones,
            extension=extension, old_phone=self._number(city, mobile=False),
            domain=domain, cyrillic_domain=cyrillic, vk_page=vk_page,
            email_local=local, free_email=free,
            industry=one(rng, vocab.INDUSTRIES), person=person,
            position=one(rng, positions), is_dead=rng.random() < 0.04,
            is_branch=False, is_sole_trader=is_sole,
            is_foreign=form in vocab.FOREIGN_FORMS,
        )  # fmt: skip

    def _identity(
        self, form: str, city: City, person: Person
    ) -> tuple[str, str, str, str, str]:
        """Return (form, name, INN, OGRN, KPP)."""
        rng = self._rng
        if form == "ИП":
            inn, ogrnip = self._tax.sole_trader(city)
            fio = f"{person.surname} {person.first} {person.patronymic}"
            return form, fio, inn, ogrnip, ""
        if form == "foreign":
            name = f"{one(rng, vocab.FOREIGN_FIRST)} {one(rng, vocab.FOREIGN_SECOND)}"
            form = one(rng, vocab.FOREIGN_FORMS)
            return form, name, self._tax.foreign(), "", FOREIGN_KPP
        inn, ogrn, kpp = self._tax.organisation(city)
        return form, _pick_name(rng), inn, ogrn, kpp

    def _number(self, city: City, mobile: bool) -> str:
        code = one(self._rng, _MOBILE_CODES if mobile else city.area_codes)
        return self._phones.number(code)

    def _contact_phones(
        self, city: City, is_sole: bool
    ) -> tuple[tuple[str, ...], str, Address]:
        """Return (phones, extension, address); 1 % sit in a business centre."""
        rng = self._rng
        address = _pick_address(rng, city)
        extension = str(between(rng, 10, 999)) if rng.random() < 0.08 else ""
        if not is_sole and rng.random() < 0.012:
            main, centre = self._switchboard(city)
            extension = str(between(rng, 100, 999))
            address = centre._replace(office=str(between(rng, 100, 999)))
        else:
            main = self._number(city, mobile=is_sole and rng.random() < 0.7)
        phones = [main]
        if rng.random() < 0.3:
            phones.append(self._number(city, mobile=True))
        if rng.random() < 0.04:
            phones.append(self._phones.number("800"))
        return tuple(phones), extension, address

    def _switchboard(self, city: City) -> tuple[str, Address]:
        """Return a shared business-centre phone of city (two per city)."""
        key = (city.name, int(self._rng.random() * 2))
        if key not in self._switchboards:
            address = _pick_address(self._rng, city)
            self._switchboards[key] = (self._number(city, mobile=False), address)
        return self._switchboards[key]

    def _unique_label(
        self, kind: str, label: str, tails: tuple[str, ...], sep: str = ""
    ) -> str:
        """Return label + a tail no namesake of the same kind got before."""
        # Labels never end in "-" or "." and tails start with one, so the
        # numbered fallback ("alfa11") cannot repeat another label's tail.
        key = kind + label
        uses = self._label_uses.get(key, 0)
        self._label_uses[key] = uses + 1
        return label + (tails[uses] if uses < len(tails) else f"{sep}{uses}")

    def _web(
        self, name: str, person: Person, form: str
    ) -> tuple[str, str, str, str, str]:
        """Return (domain, cyrillic domain, vk page, email local part, free email)."""
        rng = self._rng
        is_sole = form == "ИП"
        label = domain_label(person.surname if is_sole else name)
        domain = cyrillic = ""
        if rng.random() < (0.25 if is_sole else 0.72):
            if not is_sole and rng.random() < 0.007:
                domain = self._holding_domain()
            elif rng.random() < 0.06 and form not in vocab.FOREIGN_FORMS:
                base = name.lower().replace(" ", "-")
                cyrillic = self._unique_label("рф:", base, _CYRILLIC_TAILS) + ".рф"
            else:
                zone = one(rng, vocab.DOMAIN_ZONES)
                domain = self._unique_label("", label, vocab.DOMAIN_TAILS) + f".{zone}"
        vk_page = ""
        if rng.random() < (0.3 if not domain else 0.08):
            slug = self._unique_label("vk:", label, _VK_TAILS, "_")
            vk_page = "vk.com/" + slug.replace("-", "_")
        local = free = ""
        if domain:
            personal = rng.random() < 0.15 or domain == self._holding
            local = domain_label(person.surname) if personal else ""
            local = local or one(rng, vocab.EMAIL_LOCALS)
        if not domain or rng.random() < 0.2:
            free_local = self._unique_label("@:", label.replace("-", ""), ("",), ".")
            free = f"{free_local}@{one(rng, vocab.FREE_MAIL)}"
        return domain, cyrillic, vk_page, local, free

    def _holding_domain(self) -> str:
        """Return the domain of a holding whose few distinct firms share it."""
        if self._holding_left == 0:
            word = domain_label(one(self._rng, vocab.POPULAR_NAMES)) + "-holding"
            self._holding = self._unique_label("holding:", word, ("",)) + ".ru"
            self._holding_left = between(self._rng, 2, 4)
        self._holding_left -= 1
        return self._holding

    def _branch(self, head: Company, entity_id: str, number: int) -> Company:
        """Return a branch of head: same INN and name, own KPP, city and phones."""
        rng = self._rng
        city = head.address.city
        while city == head.address.city:
            city = CITIES[pick(rng, _CITY_CUM)]
        kpp = self._tax.kpp(city, one(rng, city.offices), "43", number + 1)
        phones, extension, address = self._contact_phones(city, is_sole=False)
        local = domain_label(city.name).split("-")[0] if head.domain else ""
        return head._replace(
            entity_id=entity_id, kpp=kpp, address=address,
            old_address=_pick_address(rng, city), phones=phones,
            extension=extension, old_phone=self._number(city, mobile=False),
            email_local=local, free_email="", person=_pick_person(rng),
            position=one(rng, vocab.POSITIONS), is_branch=True,
        )  # fmt: skip
