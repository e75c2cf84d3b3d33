"""Stored pairs in bulk say exactly what `explanation` says of each pair."""

from __future__ import annotations

import numpy as np
import orjson

from dedupe.engine import resolve
from dedupe.frame import RecordRow, build_frame
from dedupe.normalise.record import normalise_record
from dedupe.pair_rows import PAIR_COLUMNS, explanation_texts, pair_rows
from dedupe.pipeline import RULE_NAMES, explanation
from dedupe.settings import DedupeSettings
from leadbase.enums import PairStatus
from leadbase.sample import iter_sample_rows


def test_bulk_rows_are_the_pairs_one_by_one() -> None:
    rows = list(iter_sample_rows(600, 5))
    frame = build_frame(
        RecordRow.of(i, normalise_record(r.payload))
        for i, r in enumerate(rows, start=1)
    )
    result = resolve(frame, DedupeSettings(random_pairs=100_000))
    pairs = np.arange(len(result.candidates))
    texts = explanation_texts(result, pairs)
    assert texts == [orjson.dumps(explanation(result, p)).decode() for p in pairs]
    assert len({t.count('"level"') for t in texts}) == 1  # every field, every pair
    assert len(set(texts)) > 10 and any('"reason":"' in t for t in texts)

    found = pair_rows(result, pairs, frame.ids, RULE_NAMES, 7, "now")
    for pair, row in zip(pairs.tolist(), found, strict=True):
        values = dict(zip(PAIR_COLUMNS, row, strict=True))
        assert values["left_id"] == int(frame.ids[result.candidates.left[pair]])
        assert values["right_id"] == int(frame.ids[result.candidates.right[pair]])
        assert values["rule"] == RULE_NAMES[int(result.candidates.rule[pair])]
        probability = float(np.clip(result.scores.probability[pair], 0.0, 1.0))
        assert values["score"] == probability
        assert values["match_weight"] == float(result.scores.weight[pair])
        assert values["priority"] == round(float(result.priority[pair]), 6)
        assert values["status"] == PairStatus(result.status[pair]).value
        assert (values["run_id"], values["created_at"]) == (7, "now")
