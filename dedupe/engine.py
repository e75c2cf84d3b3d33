"""The dedupe engine in memory: block, compare, learn, score, decide, cluster.

No database here: the pipeline (`dedupe.pipeline`) loads a frame, calls `resolve` and
stores what it returns; the benchmarks call `resolve` on frames built from files.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import numpy.typing as npt

from dedupe.active import review_priority
from dedupe.blocking import RULES, Candidates, candidate_pairs
from dedupe.cluster import (
    BRANCH,
    INN_CONFLICT,
    OGRN_CONFLICT,
    OTHER_PLACE,
    REVIEWER_DISTINCT,
    WEAK_LINK,
    Clustering,
    cluster,
)
from dedupe.compare import FIELD_INDEX, Comparisons, compare_pairs, compare_texts
from dedupe.frame import IntArray, RecordFrame
from dedupe.model import MatchModel, Scores, estimate_u, score, train
from dedupe.normalise.batch import gc_paused
from dedupe.settings import DedupeSettings

BoolArray = npt.NDArray[np.bool_]

# What the engine decided about a pair (stored as leadbase.enums.PairStatus).
MERGED, REVIEW, APART = "auto_merged", "pending", "kept_apart"
STATUS_NAMES = np.array([APART, REVIEW, MERGED], dtype=object)  # by decision code
# Why a pair was not merged despite its score: index 0 means no rule applied.
REASONS: tuple[str | None, ...] = (
    None,
    OTHER_PLACE,
    BRANCH,
    OGRN_CONFLICT,
    INN_CONFLICT,
    REVIEWER_DISTINCT,
    WEAK_LINK,
)
REASON_CODE = {reason: code for code, reason in enumerate(REASONS)}
# progress(stage, done, total): called as long stages advance (total 0 = unknown).
Progress = Callable[[str, int, int], None]


@dataclass
class Labels:
    """Reviewers' decisions as frame rows: confirmed matches and distinct pairs."""

    match: list[tuple[int, int]] = field(default_factory=list)
    distinct: list[tuple[int, int]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.match) + len(self.distinct)


@dataclass
class Resolution:
    """A run's outcome: scored pairs, their decisions, clusters, timings."""

    candidates: Candidates
    comparisons: Comparisons
    model: MatchModel
    scores: Scores
    status: npt.NDArray[np.object_]
    reason: npt.NDArray[np.int8]  # REASONS code: why a pair was kept apart or queued
    clustering: Clustering
    priority: npt.NDArray[np.float64]  # review order: what a label would teach
    seconds: dict[str, float]  # wall seconds per stage
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # all threads

    def stored(self, settings: DedupeSettings) -> BoolArray:
        """Pairs worth keeping: in the review band or above, or decided by a rule."""
        kept = (self.scores.probability >= settings.review_lower) | (
            self.status != APART
        )
        return cast(BoolArray, kept)

    def counts(self) -> dict[str, int]:
        labels = self.clustering.labels
        sizes = np.bincount(labels, minlength=len(labels))
        return {
            "candidate_pairs": len(self.candidates),
            "auto_merged": int((self.status == MERGED).sum()),
            "review": int((self.status == REVIEW).sum()),
            "kept_apart": int((self.status == APART).sum()),
            "clusters": int((sizes > 0).sum()),
            "merged_clusters": int((sizes > 1).sum()),
        }


def resolve(
    frame: RecordFrame,
    settings: DedupeSettings,
    *,
    focus: BoolArray | None = None,
    model: MatchModel | None = None,
    labels: Labels | None = None,
    initial: Iterable[Iterable[int]] = (),
    progress: Progress | None = None,
) -> Resolution:
    """Resolve the records of `frame` (or only pairs touching `focus`).

    Args:
        frame: the records, ordered by id.
        settings: thresholds and blocking limits.
        focus: rows of an incremental batch; None compares everything.
        model: reuse a trained model (incremental runs); trained here when None.
        labels: reviewers' decisions, used in training and as hard constraints.
        initial: existing groups (companies) the batch is resolved against.
        progress: told of each stage as it starts and advances.
    """
    # Blocking and clustering make millions of small Python objects; the cyclic
    # collector would rescan the whole heap again and again while they are built.
    with gc_paused():
        return _resolve(frame, settings, focus, model, labels, initial, progress)


