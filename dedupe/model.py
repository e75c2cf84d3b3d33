"""The Fellegi–Sunter match model: m and u per field level, learned without labels.

u (how often two *different* companies agree at a level) is measured on random record
pairs, which are almost all non-matches. m (how often the *same* company agrees) and
the prior are estimated by expectation-maximisation over the candidate pairs, on the
distinct comparison patterns with their counts, so EM costs milliseconds whatever the
number of pairs. Reviewers' labels, when there are any, are added as pairs whose
match probability is known (1 or 0) and weigh as much as `label_weight` unlabelled
pairs each.

A pair's match weight is log2 of the prior odds plus, per field, log2(m/u) of its
level; where the level is agreement on a value, the weight is adjusted by the value's
frequency: agreeing on a switchboard phone 400 firms list is weak evidence, agreeing
on a rare one strong (Splink's term-frequency adjustment).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from dedupe.compare import FIELDS, Comparisons, pattern_codes

FloatArray = npt.NDArray[np.float64]

SMOOTHING = 1e-12  # keeps log(m/u) finite for levels never seen in one class
M_FLOOR = 0.002  # least m of any level
TF_MAX_BONUS = 4.0  # bits a rare value may add above the level's average weight
TF_MAX_PENALTY = 16.0
PATTERN_SPACE = 1 << 24  # pattern codes below this are counted, not sorted


@dataclass
class MatchModel:
    """m and u per field and level (level 0 unused), and the prior match share."""

    m: list[list[float]]
    u: list[list[float]]
    prior: float
    iterations: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "prior": self.prior,
            "iterations": self.iterations,
            "fields": {
                spec.name: {"levels": list(spec.levels), "m": m, "u": u}
                for spec, m, u in zip(FIELDS, self.m, self.u, strict=True)
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MatchModel:
        fields = data["fields"]
        return cls(
            m=[list(fields[s.name]["m"]) for s in FIELDS],
            u=[list(fields[s.name]["u"]) for s in FIELDS],
            prior=float(data["prior"]),
            iterations=int(data.get("iterations", 0)),
        )

    def level_weights(self) -> list[FloatArray]:
        """log2(m/u) per field and level; 0 for "missing"."""
        weights = []
        for m, u in zip(self.m, self.u, strict=True):
            w = np.log2((np.asarray(m) + SMOOTHING) / (np.asarray(u) + SMOOTHING))
            w[0] = 0.0
            weights.append(w)
        return weights


@dataclass
class Scores:
    """Per pair: total match weight (bits), probability, and each field's share."""

    weight: FloatArray
    probability: FloatArray
    contributions: npt.NDArray[np.float32]  # pairs × fields, bits


def estimate_u(
    random_pairs: Comparisons, exact: dict[str, dict[int, float]]
) -> list[list[float]]:
    """u per field level: chance agreement of two records with values.

    Agreement on an exact value is computed from the value frequencies (`exact`,
    field -> level -> sum of squared shares), which is exact however rare the values;
    the fuzzy levels are measured on random record pairs, scaled to fill the rest. A
    level never seen among the random pairs gets half a pair's worth, not zero.
    """
    u = []
    for number, spec in enumerate(FIELDS):
        counts = np.bincount(
            random_pairs.levels[:, number], minlength=len(spec.levels)
        ).astype(np.float64)
        counts[0] = 0.0
        total = counts.sum()
        shares = counts / total if total else np.zeros(len(spec.levels))
        floor = 0.5 / total if total else 1e-6
        known = exact.get(spec.name, {})
        fixed = np.zeros(len(spec.levels), dtype=bool)
        for level, value in known.items():
            shares[level] = max(value, 1e-12)
            fixed[level] = True
        free = ~fixed
        free[0] = False
        shares[free] = np.maximum(shares[free], floor)
        room = max(1.0 - shares[fixed].sum(), 1e-9)
        if shares[free].sum() > 0:
            shares[free] *= room / shares[free].sum()
        shares[0] = 0.0
        u.append([float(x) for x in shares])
    return u


# Fields that identify a company, and fields that describe it. Blocking and candidate
# selection make the two groups dependent within the candidate pairs (similar names
# were paired *because* they are similar), so, as Splink does, each group's m is
# estimated by EM on pairs selected by the *other* group, with the selecting group left
# out of the likelihood.
IDENTIFYING = ("inn", "ogrn", "kpp", "phone", "email", "domain")
DESCRIBING = ("name", "legal_form", "place", "address")


