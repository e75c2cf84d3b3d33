"""normalise_many on worker processes: the same fields, in input order."""

from __future__ import annotations

from dedupe.normalise.batch import normalise_many
from dedupe.normalise.record import mapping_from_keys, normalise_record

ROWS = [
    {
        "Наименование": f"ООО «Ромашка {n}»",
        "ИНН": "7707083893",
        "Телефон": f"8 495 12345{n:02}",
    }
    for n in range(40)
] + [{"name": "ИП Петров Пётр Петрович", "phones": "+7 916 123-45-67 доб. 5"}]


def test_workers_return_the_same_records_in_input_order() -> None:
    items = [(row, mapping_from_keys(row)) for row in ROWS]
    results = list(normalise_many(items, processes=2, chunk_size=4))
    assert results == [normalise_record(row) for row in ROWS]
    assert results[0].phones == ("+74951234500",)
