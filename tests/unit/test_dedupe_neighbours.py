"""A frame's blocking keys: the numpy build gives what the pandas build gave."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from dedupe.blocking import name_words
from dedupe.frame import RecordFrame, RecordRow, build_frame
from dedupe.neighbours import MULTI_KINDS, Kind, frame_keys, hashed, place_names
from dedupe.normalise.record import normalise_record
from leadbase.sample import iter_sample_rows


def _frame_keys_with_pandas(frame: RecordFrame, rows: np.ndarray) -> pd.DataFrame:
    """frame_keys as it was first written (the reference): every word and
    word-in-place hashed row by row, pandas concatenating, deduplicating, sorting."""

    def part(kind: int, keys: np.ndarray, ids: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "kind": np.full(len(keys), kind, dtype=np.int16),
                "key": np.asarray(keys, dtype=np.int64),
                "record_id": np.asarray(ids, dtype=np.int64),
            }
        )

    parts = []
    for field, kind in MULTI_KINDS.items():
        matrix = frame.multi[field][rows]
        at, slot = np.nonzero(matrix >= 0)
        values = frame.vocab[field].values[matrix[at, slot]]
        parts.append(part(kind, hashed(values), frame.ids[rows[at]]))
        holders = frame.ids[rows[np.flatnonzero(matrix[:, 0] >= 0)]]
        parts.append(part(Kind.HOLDS, np.full(len(holders), int(kind)), holders))
    tokens = name_words(frame)
    tokens = tokens[np.isin(tokens.index.to_numpy(), rows)]
    at = tokens.index.to_numpy(np.int64)
    word = tokens.to_numpy(dtype=object)
    word_place = word + "\x1f" + place_names(frame)[at]
    parts.append(part(Kind.WORD, hashed(word), frame.ids[at]))
    parts.append(part(Kind.WORD_PLACE, hashed(word_place), frame.ids[at]))
    keys = pd.concat(parts, ignore_index=True).drop_duplicates()
    return keys.sort_values(["kind", "key", "record_id"], ignore_index=True)


def sample_frame() -> RecordFrame:
    """Sample records, some moved to a region without a city or to no place at
    all, and some names repeated, so that every kind of place and shared keys
    occur."""
    records = []
    for i, row in enumerate(iter_sample_rows(400, 11), start=1):
        record = RecordRow.of(i, normalise_record(row.payload))
        if i % 5 == 0:
            record = dataclasses.replace(record, city=None)
        if i % 11 == 0:
            record = dataclasses.replace(record, city=None, region=None)
        if i % 7 == 0:
            record = dataclasses.replace(record, name_key="ромашка плюс ромашка")
        records.append(record)
    return build_frame(records)


def test_frame_keys_equal_the_pandas_build() -> None:
    frame = sample_frame()
    everything = np.arange(len(frame))
    keys = frame_keys(frame)
    assert set(keys["kind"]) == {int(k) for k in Kind}
    assert not keys.duplicated().any()
    pd.testing.assert_frame_equal(keys, _frame_keys_with_pandas(frame, everything))
    some = everything[::3]  # an incremental run's batch
    pd.testing.assert_frame_equal(
        frame_keys(frame, some), _frame_keys_with_pandas(frame, some)
    )
    shuffled = np.random.default_rng(5).permutation(everything)  # rows out of order
    pd.testing.assert_frame_equal(
        frame_keys(frame, shuffled), _frame_keys_with_pandas(frame, shuffled)
    )
