"""Stored JSON lists read back: the direct path for "[]" and one plain string agrees
with a JSON parser on every list, however it was written."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from dedupe.records import text_list

values = st.lists(st.text(max_size=12), max_size=3)


@given(values)
def test_lists_written_by_json_read_back(found: list[str]) -> None:
    assert text_list(json.dumps(found)) == found
    assert text_list(json.dumps(found, ensure_ascii=False)) == found


@given(values)
def test_lists_written_by_postgresql_read_back(found: list[str]) -> None:
    # jsonb's text form: ", " between items, non-ASCII as itself.
    assert (
        text_list(json.dumps(found, ensure_ascii=False, separators=(", ", ": ")))
        == found
    )


def test_empty_cells_are_empty_lists() -> None:
    assert text_list(None) == [] and text_list("") == [] and text_list("[]") == []
    assert text_list('["+74951234567"]') == ["+74951234567"]
    assert text_list('["a\\"b"]') == ['a"b']
    assert text_list('["a", "b"]') == ["a", "b"]
