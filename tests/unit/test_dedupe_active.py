"""The review queue's order: uncertain pairs first, one pattern at a time."""

from __future__ import annotations

import numpy as np

from dedupe.active import pattern_codes, review_priority, uncertainty


def levels(*rows: tuple[int, ...]) -> np.ndarray:
    return np.array(rows, dtype=np.int8)


def test_uncertainty_peaks_at_a_coin_toss() -> None:
    values = uncertainty(np.array([0.5, 0.9, 0.1, 0.999, 0.0]))
    assert values[0] == 1.0
    assert abs(values[1] - values[2]) < 1e-12  # symmetric
    assert values[0] > values[1] > values[3] > values[4] >= 0.0


def test_equal_vectors_share_a_code_and_different_ones_do_not() -> None:
    codes = pattern_codes(levels((1, 2, 0), (1, 2, 0), (2, 1, 0), (0, 0, 3)))
    assert codes[0] == codes[1]
    assert len({int(c) for c in codes}) == 3


def test_first_pair_of_a_new_pattern_beats_the_second_of_a_common_one() -> None:
    probability = np.array([0.5, 0.5, 0.6, 0.99])
    vectors = levels((1, 3), (1, 3), (2, 3), (1, 1))
    pending = np.array([True, True, True, False])
    none = np.zeros(4, dtype=bool)
    priority = review_priority(probability, vectors, pending, none)
    assert priority[3] == 0.0  # not pending: not in the queue at all
    assert max(priority[0], priority[1]) > priority[2] > min(priority[0], priority[1])


def test_labelled_patterns_step_back() -> None:
    probability = np.array([0.5, 0.55, 0.5])
    vectors = levels((1, 3), (2, 3), (1, 3))
    pending = np.array([True, True, False])
    labelled = np.array([False, False, True])  # a person already judged (1, 3)
    priority = review_priority(probability, vectors, pending, labelled)
    assert priority[1] > priority[0]  # less uncertain, but nothing like it labelled
    assert priority[2] == 0.0


def test_empty_queue() -> None:
    empty = np.zeros((0, 3), dtype=np.int8)
    assert (
        len(
            review_priority(np.array([]), empty, np.array([], bool), np.array([], bool))
        )
        == 0
    )
