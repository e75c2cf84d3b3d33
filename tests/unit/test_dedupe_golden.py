"""Golden records: the fast paths for new companies say what the general rules say."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedupe.bulk_write import Templates, provenance_json
from dedupe.golden import NO_NAME, Member, choose, golden_record


@pytest.mark.parametrize(
    "values",
    [
        {"name": "Ромашка", "inn": "7707083893", "phones": ["+74951234567"]},
        {"name": "", "inn": None, "city": "Москва", "phones": [], "emails": None},
        {
            "name": "Acme",
            "phones": ["+12025550100", "+12025550100;ext=12", "+12025550100"],
            "emails": ["info@acme.com", "info@acme.com"],
            "is_personal_data": True,
        },
    ],
)
def test_lone_record_matches_the_general_rules(values: dict[str, object]) -> None:
    member = Member(record_id=7, trust=50, values=values)
    fast = golden_record([member])
    general = golden_record([member], current={})  # takes the general path
    assert fast == general
    assert fast.values["name"] == (values["name"] or NO_NAME)


# Few distinct values, so members often agree, often differ, often lack one.
TEXT = st.sampled_from([None, "", "Ромашка", "Acme", "ООО"])
LIST = st.lists(st.sampled_from(["+74951234567", "+74951234567;ext=1", "a@b.ru"]))
FIELDS = ["name", "legal_form", "inn", "city", "website", "address"]


@st.composite
def clusters(draw: st.DrawFn) -> list[Member]:
    ids = draw(st.lists(st.integers(1, 60), min_size=1, max_size=7, unique=True))
    return [
        Member(
            record_id=record_id,
            trust=draw(st.sampled_from([10, 50, 90])),  # ties: the record id decides
            values={
                **{field: draw(TEXT) for field in FIELDS},
                "phones": draw(LIST),
                "emails": draw(LIST),
                "is_personal_data": draw(st.booleans()),
            },
        )
        for record_id in ids
    ]


@given(clusters())
def test_a_new_cluster_is_chosen_as_the_general_rules_choose(
    members: list[Member],
) -> None:
    fast = golden_record(members)
    general = golden_record(members, current={})
    assert fast == general
    # The order of phones and emails decides their ids: it must agree too.
    assert list(fast.phones.items()) == list(general.phones.items())
    assert list(fast.emails.items()) == list(general.emails.items())


@given(clusters())
def test_bulk_provenance_text_is_the_golden_records_provenance(
    members: list[Member],
) -> None:
    choice = choose(members)
    ids = [str(i) for i in choice.record_ids]
    templates: Templates = {}
    for _ in range(2):  # made from a template, then from the kept one
        text = provenance_json(len(ids), choice.masks, ids, templates)
        assert orjson.loads(text) == golden_record(members).provenance
