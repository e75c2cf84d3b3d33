"""Cases the property tests found that the normalisers still get wrong.

Strict xfails: each one fails today, and the day it is fixed this test fails too, so
the case moves into the table tests with its right answer.
"""

from __future__ import annotations

import pytest

from dedupe.normalise.names import company_name_key
from dedupe.normalise.persons import normalise_person_name


@pytest.mark.xfail(
    strict=True, reason="'Аа Абыч Абыч' reads back in another order (patronymic-like)"
)
def test_person_name_with_two_patronymic_like_words_is_idempotent() -> None:
    once = normalise_person_name("абыч абыч аа")
    assert normalise_person_name(once) == once


@pytest.mark.xfail(
    strict=True, reason="'ip ab c' re-read transliterates 'c' as 'к' instead of 'ч'"
)
def test_company_key_of_a_one_letter_word_reads_back() -> None:
    key = company_name_key("ИП Ч Аб")
    assert company_name_key(key) == key
