"""The shortcuts for usual cells answer exactly what the general path answers.

Phones, emails, websites and tax ids read their usual cells ("8 (495) 123-45-67",
"info@romashka.ru", "www.romashka.ru", "7707083893") without building parse
objects. Each property compares the shortcut with the public parse function it
stands in for, on text shaped like those cells and near them.
"""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.normalise.emails import normalise_emails, parse_emails
from dedupe.normalise.phones import normalise_phone, normalise_phones, parse_phones
from dedupe.normalise.tax_ids import normalise_kpp, normalise_ogrn, parse_tax_ids
from dedupe.normalise.websites import first_site, parse_websites

SETTINGS = settings(max_examples=500, deadline=None)
REGIONS = st.sampled_from(["RU", "KZ", "ru", "US", "DE", None, "XX"])

phone_piece = st.builds(
    "{}{}{}{}".format,
    st.sampled_from(["", " ", "+", "+7", "8", "7", "00", "+44", "0"]),
    st.sampled_from(["", " ", "(", "-", "."]),
    st.text(alphabet=string.digits, max_size=12),
    st.sampled_from(["", " ", ")", "-", " 12-34", "-45-67"]),
)
# Numbers typed to fill a form are placeholders, not phones.
placeholder = st.sampled_from(
    ["(987) 654-32-10", "8 (012) 345-67-89", "999-99-99", "+7 000 000 00 00"]
)
phone_cell = st.lists(phone_piece | placeholder, max_size=3).map(", ".join) | st.text(
    alphabet=string.digits + "()-. +,;", max_size=30
)


@SETTINGS
@given(phone_cell, REGIONS)
def test_phone_shortcut_is_the_general_path(value: str, region: str | None) -> None:
    general = [
        f"{p.e164};ext={p.extension}" if p.extension else p.e164
        for p in parse_phones(value, region)
        if p.e164 and "placeholder" not in p.flags
    ]
    assert normalise_phones(value, region) == tuple(dict.fromkeys(general))
    assert normalise_phone(value, region) == (general[0] if general else None)


local = st.text(alphabet=string.ascii_letters + string.digits + "._+-%", max_size=10)
domain = st.builds(
    "{}.{}".format,
    st.text(alphabet=string.ascii_lowercase + string.digits + "-", max_size=8),
    st.sampled_from(["ru", "com", "RU", "local", "test", "x", "xn--p1ai"]),
)
email_cell = st.lists(
    st.builds("{}@{}".format, local, domain)
    | st.sampled_from(["test@test.ru", "email@example.com", "нет", "a@b"]),
    max_size=3,
).map(lambda parts: " , ".join(parts))


@SETTINGS
@given(email_cell)
def test_email_shortcut_is_the_general_path(value: str) -> None:
    general = (p.address for p in parse_emails(value) if p.is_valid and p.address)
    assert normalise_emails(value) == tuple(dict.fromkeys(general))


site_cell = st.builds(
    "{}{}{}{}{}".format,
    st.sampled_from(["", "http://", "HTTPS://", "ftp://", " ", "www.", "WWW."]),
    st.sampled_from(["", "www.", "m.", "xn--"]),
    st.text(alphabet=string.ascii_letters + string.digits + "-", min_size=1, max_size=9)
    | st.sampled_from(["vk", "t", "bit", "www", "narod"]),
    st.sampled_from([".ru", ".com", ".me", ".local", ".ly", ".co.uk", ".msk.ru", ""]),
    st.sampled_from(["", "/", "/x", " ", ".", ", vk.com/x"]),
)


@SETTINGS
@given(site_cell)
def test_website_shortcut_is_the_general_path(value: str) -> None:
    site = next((w for w in parse_websites(value) if w.domain), None)
    assert first_site(value) == ((site.url, site.domain) if site else None)


id_cell = st.text(alphabet=string.digits, min_size=8, max_size=16) | st.sampled_from(
    ["7707083893", "1027700132195", "770701001", "500100732259", "9909000000"]
)


@SETTINGS
@given(id_cell)
def test_tax_id_shortcuts_are_the_general_path(value: str) -> None:
    parsed = parse_tax_ids(value)
    assert normalise_ogrn(value) == (parsed.ogrn or parsed.ogrnip)
    assert normalise_kpp(value) == parse_tax_ids(value, expect="kpp").kpp
    # A bare INN takes a shortcut; with its label it is tokenised, as any cell.
    labelled = parse_tax_ids(f"ИНН {value}")
    assert parsed == labelled._replace(raw=value)
