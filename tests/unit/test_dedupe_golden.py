"""Golden records: a lone record's fast path says what the general rules say."""

from __future__ import annotations

import pytest

from dedupe.golden import NO_NAME, Member, golden_record


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
