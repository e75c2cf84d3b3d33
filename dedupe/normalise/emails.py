"""Emails: several per cell, syntax checked offline, free-mail and role boxes marked.

Canonical form: the whole address lower-cased (mail servers treat the local part as
case-blind in practice), the domain in Unicode as email-validator writes it
("ivan@xn--e1afmkfd.xn--p1ai" -> "ivan@пример.рф"), so it compares directly with a
website domain key. Sub-addresses ("ivan+shop@") are kept: some providers deliver them
to different boxes. Misspelt provider domains ("mail.ry") are flagged, never corrected.
No network: deliverability (MX) is enrich's business and off by default.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from email_validator import (
    SPECIAL_USE_DOMAIN_NAMES,
    EmailNotValidError,
    validate_email,
)

from leadbase.reference.mail import (
    DOMAIN_TYPOS,
    is_freemail_domain,
    is_placeholder_address,
    is_role_local_part,
)
from leadbase.reference.tables import JUNK_CELLS

__all__ = ["EmailParse", "normalise_email", "normalise_emails", "parse_emails"]

_JUNK = JUNK_CELLS | {"@", "email", "e-mail", "no"}
# "ivan[at]mail.ru", "ivan (собака) mail.ru": how sites hide addresses from robots.
_AT = re.compile(r"\s*(?:[\[({<]\s*(?:at|собака)\s*[\])}>]|\s(?:собака)\s)\s*", re.I)
_DOT = re.compile(r"\s*[\[({<]\s*(?:dot|точка)\s*[\])}>]\s*", re.I)
# An address is whatever surrounds "@" up to a separator; ":" ends "E-mail:" labels.
_CANDIDATE = re.compile(r"[^\s,;<>()\[\]{}\"'«»/:|@]+@[^\s,;<>()\[\]{}\"'«»/:|@]+")
# Plain ASCII addresses, the vast majority, that email-validator would take unchanged;
# checking them with a pattern is ten times faster. Anything else goes to the library.
_SIMPLE = re.compile(
    r"(?=[^@]{1,64}@)(?=.{6,254}$)[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*"
    r"@(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)+[a-z]{2,24}"
)
_SPECIAL_USE = frozenset(SPECIAL_USE_DOMAIN_NAMES)
_QUICK_SPLIT = re.compile(r"[\s,;]+")
_EDGE = ". \t"  # "write to ivan@x.ru." ends a sentence, not the domain


@dataclass(frozen=True, slots=True)
class EmailParse:
    """One address found in an email cell.

    Attributes:
        raw: the cell; or the piece of it holding this address when it held several.
        address: canonical address (see the module docstring), or None when the text
            is not an address at all.
        local: the part before "@", lower-case.
        domain: the part after "@", lower-case Unicode.
        is_valid: usable: correct syntax and not a placeholder ("test@test.ru").
        is_freemail: the domain is a public provider (mail.ru, gmail.com, ...).
        is_role: the box names a function (info@, sales@, zakaz@), not a person.
        flags: "junk", "bad_syntax", "placeholder", "typo_domain", "deobfuscated".
    """

    raw: str | None
    address: str | None = None
    local: str | None = None
    domain: str | None = None
    is_valid: bool = False
    is_freemail: bool = False
    is_role: bool = False
    flags: tuple[str, ...] = ()


def _validate(text: str) -> tuple[str, str] | None:
    if _SIMPLE.fullmatch(text):
        local, _, domain = text.partition("@")
        if "--" not in domain and domain.rsplit(".", 1)[1] not in _SPECIAL_USE:
            return local, domain  # "--" may be punycode: the library decodes it
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return None
    return checked.local_part.lower(), checked.domain.lower()


@lru_cache(maxsize=262144)
def _parse_address(raw: str, extra_flags: tuple[str, ...]) -> EmailParse:
    parts = _validate(unicodedata.normalize("NFC", raw.strip(_EDGE)).lower())
    if parts is None:
        return EmailParse(raw=raw, flags=(*extra_flags, "bad_syntax"))
    local, domain = parts
    flags = list(extra_flags)
    placeholder = is_placeholder_address(local, domain)
    if placeholder:
        flags.append("placeholder")
    if domain in DOMAIN_TYPOS:
        flags.append("typo_domain")
    return EmailParse(
        raw=raw,
        address=f"{local}@{domain}",
        local=local,
        domain=domain,
        is_valid=not placeholder,
        is_freemail=is_freemail_domain(domain),
        is_role=is_role_local_part(local),
        flags=tuple(flags),
    )


@lru_cache(maxsize=262144)
def parse_emails(value: str | None) -> tuple[EmailParse, ...]:
    """Find and check every address in an email cell.

    Args:
        value: the cell as read: addresses separated by commas, semicolons, slashes,
            spaces or new lines, possibly with labels ("E-mail: ..."), display names
            ("Иван <ivan@x.ru>"), "mailto:" or hidden as "ivan[at]x.ru".

    Returns:
        One `EmailParse` per address, in order; () for an empty cell; a single parse
        with address None and flag "junk" ("нет", "-") or "bad_syntax" ("ivan@") when
        the cell holds no address.

    Examples:
        >>> [p.address for p in parse_emails("Info@Romashka.RU; ivan@mail.ru")]
        ['info@romashka.ru', 'ivan@mail.ru']
    """
    if value is None or not value.strip():
        return ()
    text = value.strip().replace("＠", "@")
    if text.casefold() in _JUNK or not any(ch.isalnum() for ch in text):
        return (EmailParse(raw=value, flags=("junk",)),)
    extra: tuple[str, ...] = ()
    if "@" not in text:
        unhidden = _DOT.sub(".", _AT.sub("@", text))
        if "@" in unhidden:
            text, extra = unhidden, ("deobfuscated",)
    found = _CANDIDATE.findall(text)
    if not found:
        return (
            EmailParse(raw=value, flags=("junk" if "@" not in text else "bad_syntax",)),
        )
    if len(found) == 1:  # the usual cell: keep it whole as the raw value
        return (_with_raw(_parse_address(found[0], extra), value),)
    return tuple(_parse_address(raw, extra) for raw in found)


def _quick_addresses(value: str) -> tuple[str, ...] | None:
    """normalise_emails of the usual cell, without parsing objects; None: not one.

    The usual cell holds plain ASCII addresses (see _SIMPLE) and nothing else but
    "," ";" or spaces between them: each is then its own canonical form unless it
    is a placeholder. Anything else takes the general path.
    """
    if not value.isascii():
        return None
    found: list[str] = []
    for piece in _QUICK_SPLIT.split(value.lower()):
        if not piece:
            continue
        if not _SIMPLE.fullmatch(piece):
            return None
        local, _, domain = piece.partition("@")
        if "--" in domain or domain.rsplit(".", 1)[1] in _SPECIAL_USE:
            return None
        if not is_placeholder_address(local, domain):
            found.append(piece)
    return tuple(dict.fromkeys(found))


def normalise_emails(value: str | None) -> tuple[str, ...]:
    """The canonical forms of the usable addresses in a cell, duplicates dropped.

    Examples:
        >>> normalise_emails("A@X.ru, a@x.ru; нет")
        ('a@x.ru',)
    """
    if value is None:
        return ()
    quick = _quick_addresses(value)
    if quick is not None:
        return quick
    seen = (p.address for p in parse_emails(value) if p.is_valid and p.address)
    return tuple(dict.fromkeys(seen))


def normalise_email(value: str | None) -> str | None:
    """The canonical form of the first usable address in a cell, or None.

    Args:
        value: the cell as read.

    Returns:
        Lower-case address with a Unicode domain; None when the cell has no valid,
        non-placeholder address.

    Examples:
        >>> normalise_email(" Ivan.Petrov@Mail.RU ")
        'ivan.petrov@mail.ru'
        >>> normalise_email("email@example.com") is None
        True
    """
    for parsed in parse_emails(value):
        if parsed.is_valid and parsed.address:
            return parsed.address
    return None


def _with_raw(p: EmailParse, raw: str) -> EmailParse:
    # A positional copy: dataclasses.replace costs several times as much, once a cell.
    return EmailParse(
        raw, p.address, p.local, p.domain, p.is_valid, p.is_freemail, p.is_role,
        p.flags,
    )  # fmt: skip
