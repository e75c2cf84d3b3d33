"""Stored pairs as rows, their explanations made column by column.

`dedupe.pipeline.explanation` says why one pair scored what it did, as a dict; a
million-record run stores about half a million pairs, and a dict per pair costs more
than storing it. Each field's part of the text (`"name":{"level":…,"bits":…}`) takes
few distinct values, so each is made once and the texts are put together with numpy,
field by field. The text is what `orjson.dumps(explanation(result, pair))` gives
(tests/unit/test_dedupe_pair_rows.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson

from dedupe.compare import FIELDS
from dedupe.engine import REASONS
from leadbase.enums import PairStatus

if TYPE_CHECKING:
    from dedupe.engine import Resolution

IntArray = np.ndarray[Any, np.dtype[np.intp]]
PAIR_COLUMNS = (
    "run_id",
    "left_id",
    "right_id",
    "rule",
    "score",
    "match_weight",
    "explanation",
    "priority",
    "status",
    "created_at",
)


def pair_rows(
    result: Resolution,
    pairs: IntArray,
    ids: np.ndarray[Any, Any],
    rule_names: Sequence[str],
    run_id: int,
    now: Any,
) -> list[tuple[Any, ...]]:
    """The `pairs` table rows (PAIR_COLUMNS) of some of the result's pairs."""
    candidates = result.candidates
    statuses = {s: PairStatus(s).value for s in set(result.status[pairs].tolist())}
    columns = (
        repeat(run_id),
        ids[candidates.left[pairs]].tolist(),
        ids[candidates.right[pairs]].tolist(),
        np.asarray(rule_names, dtype=object)[candidates.rule[pairs]].tolist(),
        np.clip(result.scores.probability[pairs], 0.0, 1.0).tolist(),
        result.scores.weight[pairs].tolist(),
        explanation_texts(result, pairs),
        [round(p, 6) for p in result.priority[pairs].tolist()],
        [statuses[s] for s in result.status[pairs].tolist()],
        repeat(now),
    )
    return list(zip(*columns, strict=False))  # `repeat` columns never run out


def explanation_texts(result: Resolution, pairs: IntArray) -> list[str]:
    """`orjson.dumps(explanation(result, pair))` of each pair, as text."""
    levels = result.comparisons.levels[pairs]
    bits = result.scores.contributions[pairs]
    prior = round(float(np.log2(result.model.prior / (1 - result.model.prior))), 3)
    text = np.full(len(pairs), '{"prior_bits":' + _json(prior) + ',"fields":{', object)
    for f, spec in enumerate(FIELDS):
        # (level, bits) as one key: the bits' float32 pattern beside the level.
        key = levels[:, f].astype(np.int64) << 32 | bits[:, f].view(np.uint32)
        distinct, which = np.unique(key, return_inverse=True)
        comma = "," if f else ""
        parts = [
            f'{comma}"{spec.name}":{{"level":{_json(spec.levels[k >> 32])},"bits":'
            f"{_json(round(_bits(k), 3))}}}"
            for k in distinct.tolist()
        ]
        text = text + np.asarray(parts, dtype=object)[which.ravel()]
    endings = np.asarray([f'}},"reason":{_json(r)}}}' for r in REASONS], dtype=object)
    text = text + endings[result.reason[pairs]]
    texts: list[str] = text.tolist()
    return texts


def _bits(key: int) -> float:
    """The float32 a key's low 32 bits hold."""
    return float(np.uint32(key & 0xFFFFFFFF).view(np.float32))


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()
