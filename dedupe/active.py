"""Which pending pair teaches the model most: the order of the review queue.

A reviewer's label is worth most where the model is least sure (probability near
0.5) and where no one has labelled a pair like it yet. Pairs are alike when their
comparison vectors are identical (the model gives them the same score anyway, up to
term frequencies), so the tenth pair of one pattern teaches less than the first pair
of another. This is uncertainty sampling with diversity across patterns, the idea of
dedupeio's active learner, applied to the stored review band instead of a sample.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from dedupe.compare import pattern_codes

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def uncertainty(probability: FloatArray) -> FloatArray:
    """Binary entropy in bits: 1 at p = 0.5, 0 at certainty."""
    p = np.clip(probability.astype(np.float64), 1e-12, 1 - 1e-12)
    entropy: FloatArray = -(p * np.log2(p) + (1 - p) * np.log2(1 - p))
    return entropy


def review_priority(
    probability: FloatArray,
    levels: npt.NDArray[np.int8],
    pending: BoolArray,
    labelled: BoolArray,
) -> FloatArray:
    """Priority per pair (0 where not pending): higher is reviewed first.

    Args:
        probability: the model's match probability per pair.
        levels: comparison levels per pair (pairs × fields).
        pending: pairs in the review queue.
        labelled: pairs a person has already decided.

    Within each comparison pattern the pending pairs are ranked by uncertainty; the
    k-th pair of a pattern in which n pairs are already labelled gets its uncertainty
    divided by 1 + k + n.
    """
    priority = np.zeros(len(probability), dtype=np.float64)
    if not pending.any():
        return priority
    # Patterns are only needed for the queue and the labelled pairs, a few thousand.
    needed = np.flatnonzero(pending | labelled)
    codes = np.zeros(len(levels), dtype=np.int64)
    codes[needed] = pattern_codes(levels[needed])
    known_codes, known_counts = np.unique(codes[labelled], return_counts=True)
    rows = np.flatnonzero(pending)
    value = uncertainty(probability[rows])
    pattern = codes[rows]
    order = np.lexsort((-value, pattern))  # by pattern, most uncertain first
    pattern, value, rows = pattern[order], value[order], rows[order]
    starts = np.flatnonzero(np.r_[True, pattern[1:] != pattern[:-1]])
    rank = np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    already = np.zeros(len(rows), dtype=np.float64)
    if len(known_codes):
        at = np.clip(np.searchsorted(known_codes, pattern), 0, len(known_codes) - 1)
        hit = known_codes[at] == pattern
        already[hit] = known_counts[at[hit]]
    priority[rows] = value / (1.0 + rank + already)
    return priority
