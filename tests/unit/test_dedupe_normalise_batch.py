"""Many payloads at once: the fields of one by one, in order; collector restored."""

from __future__ import annotations

import gc

import pytest

from dedupe.normalise.batch import gc_paused, normalise_chunk, normalise_many
from dedupe.normalise.record import mapping_from_keys, normalise_record

ROWS = [
    {"Наименование": "ООО «Ромашка»", "ИНН": "7707083893", "Телефон": "8 495 1234567"},
    {"name": "ИП Петров Пётр Петрович", "inn": "7707083890", "phones": "звонить"},
    {"Название организации": "Ромашка, ООО", "Почта": "INFO@romashka.ru; нет"},
    {"name": "", "website": "https://vk.com/romashka", "address": "Москва, Ленина 5"},
]


def test_a_chunk_gives_what_each_payload_gives_alone_in_order() -> None:
    items = [(row, mapping_from_keys(row)) for row in ROWS]
    assert normalise_chunk(items) == [normalise_record(row) for row in ROWS]


def test_many_in_one_process_keeps_order_and_derives_missing_mappings() -> None:
    items = [(row, None) for row in ROWS * 3]
    results = list(normalise_many(items, processes=1, chunk_size=2))
    assert results == [normalise_record(row) for row in ROWS * 3]


def test_nothing_in_nothing_out() -> None:
    assert list(normalise_many([], processes=2)) == []


def test_the_collector_is_paused_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # a caller's own choice is left alone
    finally:
        gc.enable()


def test_the_collector_is_restored_when_a_chunk_fails() -> None:
    with pytest.raises(TypeError):  # a mapping that is not field -> columns
        normalise_chunk([({"name": "x"}, {"name": 5})])  # type: ignore[dict-item]
    assert gc.isenabled()
