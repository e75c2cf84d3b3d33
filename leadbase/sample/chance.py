"""Fast random draws: random.Random's choice/randint cost several times more."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from itertools import accumulate
from typing import TypeVar

T = TypeVar("T")


def cumulative(*weights: float) -> tuple[float, ...]:
    """Return cumulative weights for pick()."""
    return tuple(accumulate(weights))


def pick(rng: random.Random, cum_weights: tuple[float, ...]) -> int:
    """Return an index drawn with the given cumulative weights."""
    index = bisect(cum_weights, rng.random() * cum_weights[-1])
    return min(index, len(cum_weights) - 1)  # rounding can reach the last bound


def one(rng: random.Random, items: Sequence[T]) -> T:
    """Return a uniformly chosen item of a non-empty sequence."""
    return items[int(rng.random() * len(items))]


def between(rng: random.Random, low: int, high: int) -> int:
    """Return an integer in [low, high], both included."""
    return low + int(rng.random() * (high - low + 1))
