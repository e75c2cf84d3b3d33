"""`leadbase dedupe --explain A B`: the waterfall of one pair, field by field."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from dedupe.compare import FIELDS, compare_pairs
from dedupe.model import score
from dedupe.neighbours import apply_global_frequencies
from dedupe.pipeline import keys_ready, latest_model
from dedupe.records import load_base
from leadbase.errors import LeadbaseError


def explain_pair(session: Session, first: int, second: int) -> dict[str, Any]:
    """Score two records with the latest model; raises if either is unknown."""
    found = latest_model(session)
    if found is None:
        raise LeadbaseError("no dedupe model yet: run `leadbase dedupe` first")
    _, model = found
    # The two records with the whole base's term frequencies, when the last run
    # left its blocking keys to count them by; else the whole base, counted here.
    if keys_ready(session):
        base = load_base(session, sorted({first, second}))
        apply_global_frequencies(session, base.frame)
    else:
        base = load_base(session)
    missing = [r for r in (first, second) if r not in base.row_of]
    if missing:
        raise LeadbaseError(
            f"record {missing[0]} is not normalised yet or does not exist; "
            "run `leadbase dedupe` first or check the id in `leadbase export clusters`"
        )
    left = np.asarray([base.row_of[min(first, second)]], dtype=np.int64)
    right = np.asarray([base.row_of[max(first, second)]], dtype=np.int64)
    comparisons = compare_pairs(base.frame, left, right)
    scores = score(model, comparisons)
    prior = float(np.log2(model.prior / (1 - model.prior)))
    rows = [base.member(int(left[0])).values, base.member(int(right[0])).values]
    return {
        "records": (min(first, second), max(first, second)),
        "names": (rows[0]["name"], rows[1]["name"]),
        "prior_bits": prior,
        "fields": [
            (
                spec.name,
                spec.levels[int(comparisons.levels[0, i])],
                float(scores.contributions[0, i]),
            )
            for i, spec in enumerate(FIELDS)
        ],
        "weight": float(scores.weight[0]),
        "probability": float(scores.probability[0]),
    }


def format_waterfall(explained: dict[str, Any]) -> str:
    """Text waterfall: start at the prior, add each field's bits, end at the total."""
    a, b = explained["records"]
    lines = [
        f"Records {a} «{explained['names'][0]}» and {b} «{explained['names'][1]}»",
        f"  {'prior (share of matching pairs)':<40} "
        f"{explained['prior_bits']:+7.2f} bits",
    ]
    running = explained["prior_bits"]
    for name, level, bits in explained["fields"]:
        running += bits
        bar = ("+" if bits > 0 else "-") * min(int(abs(bits)), 30)
        lines.append(
            f"  {name + ': ' + level:<40} {bits:+7.2f}  = {running:+7.2f}  {bar}"
        )
    lines.append(
        f"  {'match weight':<40} {explained['weight']:+7.2f} bits → "
        f"probability {explained['probability']:.4f}"
    )
    return "\n".join(lines)
