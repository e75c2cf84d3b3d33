"""Email reference tables: free-mail providers, role mailboxes, placeholders, typos."""

from __future__ import annotations

import re

from leadbase.reference.tables import words

# Providers where anyone can open a mailbox: the domain says nothing about the company.
FREEMAIL_DOMAINS: frozenset[str] = words(
    """
    mail.ru bk.ru list.ru inbox.ru internet.ru mail.ua bk.ua list.ua inbox.lv
    yandex.ru ya.ru yandex.com yandex.ua yandex.by yandex.kz yandex.uz yandex.com.tr
    narod.ru rambler.ru lenta.ru autorambler.ru myrambler.ru ro.ru r0.ru rambler.ua
    e1.ru ngs.ru qip.ru pochta.ru hotbox.ru nxt.ru km.ru land.ru fromru.com front.ru
    krovatka.su pisem.net newmail.ru nm.ru chat.ru hotmail.ru mailru.com
    ukr.net i.ua meta.ua bigmir.net tut.by mail.kz inbox.kz
    gmail.com googlemail.com outlook.com outlook.ru hotmail.com live.com live.ru msn.com
    icloud.com me.com mac.com aol.com gmx.com gmx.net gmx.de web.de t-online.de
    proton.me protonmail.com protonmail.ch pm.me tutanota.com tuta.io zoho.com
    mail.com email.com usa.com yahoo.com ymail.com rocketmail.com
    qq.com 163.com 126.com sina.com naver.com seznam.cz wp.pl o2.pl interia.pl
    libero.it orange.fr laposte.net free.fr inbox.com fastmail.com hushmail.com
    """
)

# Brands with a mailbox under many country domains: hotmail.co.uk, yahoo.co.jp, gmx.at.
_FREEMAIL_BRANDS: frozenset[str] = frozenset(
    {"hotmail", "yahoo", "gmx", "live", "outlook"}
)
_COUNTRY_TAIL = re.compile(r"(?:[a-z]{2,3}\.)?[a-z]{2,3}")

# Local parts that name a function, not a person (checked after stripping digits and
# anything after the first separator: "info2", "sales-msk", "zakaz.spb").
ROLE_LOCAL_PARTS: frozenset[str] = words(
    """
    info information mail post office admin administrator administration support help
    helpdesk service servis hr kadry personal job jobs career careers rabota resume
    sales sale prodazhi prodaja opt zakaz zakazy order orders shop store market
    marketing reklama pr press media smi buh buhgalter buhgalteria buhgalteriya
    accounting accounts finance billing invoice bill secretary secretar sekretar
    reception priem priemnaya priyemnaya kontakt kontakty contact contacts hello hi
    noreply no-reply donotreply webmaster postmaster hostmaster abuse security it
    tender tenders snab snabzhenie supply purchase zakupki logistics logistika
    dostavka delivery sklad client clients partner partners dealer dealers feedback
    mailbox general director dir ceo company corp team legal ur yurist law booking
    manager managers otdel request zapros question office1 welcome
    """
)

# Addresses people type when a form demands one.
PLACEHOLDER_DOMAINS: frozenset[str] = words(
    """
    example.com example.org example.net example.ru test.ru test.com test.test
    domain.com domain.ru yourdomain.com mydomain.com site.ru mysite.ru sait.ru
    company.ru company.com email.ru emial.com noemail.com nomail.ru mail.test
    """
)
PLACEHOLDER_LOCAL_PARTS: frozenset[str] = words(
    """
    noemail no-email no_email nomail no-mail no_mail none null nil nobody no net
    nothing empty unknown xxx test example yourname
    """
)

