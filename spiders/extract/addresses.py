"""Postal addresses a page states: after their labels, or in Russian postcode form.

Found: "Адрес: 123456, г. Москва, ул. Ленина, д. 1, оф. 5"; "Юридический адрес:",
"Фактический адрес", "Почтовый адрес", "Адрес офиса", "Место нахождения";
"Address:", "Registered office:", "Postal address:", "Anschrift:", "Adresse:"; a
label in one table cell and the address in the next; a line that starts with a
six-digit postcode and names a street ("190000, Санкт-Петербург, Невский пр., 1").
The address runs to the end of its line or to the next label of something else
("Телефон:", "ИНН", "E-mail:", "Режим работы"). "Адрес электронной почты" and
"E-mail address" are not addresses; nor is a value without a digit or with an "@".

Addresses are kept as written (dedupe's normaliser reads them into parts later);
the postcode and the city are picked out only where the form is plain: a Russian
six-digit postcode and "г. Город", a five-digit postcode before its town
("10115 Berlin", "75008 Paris"), a British postcode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "KINDS",
    "FoundAddress",
    "address_block",
    "addresses_in_text",
    "best_address",
]

# Which address a company item keeps first: where the company is (its office),
# then any unqualified address, then where to write, then where it is registered.
KINDS = ("office", "address", "postal", "legal")

_LABELS: tuple[tuple[str, str], ...] = (
    ("legal", r"юридическ(?:ий|ого)\s+адрес|юр\.?\s*адрес"),
    ("legal", r"адрес\s+(?:места\s+нахождения|местонахождения|регистрации)"),
    ("legal", r"место\s*нахождени[яе]|местонахождение"),
    ("legal", r"registered\s+(?:office|address)(?:\s+address)?|legal\s+address"),
    ("postal", r"почтов(?:ый|ого)\s+адрес|postal\s+address|mailing\s+address"),
    ("office", r"фактическ(?:ий|ого)\s+адрес|факт\.?\s*адрес|адрес\s+офиса"),
    ("office", r"office\s+address|head\s+office|visiting\s+address|our\s+office"),
    ("address", r"адрес|address|anschrift|adresse|adres"),
)
_LABEL = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(f"(?P<{kind}{n}>{pattern})" for n, (kind, pattern) in enumerate(_LABELS))
    + r")(?:\s*\([^)\n]{0,40}\))?\s*(?P<colon>[:：—–-])?[ \t]*",
    re.IGNORECASE,
)
# Words before "адрес"/"address" that make it some other address.
_NOT_POSTAL = re.compile(
    r"(?:e-?mail|ip|web|url|электронн\w*|почты|сайта|mac|ваш|your)\W*$", re.I
)
# Where an address ends inside its line: the label of something else.
_STOP = re.compile(
    r"\s*(?:[|•]|(?<![\w-])(?:тел(?:ефон)?\w*|моб\w*|факс|e-?mail|эл\.?\s*почта|"
    r"почта|phone|tel|fax|mob\w*|инн|огрн\w*|кпп|окпо|бик|р/с|к/с|режим\s+работы|"
    r"часы\s+работы|график|opening\s+hours|hours|как\s+(?:проехать|добраться)|"
    r"схема\s+проезда|directions|vat|company\s+(?:no|number)|whatsapp|telegram)"
    r"\b\.?\s*[:：]?)",
    re.IGNORECASE,
)
_RU_POSTCODE_LINE = re.compile(r"^\s*(\d{6})\s*,\s*\S")
_STREET = re.compile(
    r"(?<![\w])(?:ул|улица|пр|пр-т|пр-кт|просп|проспект|пер|переулок|ш|шоссе|наб|"
    r"набережная|б-р|бульвар|пл|площадь|проезд|пр-д|мкр|микрорайон|тракт|линия|"
    r"д|дом|стр|корп|street|st|road|rd|avenue|ave|lane|str|straße|strasse|rue)"
    r"(?![\w])",
    re.IGNORECASE,
)
_RU_POSTCODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
_RU_CITY = re.compile(r"(?<![\w])(?:г\.|город)\s*([А-ЯЁ][а-яё]+(?:[ -][А-ЯЁ][а-яё]+)?)")
_RU_BARE_CITY = re.compile(r"^\s*\d{6}\s*,\s*([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)*)\s*,")
_FIVE_DIGIT_TOWN = re.compile(
    r"(?<![\d-])(\d{5})\s+([A-ZÀ-ÖØ-Þ][\w'-]+(?:[ -][A-ZÀ-ÖØ-Þ][\w'-]+)?)"
)
_UK_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\b")
_UK_TOWN = re.compile(r"([A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)\s*,?\s*$")
# The company's name heading an <address> block: quoted, or with a legal form.
_COMPANY_LINE = re.compile(
    r"[«»\"]|(?<![\w])(?:ООО|ОАО|ЗАО|ПАО|АО|ИП|LLC|Ltd|GmbH|Inc|SARL|S\.A\.)(?![\w])"
)
_EDGES = " \t,;:.-–—"
_MAX_LENGTH = 250


@dataclass(frozen=True, slots=True)
class FoundAddress:
    """One address a page states.

    Attributes:
        text: the address as written, without its label.
        kind: "office", "address" (no qualifier), "postal" or "legal".
        postcode: picked out where the form is plain, else None.
        city: picked out where the form is plain, else None.
    """

    text: str
    kind: str
    postcode: str | None = None
    city: str | None = None


def _kind(match: re.Match[str]) -> str:
    groups = match.groupdict().items()
    name = next(key for key, value in groups if value and key[-1].isdigit())
    return name.rstrip("0123456789")  # "legal3" -> "legal"


def _cut(value: str) -> str:
    stop = _STOP.search(value)
    if stop and stop.start() > 0:
        value = value[: stop.start()]
    next_label = _LABEL.search(value)
    if next_label and next_label.group("colon") and next_label.start() > 0:
        value = value[: next_label.start()]  # "Юр. адрес: ... Факт. адрес: ..."
    return value.strip(_EDGES)


def _looks_postal(value: str) -> bool:
    """A digit (house or postcode), a word, no email or web address, not prose."""
    if "@" in value or "://" in value or "www." in value.lower():
        return False
    if not any(ch.isdigit() for ch in value) or len(value) > _MAX_LENGTH:
        return False
    words = len(re.findall(r"[^\W\d_]{2,}", value))
    return words >= 2 or (words == 1 and bool(re.search(r"\d{5,6}", value)))


def _parts(text: str) -> tuple[str | None, str | None]:
    postcode = _RU_POSTCODE.search(text)
    if postcode or re.search(r"[а-яё]", text, re.IGNORECASE):
        city = _RU_CITY.search(text) or _RU_BARE_CITY.search(text)
        if city and _STREET.fullmatch(city.group(1)):
            city = None
        return (
            postcode.group(1) if postcode else None,
            city.group(1) if city else None,
        )
    town = _FIVE_DIGIT_TOWN.search(text)
    if town:
        return town.group(1), town.group(2)
    uk = _UK_POSTCODE.search(text)
    if uk:
        before = _UK_TOWN.search(text[: uk.start()])
        return uk.group(1), before.group(1) if before else None
    return None, None


def _found(value: str, kind: str) -> FoundAddress | None:
    value = _cut(" ".join(value.split()))
    if not _looks_postal(value):
        return None
    postcode, city = _parts(value)
    return FoundAddress(value, kind, postcode, city)


def _labelled(line: str, following: str | None) -> list[FoundAddress]:
    found: list[FoundAddress] = []
    for match in _LABEL.finditer(line):
        if _NOT_POSTAL.search(line[: match.start()]):
            continue
        rest = line[match.end() :]
        if not match.group("colon") and rest.strip() and match.start() > 0:
            continue  # "the address of our shop is": prose, not a label
        if not rest.strip(_EDGES) and following is not None:
            rest = following  # label in one cell, address in the next
        address = _found(rest, _kind(match))
        if address is not None:
            found.append(address)
    return found


def addresses_in_text(text: str) -> list[FoundAddress]:
    """Every address in visible text (one line per block), in order, no repeats.

    Examples:
        >>> found = addresses_in_text("Адрес: 123456, г. Москва, ул. Ленина, д. 1. "
        ...                           "Телефон: +7 495 123-45-67")
        >>> found[0].text, found[0].postcode, found[0].city
        ('123456, г. Москва, ул. Ленина, д. 1', '123456', 'Москва')
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    found: dict[str, FoundAddress] = {}
    for number, line in enumerate(lines):
        following = lines[number + 1] if number + 1 < len(lines) else None
        addresses = _labelled(line, following)
        if not addresses and _RU_POSTCODE_LINE.match(line) and _STREET.search(line):
            plain = _found(line, "address")
            addresses = [plain] if plain else []
        for address in addresses:
            found.setdefault(address.text, address)
    return list(found.values())


def address_block(text: str) -> FoundAddress | None:
    """The address an `<address>` element holds, labelled or not.

    Its lines are joined with commas up to the first line of something else
    ("Тел.: ...", "E-mail: ..."), so a block of street, town and phone gives the
    street and the town.
    """
    labelled = addresses_in_text(text)
    if labelled:
        return best_address(labelled)
    lines: list[str] = []
    for line in (line.strip() for line in text.splitlines()):
        stop = _STOP.match(line)
        if stop and stop.end() > 0:
            break
        if line and not (not lines and _COMPANY_LINE.search(line)):
            lines.append(line.strip(_EDGES))  # the company's name above is not
    return _found(", ".join(lines), "address")


def best_address(addresses: list[FoundAddress]) -> FoundAddress | None:
    """The address a company item keeps: the first of the most wanted kind."""
    for kind in KINDS:
        for address in addresses:
            if address.kind == kind:
                return address
    return None