def train(
    pairs: Comparisons,
    u: list[list[float]],
    *,
    labels: npt.NDArray[np.float64] | None = None,
    label_weight: float = 50.0,
    max_iterations: int = 50,
    tolerance: float = 1e-5,
) -> MatchModel:
    """Estimate m (two EM sessions) and the prior (EM with m fixed), u fixed.

    Args:
        pairs: comparison vectors of the candidate pairs.
        u: from `estimate_u`.
        labels: per pair 1.0 (match), 0.0 (distinct) or NaN (unlabelled).
        label_weight: how many unlabelled pairs one reviewer's label counts as.
    """
    index = {spec.name: number for number, spec in enumerate(FIELDS)}
    levels = pairs.levels
    if not len(levels):  # nothing to learn from: keep the starting guess
        return MatchModel(m=_initial_m(), u=[list(x) for x in u], prior=1e-6)
    share_id = np.zeros(len(levels), dtype=bool)
    for name in ("inn", "ogrn", "phone", "email", "domain"):
        share_id |= levels[:, index[name]] == 1
    similar_name = np.isin(levels[:, index["name"]], (1, 2, 3, 4))
    m = _initial_m()
    iterations = 0
    for selected, estimated in ((share_id, DESCRIBING), (similar_name, IDENTIFYING)):
        numbers = [index[name] for name in estimated]
        if not selected.any():
            continue
        session = _em(
            levels[selected],
            None if labels is None else labels[selected],
            u,
            m,
            numbers,
            label_weight=label_weight,
            max_iterations=max_iterations,
            tolerance=tolerance,
        )
        for number in numbers:
            m[number] = session.m[number]
        iterations += session.iterations
    final = _em(
        levels,
        labels,
        u,
        m,
        list(range(len(FIELDS))),
        label_weight=label_weight,
        max_iterations=max_iterations,
        tolerance=tolerance,
        update_m=False,
    )
    return MatchModel(
        m=m,
        u=[list(x) for x in u],
        prior=final.prior,
        iterations=iterations + final.iterations,
    )


def _em(
    levels: npt.NDArray[np.int8],
    labels: npt.NDArray[np.float64] | None,
    u: list[list[float]],
    m: list[list[float]],
    numbers: list[int],
    *,
    label_weight: float,
    max_iterations: int,
    tolerance: float,
    update_m: bool = True,
) -> MatchModel:
    """EM over the distinct patterns of the given fields; other fields are ignored."""
    patterns, inverse, counts = _patterns(levels[:, numbers])
    known_match = np.zeros(len(patterns))
    known_distinct = np.zeros(len(patterns))
    free = counts.astype(np.float64)
    if labels is not None:
        labelled = ~np.isnan(labels)
        np.add.at(known_match, inverse[labelled & (labels == 1.0)], label_weight)
        np.add.at(known_distinct, inverse[labelled & (labels == 0.0)], label_weight)
        np.add.at(free, inverse[labelled], -1.0)
    m_sub = [np.asarray(m[n], dtype=np.float64) for n in numbers]
    u_sub = [np.asarray(u[n], dtype=np.float64) + SMOOTHING for n in numbers]
    prior = 0.01
    iteration = 0
    for iteration in range(1, max_iterations + 1):  # noqa: B007 — reported below
        log_m = np.log(prior) + _pattern_log(patterns, [x + SMOOTHING for x in m_sub])
        log_u = np.log(1 - prior) + _pattern_log(patterns, u_sub)
        posterior = 1.0 / (1.0 + np.exp(np.clip(log_u - log_m, -700, 700)))
        match_mass = free * posterior + known_match
        total = free.sum() + known_match.sum() + known_distinct.sum()
        new_prior = float(np.clip(match_mass.sum() / total, 1e-6, 0.999))
        change = abs(new_prior - prior)
        if update_m:
            new_m = _m_from(
                patterns, match_mass, [len(FIELDS[n].levels) for n in numbers]
            )
            change = max(
                change,
                *(
                    float(np.max(np.abs(a - b)))
                    for a, b in zip(new_m, m_sub, strict=True)
                ),
            )
            m_sub = new_m
        prior = new_prior
        if change < tolerance:
            break
    full_m = [list(x) for x in m]
    for position, number in enumerate(numbers):
        full_m[number] = list(m_sub[position])
    return MatchModel(m=full_m, u=u, prior=prior, iterations=iteration)