# Frequent misspellings of big providers: flagged, never silently corrected.
DOMAIN_TYPOS: dict[str, str] = {
    "mail.ry": "mail.ru", "mail.tu": "mail.ru", "mail.r": "mail.ru",
    "mail.ri": "mail.ru", "mai.ru": "mail.ru", "maik.ru": "mail.ru",
    "maii.ru": "mail.ru", "mali.ru": "mail.ru", "mial.ru": "mail.ru",
    "mail.ru.ru": "mail.ru", "mail.rr": "mail.ru", "mfil.ru": "mail.ru",
    "meil.ru": "mail.ru", "mael.ru": "mail.ru", "mail.com.ru": "mail.ru",
    "bk.ry": "bk.ru", "list.ry": "list.ru", "inbox.ry": "inbox.ru",
    "yandex.ry": "yandex.ru", "yandex.tu": "yandex.ru", "yandex.ri": "yandex.ru",
    "yandeks.ru": "yandex.ru", "yadex.ru": "yandex.ru", "yndex.ru": "yandex.ru",
    "yanex.ru": "yandex.ru", "yandx.ru": "yandex.ru", "ya.ry": "ya.ru",
    "rambler.ry": "rambler.ru", "ramler.ru": "rambler.ru", "rambler.tu": "rambler.ru",
    "gmial.com": "gmail.com", "gmai.com": "gmail.com", "gmal.com": "gmail.com",
    "gamil.com": "gmail.com", "gnail.com": "gmail.com", "gmail.co": "gmail.com",
    "gmail.con": "gmail.com", "gmail.cm": "gmail.com", "gmail.ru": "gmail.com",
    "gmaill.com": "gmail.com", "gmail.om": "gmail.com", "hotmal.com": "hotmail.com",
    "hotmai.com": "hotmail.com", "hotmail.con": "hotmail.com",
    "outlok.com": "outlook.com",
    "yaho.com": "yahoo.com", "yahoo.con": "yahoo.com", "icloud.co": "icloud.com",
    "ukr.nt": "ukr.net",
}  # fmt: skip


def is_freemail_domain(domain: str | None) -> bool:
    """Tell whether a mail domain belongs to a public free-mail provider.

    Args:
        domain: the part after "@", any case; a misspelt big provider ("mail.ry") counts
            as that provider, because the mailbox is still a private person's.

    Returns:
        True for mail.ru, gmail.com, hotmail.co.uk and the like; False for company
        domains and for None.

    Examples:
        >>> is_freemail_domain("Mail.RU"), is_freemail_domain("romashka.ru")
        (True, False)
    """
    if not domain:
        return False
    domain = domain.strip().rstrip(".").lower()
    domain = DOMAIN_TYPOS.get(domain, domain)
    if domain in FREEMAIL_DOMAINS:
        return True
    brand, _, tail = domain.partition(".")
    return brand in _FREEMAIL_BRANDS and _COUNTRY_TAIL.fullmatch(tail) is not None


_LOCAL_SEPARATORS = re.compile(r"[._+-]")


def is_role_local_part(local: str | None) -> bool:
    """Tell whether the part before "@" names a function (info@, sales@), not a person.

    Args:
        local: the local part, any case.

    Returns:
        True when its first word, digits dropped, is a known role ("info2",
        "zakaz.spb").

    Examples:
        >>> is_role_local_part("Info2"), is_role_local_part("ivan.petrov")
        (True, False)
    """
    if not local:
        return False
    local = local.lower()
    if local in ROLE_LOCAL_PARTS:
        return True
    first = _LOCAL_SEPARATORS.split(local, 1)[0].rstrip("0123456789")
    return first in ROLE_LOCAL_PARTS


def is_placeholder_address(local: str, domain: str) -> bool:
    """Tell whether an address is one people type to get past a form.

    Args:
        local: the lower-case part before "@".
        domain: the lower-case part after "@".

    Returns:
        True for "email@example.com", "test@test.ru", "noemail@romashka.ru".

    Examples:
        >>> is_placeholder_address("test", "test.ru")
        True
        >>> is_placeholder_address("ivan", "x.ru")
        False
    """
    if local in PLACEHOLDER_LOCAL_PARTS or domain in PLACEHOLDER_DOMAINS:
        return True
    # "a@a.ru", "mail@mail.ru": a short word repeated on both sides of "@"; a longer
    # one ("petrov@petrov.ru") is a real personal domain.
    first_label = domain.split(".", 1)[0]
    repeated = local == first_label and len(local) <= 5
    return domain.startswith("example.") or repeated
