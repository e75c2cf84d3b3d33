"""JSON columns are read to exactly what `json.loads` gives, orjson or not."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from leadbase.db import json_loads

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
payloads = st.dictionaries(st.text(max_size=12), values, max_size=6)


def same(left: Any, right: Any) -> bool:
    """Equal, with NaN equal to itself and types compared (1 is not 1.0)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, float):
        return left == right or (math.isnan(left) and math.isnan(right))
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(
            same(left[k], right[k]) for k in left
        )
    if isinstance(left, list):
        return len(left) == len(right) and all(map(same, left, right))
    return bool(left == right)


@given(payloads)
def test_json_reads_as_json_loads_reads_it(payload: dict[str, Any]) -> None:
    for ascii_only in (True, False):
        text = json.dumps(payload, ensure_ascii=ascii_only)
        assert same(json_loads(text), json.loads(text))
        if text.isascii():  # as a driver's bytes (UTF-8 has no lone surrogates)
            assert same(json_loads(text.encode()), json.loads(text))


def test_what_orjson_reads_otherwise_is_read_by_json() -> None:
    big = 123456789012345678901234567890
    assert json_loads(f'{{"n": {big}}}') == {"n": big}
    assert json_loads('{"n": 18446744073709551616}') == {"n": 2**64}
    assert json_loads('{"n": -9223372036854775809}') == {"n": -(2**63) - 1}
    assert math.isnan(json_loads('{"n": NaN}')["n"])
    assert json_loads('{"n": 1e400}') == {"n": math.inf}
    assert json_loads('{"s": "\\ud800"}') == {"s": "\ud800"}
    assert json_loads('{"a": 1, "a": 2}') == {"a": 2}
    assert json_loads('{"a": "Я"}'.encode()) == {"a": "Я"}
