"""Dedupe settings: thresholds and blocking limits, saved as JSON with every run."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from leadbase.errors import LeadbaseError


@dataclass(frozen=True)
class DedupeSettings:
    """Everything that decides a run's result besides the data and the labels.

    Attributes:
        auto_merge: match probability at or above which a pair merges without review.
        review_lower: lower edge of the review band; pairs below are kept apart and
            only counted, not stored.
        max_block: records sharing one key above which the key pairs only name-order
            neighbours (a business centre's switchboard phone).
        window: name-order neighbours paired in the sorted-neighbourhood pass over
            the whole base; most are in other places, so only a move or a branch can
            be found this way.
        block_window: name-order neighbours paired within an oversized block (one
            key, and for name words one place: these pairs can merge).
        random_pairs: record pairs sampled to measure u (chance agreement).
        label_weight: how many unlabelled pairs one reviewer's label weighs in training.
        seed: seeds the random pairs, so a run can be reproduced exactly.
    """

    auto_merge: float = 0.95
    review_lower: float = 0.3
    max_block: int = 50
    window: int = 1
    block_window: int = 5
    random_pairs: int = 1_000_000
    label_weight: float = 50.0
    seed: int = 20261122

    def __post_init__(self) -> None:
        if not 0.0 < self.review_lower <= self.auto_merge <= 1.0:
            raise LeadbaseError(
                "dedupe settings: need 0 < review_lower <= auto_merge <= 1, got "
                f"review_lower={self.review_lower}, auto_merge={self.auto_merge}"
            )
        if self.max_block < 2 or self.window < 1 or self.block_window < 1:
            raise LeadbaseError(
                "dedupe settings: max_block must be >= 2, window and block_window >= 1"
            )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DedupeSettings:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise LeadbaseError(
                f"dedupe settings: unknown keys {', '.join(unknown)}; "
                f"known: {', '.join(sorted(known))}"
            )
        return cls(**data)