def _resolve(
    frame: RecordFrame,
    settings: DedupeSettings,
    focus: BoolArray | None,
    model: MatchModel | None,
    labels: Labels | None,
    initial: Iterable[Iterable[int]],
    progress: Progress | None,
) -> Resolution:
    labels = labels or Labels()
    report = progress or (lambda stage, done, total: None)
    seconds: dict[str, float] = {}
    cpu_seconds: dict[str, float] = {}
    clock, cpu_clock = time.perf_counter(), time.process_time()

    def lap(stage: str) -> None:
        nonlocal clock, cpu_clock
        now, cpu_now = time.perf_counter(), time.process_time()
        seconds[stage] = round(now - clock, 3)
        cpu_seconds[stage] = round(cpu_now - cpu_clock, 3)
        clock, cpu_clock = now, cpu_now

    with ThreadPoolExecutor(max_workers=1) as background:
        # Chance agreement needs only the frame: its random pairs are compared while
        # the candidates are found (rapidfuzz lets go of the GIL, so both cores work).
        chance = (
            background.submit(random_pair_levels, frame, settings)
            if model is None
            else None
        )
        report("block", 0, 0)
        candidates = candidate_pairs(
            frame,
            focus,
            max_block=settings.max_block,
            window=settings.window,
            block_window=settings.block_window,
        )
        candidates = _with_labelled(candidates, labels, len(frame))
        lap("block")
        report("compare", 0, len(candidates))
        comparisons = compare_pairs(
            frame,
            candidates.left,
            candidates.right,
            lambda done, total: report("compare", done, total),
        )
        lap("compare")
        if model is None:
            report("train", 0, 0)
            random_pairs = chance.result() if chance is not None else None
            model = learn(
                frame, comparisons, candidates, settings, labels, random_pairs
            )
            lap("train")
    scores = score(model, comparisons)
    lap("score")
    report("cluster", 0, 0)
    status, reason, clustering = decide(
        frame, candidates, comparisons, scores, settings, labels, initial
    )
    labelled = ~np.isnan(_label_vector(candidates, labels, len(frame)))
    priority = review_priority(
        scores.probability, comparisons.levels, status == REVIEW, labelled
    )
    lap("cluster")
    return Resolution(
        candidates,
        comparisons,
        model,
        scores,
        status,
        reason,
        clustering,
        priority,
        seconds,
        cpu_seconds,
    )


def learn(
    frame: RecordFrame,
    comparisons: Comparisons,
    candidates: Candidates,
    settings: DedupeSettings,
    labels: Labels,
    random_pairs: Comparisons | None = None,
) -> MatchModel:
    """u from random record pairs, m and the prior by EM (labels weigh in).

    `random_pairs`: `random_pair_levels(frame, settings)`, if already computed.
    """
    rows = len(frame)
    if random_pairs is None:
        random_pairs = random_pair_levels(frame, settings)
    u = estimate_u(random_pairs, chance_agreement(frame))
    model = train(
        comparisons,
        u,
        labels=_label_vector(candidates, labels, rows) if len(labels) else None,
        label_weight=settings.label_weight,
    )
    # EM's prior is the share of matches among candidate pairs; u is measured on all
    # record pairs, so the prior must be too (else blocking is counted twice).
    all_pairs = max(rows * (rows - 1) / 2, 1.0)
    model.prior = float(np.clip(model.prior * len(candidates) / all_pairs, 1e-12, 0.5))
    return model