def _patterns(
    levels: npt.NDArray[np.int8],
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Distinct rows, each row's pattern and the counts (np.unique(axis=0) without its
    slow row sort: rows are encoded as one small integer and counted)."""
    if not len(levels):
        empty = np.empty(0, dtype=np.intp)
        return levels[:0], empty, empty
    codes = pattern_codes(levels)
    if int(codes.max()) < PATTERN_SPACE:
        counts = np.bincount(codes)
        present = np.flatnonzero(counts)
        index = np.zeros(len(counts), dtype=np.intp)
        index[present] = np.arange(len(present))
        # Decode each present code back into its levels, digit by digit.
        patterns = np.empty((len(present), levels.shape[1]), dtype=np.int8)
        rest = present.copy()
        for column, top in enumerate(levels.max(axis=0).tolist()):
            rest, patterns[:, column] = np.divmod(rest, int(top) + 1)
        return patterns, index[codes], counts[present]
    _, first, inverse, counts = np.unique(
        codes, return_index=True, return_inverse=True, return_counts=True
    )
    return levels[first], inverse.reshape(-1), counts


def _initial_m() -> list[list[float]]:
    # Start from "the same company agrees": 90 % on the first level, the rest falling
    # off towards "different". EM started from even guesses can settle on "similar
    # names in one city" as its match class, so the start must say what a match is.
    m = []
    for spec in FIELDS:
        rest = np.array([0.5**k for k in range(len(spec.levels) - 2)])
        m.append([0.0, 0.9, *(0.1 * rest / rest.sum())])
    return m


def _pattern_log(
    patterns: npt.NDArray[np.int8], probabilities: list[FloatArray]
) -> FloatArray:
    total = np.zeros(len(patterns))
    for column, p in enumerate(probabilities):
        level = patterns[:, column]
        total += np.where(level > 0, np.log(p[level]), 0.0)
    return total


def _m_from(
    patterns: npt.NDArray[np.int8], mass: FloatArray, sizes: list[int]
) -> list[FloatArray]:
    m = []
    for column, size in enumerate(sizes):
        sums = np.bincount(patterns[:, column], weights=mass, minlength=size)
        sums[0] = 0.0
        total = sums.sum()
        shares = sums / total if total > 0 else np.full(size, 1.0 / (size - 1))
        # No level is impossible for a match: a real duplicate may have a new domain.
        shares[1:] = np.maximum(shares[1:], M_FLOOR)
        shares[0] = 0.0
        m.append(shares / shares.sum())
    return m


def score(model: MatchModel, pairs: Comparisons) -> Scores:
    """Match weight, probability and per-field contributions of every pair."""
    weights = model.level_weights()
    # Field by field into contiguous rows; handed out transposed (pairs × fields).
    contributions = np.empty((len(FIELDS), len(pairs)), dtype=np.float32)
    for number, spec in enumerate(FIELDS):
        level = pairs.levels[:, number]
        row = contributions[number]
        np.take(weights[number].astype(np.float32), level, out=row)
        if spec.tf_levels:
            at, adjust = _frequency_adjustment(
                model, number, spec.tf_levels, level, pairs.share(number)
            )
            row[at] += adjust
    prior_weight = float(np.log2(model.prior / (1 - model.prior)))
    weight = prior_weight + contributions.sum(axis=0, dtype=np.float64)
    probability = 1.0 / (1.0 + np.exp2(-np.clip(weight, -60, 60)))
    return Scores(weight, probability, contributions.T)


def _frequency_adjustment(
    model: MatchModel,
    number: int,
    tf_levels: tuple[int, ...],
    level: npt.NDArray[np.int8],
    share: npt.NDArray[np.float32],
) -> tuple[npt.NDArray[np.intp], FloatArray]:
    """Where it applies, log2(u_level / share of the agreed value), bounded."""
    u_level = np.asarray(model.u[number]) + SMOOTHING
    at = np.flatnonzero(np.isin(level, tf_levels) & ~np.isnan(share))
    adjust = np.log2(u_level[level[at]] / np.maximum(share[at], 1e-12))
    return at, np.clip(adjust, -TF_MAX_PENALTY, TF_MAX_BONUS)
