"""A crawled item's named people reach the normalised record as personal data."""

from __future__ import annotations

from dedupe.normalise.record import normalise_record


def test_persons_of_a_crawled_item_are_personal_data() -> None:
    record = normalise_record(
        {
            "name": "ООО «Ромашка»",
            "persons": [
                {"name": "Иванов Иван Иванович", "role": "Генеральный директор"},
                {"name": "", "role": None},
                "not a person",
            ],
            "has_personal_data": True,
        }
    )
    assert [(p["name"], p["position"]) for p in record.persons] == [
        ("Иванов Иван Иванович", "Генеральный директор")
    ]
    assert record.is_personal_data


def test_the_items_flag_alone_marks_personal_data() -> None:
    assert normalise_record(
        {"name": "ООО «Ромашка»", "has_personal_data": True}
    ).is_personal_data
    assert not normalise_record(
        {"name": "ООО «Ромашка»", "persons": []}
    ).is_personal_data
