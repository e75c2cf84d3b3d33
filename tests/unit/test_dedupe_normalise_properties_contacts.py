"""Properties of the contact normalisers (phones, emails, websites) and validators.

Every normaliser is idempotent and never raises on any string; keys do not change with
case, surrounding whitespace or quoting; validators never raise either.
"""

from __future__ import annotations

import re
import string

from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.normalise import emails as email_module
from dedupe.normalise.emails import normalise_email, normalise_emails, parse_emails
from dedupe.normalise.phones import normalise_phone, normalise_phones, parse_phones
from dedupe.normalise.websites import normalise_website, parse_website, website_domain
from enrich.emails import check_email
from enrich.phones import check_phone
from enrich.websites import check_website
from leadbase.enums import PhoneKind

SETTINGS = settings(max_examples=300, deadline=None)
REGIONS = st.sampled_from(["RU", "KZ", "US", "GB", "DE", None])
E164 = re.compile(r"\+[1-9][0-9]{1,14}(;ext=[0-9]{1,7})?")

# Digits with the punctuation, markers and words found in real phone cells.
PIECES_TEXT = (
    "8 +7 7 +44 00 (495) 495 916 800 123 45 67 - , ; / доб. доп. вн. ext. # x или "
    "ИНН факс тел. 0 9999999 ;ext="
)
PHONE_PIECES = [*PIECES_TEXT.split(), " ", "\n", "8 10"]
phone_noise = st.text(alphabet=string.digits + " +-()#.,;/\n\u00a0–x", max_size=40) | (
    st.lists(st.sampled_from(PHONE_PIECES), max_size=14).map("".join)
)
russian_phone = st.builds(
    "{}{}{}{}{}".format,
    st.sampled_from(["8 ", "+7 ", "7", "", "8-", "+7("]),
    st.sampled_from(["495", "(495) ", "916 ", "800-", "8452"]),
    st.integers(100, 999).map(str),
    st.sampled_from(["-", " ", ""]),
    st.integers(1000, 9999).map(str),
)
MIXED = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЕЖЗ" + string.printable + "«»“”@＠"
mixed_text = st.lists(st.sampled_from([*MIXED, ".ру", ".рф", "xn--"]), max_size=40).map(
    "".join
)
any_text = st.text(max_size=60) | mixed_text
LOCAL_CHARS = string.ascii_letters + string.digits + "._+-"
local_part = st.text(alphabet=LOCAL_CHARS, min_size=1, max_size=12)
label = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=9)
top = st.sampled_from(["ru", "com", "рф", "org"])
ascii_domain = st.builds("{}.{}".format, label, top)
email_like = st.builds("{}@{}".format, local_part, ascii_domain)
KNOWN_HOSTS = st.sampled_from(["vk.com", "t.me", "2gis.ru", "xn--e1afmkfd.xn--p1ai"])
url_like = st.builds(
    "{}{}{}{}".format,
    st.sampled_from(["", "http://", "https://", "www.", "HTTPS://WWW.", "//"]),
    ascii_domain | KNOWN_HOSTS,
    st.sampled_from(["", "/", "/contacts", "/index.html", "/Romashka/", ":8080/a"]),
    st.sampled_from(["", "?utm=1", "#top", ".", ","]),
)


@SETTINGS
@given(any_text | phone_noise | russian_phone, REGIONS)
def test_normalise_phone_is_idempotent(value: str, region: str | None) -> None:
    once = normalise_phone(value, region)
    assert normalise_phone(once, region) == once
    assert once is None or E164.fullmatch(once)


@SETTINGS
@given(any_text | phone_noise | russian_phone, REGIONS)
def test_normalise_phones_outputs_are_fixed_points(
    value: str, region: str | None
) -> None:
    numbers = normalise_phones(value, region)
    assert all(normalise_phone(number, region) == number for number in numbers)
    assert normalise_phones(", ".join(numbers), region) == numbers


@SETTINGS
@given(any_text | phone_noise, REGIONS)
def test_parse_phones_never_raises_and_speaks_phone_kind(
    value: str, region: str | None
) -> None:
    for parsed in parse_phones(value, region):
        assert parsed.kind in {kind.value for kind in PhoneKind}
        assert parsed.e164 is None or E164.fullmatch(parsed.e164)
        assert parsed.e164 is not None or not parsed.is_valid


@SETTINGS
@given(russian_phone, st.sampled_from(["", " ", "\t", "\n  "]))
def test_phone_key_ignores_surrounding_whitespace(value: str, pad: str) -> None:
    assert normalise_phone(pad + value + pad) == normalise_phone(value)


@SETTINGS
@given(any_text | email_like)
def test_normalise_email_is_idempotent(value: str) -> None:
    once = normalise_email(value)
    assert normalise_email(once) == once
    assert once is None or once == once.lower()


@SETTINGS
@given(any_text | email_like)
def test_normalise_emails_outputs_are_fixed_points(value: str) -> None:
    addresses = normalise_emails(value)
    assert all(normalise_email(address) == address for address in addresses)
    assert normalise_emails("; ".join(addresses)) == addresses


@SETTINGS
@given(email_like, st.sampled_from(["{}", " {} ", "<{}>", '"{}"', "«{}»", "mailto:{}"]))
def test_email_key_ignores_case_whitespace_and_quotes(value: str, wrap: str) -> None:
    expected = normalise_email(value)
    assert normalise_email(wrap.format(value.upper())) == expected
    assert normalise_email(wrap.format(value)) == expected


@SETTINGS
@given(
    st.text(alphabet=string.ascii_lowercase + string.digits + "._%+-@", max_size=40)
    | email_like.map(str.lower)
)
def test_email_fast_path_agrees_with_email_validator(text: str) -> None:
    """Plain ASCII addresses skip the library: the answer must be the library's."""
    try:
        checked = validate_email(text, check_deliverability=False)
        expected: tuple[str, str] | None = (checked.local_part, checked.domain)
    except EmailNotValidError:
        expected = None
    assert email_module._validate(text) == expected


@SETTINGS
@given(any_text | email_like)
def test_parse_emails_never_raises(value: str) -> None:
    for parsed in parse_emails(value):
        assert parsed.address is not None or not parsed.is_valid


@SETTINGS
@given(any_text | url_like)
def test_normalise_website_is_idempotent(value: str) -> None:
    once = normalise_website(value)
    assert normalise_website(once) == once
    if once is not None:
        assert website_domain(once) == website_domain(value)


@SETTINGS
@given(url_like, st.sampled_from(["{}", "  {} ", "<{}>", '"{}"', "Сайт: {}"]))
def test_website_domain_ignores_case_whitespace_and_quotes(
    value: str, wrap: str
) -> None:
    expected = website_domain(value)
    assert website_domain(wrap.format(value.upper())) == expected
    assert website_domain(wrap.format(value)) == expected


@SETTINGS
@given(any_text | url_like)
def test_parse_website_never_raises(value: str) -> None:
    parsed = parse_website(value)
    assert parsed.domain is None or parsed.url is not None
    assert not (parsed.is_social and parsed.domain)


@SETTINGS
@given(any_text | phone_noise | email_like | url_like, REGIONS)
def test_validators_never_raise(value: str, region: str | None) -> None:
    for check in (check_phone(value, region), check_email(value), check_website(value)):
        assert check.ok is (check.reason is None)