def random_pair_levels(frame: RecordFrame, settings: DedupeSettings) -> Comparisons:
    """Fuzzy levels of `settings.random_pairs` random record pairs (seeded): almost
    all non-matches, so their levels measure chance agreement."""
    rng = np.random.default_rng(settings.seed)
    rows = len(frame)
    count = min(settings.random_pairs, rows * (rows - 1) // 2)
    a = rng.integers(0, rows, size=count)
    b = rng.integers(0, rows, size=count)
    keep = a != b
    return compare_texts(frame, a[keep], b[keep])


def chance_agreement(frame: RecordFrame) -> dict[str, dict[int, float]]:
    """Exact-agreement u per field level: the sum of squared value shares."""

    def square_sum(name: str) -> float:
        shares = frame.frequency(name)
        return float(np.dot(shares, shares))

    phone, line = square_sum("phones"), square_sum("phone_lines")
    city, region = square_sum("city"), square_sum("region")
    return {
        "name": {1: square_sum("name_key")},
        "inn": {1: square_sum("inn")},
        "ogrn": {1: square_sum("ogrn")},
        "kpp": {1: square_sum("kpp")},
        "legal_form": {1: square_sum("legal_form")},
        "phone": {1: phone, 2: max(line - phone, 0.0)},
        "email": {1: square_sum("emails"), 2: square_sum("email_domains")},
        "domain": {1: square_sum("domain")},
        "place": {1: city, 2: max(region - city, 0.0)},
        "address": {1: square_sum("address_key")},
    }


def decide(
    frame: RecordFrame,
    candidates: Candidates,
    comparisons: Comparisons,
    scores: Scores,
    settings: DedupeSettings,
    labels: Labels,
    initial: Iterable[Iterable[int]] = (),
) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.int8], Clustering]:
    """Apply the hard rules and thresholds, cluster, and give each pair its status."""
    reason = np.zeros(len(candidates), dtype=np.int8)
    levels = comparisons.levels
    level = {name: levels[:, number] for name, number in FIELD_INDEX.items()}
    # One organisation (same registration, site or mail domain) in another region is
    # a branch, a separate client; without such an identifier it may be a move.
    same_organisation = (
        (level["inn"] == 1)
        | (level["ogrn"] == 1)
        | (level["domain"] == 1)
        | np.isin(level["email"], (1, 2))
    )
    elsewhere = level["place"] == 3
    reason[elsewhere] = REASON_CODE[OTHER_PLACE]
    reason[elsewhere & same_organisation] = REASON_CODE[BRANCH]
    reason[(level["inn"] == 1) & (level["kpp"] == 2)] = REASON_CODE[BRANCH]
    reason[level["ogrn"] == 2] = REASON_CODE[OGRN_CONFLICT]
    reason[level["inn"] == 2] = REASON_CODE[INN_CONFLICT]
    code = candidates.left * len(frame) + candidates.right
    distinct = among(code, _codes(labels.distinct, len(frame)))
    reason[distinct] = REASON_CODE[REVIEWER_DISTINCT]
    strong = (scores.probability >= settings.auto_merge) & (reason == 0)
    clustering = cluster(
        len(frame),
        candidates.left[strong],
        candidates.right[strong],
        scores.weight[strong],
        inn=frame.codes["inn"],
        ogrn=frame.codes["ogrn"],
        kpp=frame.codes["kpp"],
        region=frame.codes["region"],
        must_link=labels.match,
        cannot_link=labels.distinct,
        initial=initial,
    )
    same = clustering.labels[candidates.left] == clustering.labels[candidates.right]
    if clustering.refused:  # find each refused pair by its code, not by a scan
        refused = np.fromiter(
            (a * len(frame) + b for a, b in clustering.refused), dtype=np.int64
        )
        why = np.fromiter(
            (REASON_CODE[r] for r in clustering.refused.values()), dtype=np.int8
        )
        # Blocking returns pairs in code order; only labelled pairs come after.
        if len(code) < 2 or bool((code[1:] > code[:-1]).all()):
            at = np.searchsorted(code, refused)
        else:
            sorter = np.argsort(code, kind="stable")
            at = sorter[np.searchsorted(code, refused, sorter=sorter)]
        reason[at] = why
    # Decided as small codes, then named in one pass (an object array is slow to fill).
    decided = ((scores.probability >= settings.review_lower) & ~distinct).view(np.int8)
    decided[reason == REASON_CODE[BRANCH]] = 0
    decided[same] = 2
    status: npt.NDArray[np.object_] = STATUS_NAMES[decided]
    return status, reason, clustering


def among(values: IntArray, wanted: IntArray) -> BoolArray:
    """np.isin for a few wanted values among millions: a binary search each, where
    np.isin would sort (or hash) all the values first."""
    if not len(wanted):
        return np.zeros(len(values), dtype=bool)
    wanted = np.sort(wanted)
    at = np.clip(np.searchsorted(wanted, values), 0, len(wanted) - 1)
    found: BoolArray = wanted[at] == values
    return found


def _codes(pairs: list[tuple[int, int]], rows: int) -> IntArray:
    if not pairs:
        return np.empty(0, dtype=np.int64)
    array = np.asarray(pairs, dtype=np.int64)
    return np.minimum(array[:, 0], array[:, 1]) * rows + np.maximum(
        array[:, 0], array[:, 1]
    )


def _label_vector(
    candidates: Candidates, labels: Labels, rows: int
) -> npt.NDArray[np.float64]:
    """Per candidate pair: 1 for a confirmed match, 0 for distinct, NaN unlabelled."""
    code = candidates.left * rows + candidates.right
    vector = np.full(len(candidates), np.nan)
    vector[among(code, _codes(labels.match, rows))] = 1.0
    vector[among(code, _codes(labels.distinct, rows))] = 0.0
    return vector


def _with_labelled(candidates: Candidates, labels: Labels, rows: int) -> Candidates:
    """Make sure every labelled pair is compared, even if no key blocks it."""
    if not len(labels):
        return candidates
    wanted = np.union1d(_codes(labels.match, rows), _codes(labels.distinct, rows))
    have = candidates.left * rows + candidates.right
    missing = wanted[~among(wanted, have)]
    if not len(missing):
        return candidates
    manual = np.int8(len(RULES))  # "labelled": outside the blocking rules
    return Candidates(
        np.concatenate([candidates.left, missing // rows]),
        np.concatenate([candidates.right, missing % rows]),
        np.concatenate([candidates.rule, np.full(len(missing), manual, dtype=np.int8)]),
        candidates.oversized,
        candidates.found,
    )
