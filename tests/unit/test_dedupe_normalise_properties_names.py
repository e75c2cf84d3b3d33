"""Properties of the name normalisers, checked by hypothesis.

Every normaliser never raises and is idempotent on any string; the company key does
not change with case, quote style, surrounding whitespace or where the legal form
stands ("ООО «X»", "«X», ООО", "X ООО").
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.normalise.legal_forms import find_legal_forms, tokenize
from dedupe.normalise.names import company_name_key, normalise_company_name
from dedupe.normalise.persons import normalise_person_name, person_name_key
from dedupe.normalise.translit import latin_skeleton, to_cyrillic, to_latin

CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
LATIN = "abcdefghijklmnopqrstuvwxyz"
# Text that looks like a messy name cell: both scripts, digits, quotes, punctuation.
NAME_LIKE = st.text(
    CYRILLIC + CYRILLIC.upper() + LATIN + LATIN.upper() + "0123456789 .,-«»\"'„“№&+()’",
    max_size=40,
)
ANY_TEXT = st.one_of(st.text(), NAME_LIKE)
WORD = st.one_of(
    st.text(CYRILLIC, min_size=1, max_size=9), st.text(LATIN, min_size=1, max_size=9)
)
QUOTES = ["«{}»", '"{}"', "„{}“", "'{}'"]
SETTINGS = settings(max_examples=300, deadline=None)


def _no_form(words: list[str]) -> bool:
    """The name itself must not begin or end with a legal form's words."""
    text = " ".join(words)
    return find_legal_forms(tokenize(text)) == (None, None) and all(
        find_legal_forms(tokenize(w)) == (None, None) for w in words
    )


NAME = st.lists(WORD, min_size=1, max_size=4).filter(_no_form).map(" ".join)

NORMALISERS: list[Callable[[str], str | None]] = [
    normalise_company_name,
    company_name_key,
    normalise_person_name,
    latin_skeleton,
]


@pytest.mark.parametrize("normalise", NORMALISERS, ids=lambda f: f.__name__)
@SETTINGS
@given(value=ANY_TEXT)
def test_idempotent_and_never_raises(
    normalise: Callable[[str], str | None], value: str
) -> None:
    once = normalise(value)
    if once is not None:
        assert normalise(once) == once


@SETTINGS
@given(value=st.one_of(st.none(), ANY_TEXT))
def test_none_and_any_text_are_fine(value: str | None) -> None:
    # None in, None out; nothing raises on any text.
    for normalise in (normalise_company_name, company_name_key, normalise_person_name):
        result = normalise(value)
        assert value is not None or result is None
    if value is not None:
        to_latin(value, "gost"), to_latin(value, "icao"), to_cyrillic(value)


@SETTINGS
@given(words=st.lists(WORD, min_size=1, max_size=3))
def test_person_key_reads_back(words: list[str]) -> None:
    # Keys of names made of real words (not of any text: a word folding to one
    # letter reads back as an initial) are stable.
    key = person_name_key(" ".join(w.capitalize() for w in words))
    if key and all(len(w) > 1 for w in key.split()):
        assert person_name_key(key) == key


BOTH_ENDS = ["ООО", "АО", "ПАО", "ЗАО", "ОАО", "ИП", "OOO", "ZAO", "LLC", "JSC",
             "Общество с ограниченной ответственностью",
             "Limited Liability Company"]  # fmt: skip


@SETTINGS
@given(
    name=NAME,
    form=st.sampled_from(BOTH_ENDS),
    quote=st.sampled_from(QUOTES),
    other_quote=st.sampled_from(QUOTES),
)
def test_key_ignores_form_position_quotes_case_and_spaces(
    name: str, form: str, quote: str, other_quote: str
) -> None:
    key = company_name_key(f"{form} {quote.format(name)}")
    assert company_name_key(f"{other_quote.format(name)}, {form}") == key
    assert company_name_key(f"{name} {form}") == key
    assert company_name_key(f"  {form}  {other_quote.format(name)}\t") == key
    assert company_name_key(f"{form} {quote.format(name)}".upper()) == key
    assert company_name_key(f"{form} {quote.format(name)}".lower()) == key


AFTER_ONLY = ["Ltd", "Limited", "GmbH", "Inc.", "AG", "S.A.", "B.V.", "PLC", "Oy"]


@SETTINGS
@given(
    name=NAME,
    form=st.sampled_from(AFTER_ONLY),
    quote=st.sampled_from(QUOTES),
)
def test_key_ignores_quotes_case_and_comma_of_forms_written_after(
    name: str, form: str, quote: str
) -> None:
    key = company_name_key(f"{name} {form}")
    assert company_name_key(f"{quote.format(name)}, {form}") == key
    assert company_name_key(f" {name.upper()} {form.lower()} ") == key
    assert company_name_key(f"{quote.format(name)} {form}") == key
