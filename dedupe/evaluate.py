"""Accuracy of a clustering against the truth: pairwise and B-cubed P/R/F1."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Accuracy:
    precision: float
    recall: float
    f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float

    def line(self) -> str:
        return (
            f"pairwise P {self.precision:.4f} R {self.recall:.4f} F1 {self.f1:.4f} · "
            f"B-cubed P {self.bcubed_precision:.4f} R {self.bcubed_recall:.4f} "
            f"F1 {self.bcubed_f1:.4f}"
        )


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def accuracy(predicted: Sequence[object], truth: Sequence[object]) -> Accuracy:
    """Compare two labelings of the same records (any hashable cluster labels)."""
    if len(predicted) != len(truth):
        raise ValueError("predicted and truth must label the same records")
    both = Counter(zip(predicted, truth, strict=True))
    pred_sizes = Counter(predicted)
    true_sizes = Counter(truth)
    together = sum(_pairs(n) for n in both.values())
    pred_pairs = sum(_pairs(n) for n in pred_sizes.values())
    true_pairs = sum(_pairs(n) for n in true_sizes.values())
    precision = together / pred_pairs if pred_pairs else 1.0
    recall = together / true_pairs if true_pairs else 1.0
    records = len(predicted) or 1
    b_precision = sum(n * n / pred_sizes[p] for (p, _), n in both.items()) / records
    b_recall = sum(n * n / true_sizes[t] for (_, t), n in both.items()) / records
    return Accuracy(
        precision,
        recall,
        _f1(precision, recall),
        b_precision,
        b_recall,
        _f1(b_precision, b_recall),
    )
