"""`leadbase dedupe`: normalise what is new, resolve, store pairs, write companies.

Incremental by default: only pairs touching records without a company are compared
(against the whole base), with the model of the last full run; existing companies keep
their ids and new records join them. `full=True` re-learns the model and re-resolves
every record; companies are matched to the new clusters by their records, so ids stay
stable and a person's edits survive. Reviewers' decisions are read every time.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import orjson
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from dedupe.blocking import RULES, name_words
from dedupe.branches import link_branches
from dedupe.bulk_write import write_new_companies
from dedupe.compare import FIELDS
from dedupe.engine import REASONS, Labels, Progress, Resolution, among, resolve
from dedupe.golden import golden_record
from dedupe.merges import merge_records
from dedupe.model import MatchModel, score
from dedupe.neighbours import (
    apply_global_frequencies,
    company_members,
    frame_keys,
    neighbour_ids,
    replace_all_keys,
    store_keys,
    word_counts,
)
from dedupe.records import LoadedBase, load_base, normalise_pending
from dedupe.settings import DedupeSettings
from leadbase.audit import Actor
from leadbase.db import bulk_insert_ignoring_conflicts
from leadbase.enums import JobStatus, PairStatus, ReviewLabel, RunKind
from leadbase.models import (
    CandidatePair,
    Company,
    DedupeRun,
    NormalisedRecord,
    ReviewDecision,
    utcnow,
)

Say = Callable[[str], None]
RULE_NAMES = (*RULES, "labelled")  # "labelled": compared because a person decided
UNDECIDED = (PairStatus.AUTO_MERGED, PairStatus.PENDING, PairStatus.KEPT_APART)


@dataclass
class DedupeSummary:
    run_id: int | None = None
    kind: str = RunKind.INCREMENTAL.value
    records: int = 0
    normalised: int = 0
    new_records: int = 0
    candidate_pairs: int = 0
    auto_merged: int = 0
    review: int = 0
    kept_apart: int = 0
    stored_pairs: int = 0
    clusters: int = 0
    companies_written: int = 0
    companies_removed: int = 0
    branch_links: int = 0  # head-office links set or cleared (dedupe.branches)
    oversized_blocks: dict[str, int] = field(default_factory=dict)
    labels: int = 0
    loaded: int = 0  # records read: an incremental run reads its neighbourhood only
    # Share of reviewers' labels the model agrees with (p >= 0.5 is "match"), with the
    # model the run started from and the one it ends with; a --train run shows both.
    label_agreement: dict[str, float] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def latest_model(session: Session) -> tuple[DedupeRun, MatchModel] | None:
    run = session.scalars(
        select(DedupeRun)
        .where(
            DedupeRun.status == JobStatus.DONE,
            DedupeRun.kind.in_((RunKind.FULL, RunKind.TRAIN)),
        )
        .order_by(DedupeRun.id.desc())
        .limit(1)
    ).first()
    if run is None or not run.stats or "model" not in run.stats:
        return None
    return run, MatchModel.from_json(run.stats["model"])


def load_labels(session: Session, row_of: dict[int, int]) -> Labels:
    """The latest decision per pair of records; `unsure` says nothing."""
    latest: dict[tuple[int, int], ReviewLabel] = {}
    for left, right, label in session.execute(
        select(
            ReviewDecision.left_id, ReviewDecision.right_id, ReviewDecision.label
        ).order_by(ReviewDecision.id)
    ):
        latest[(left, right)] = label
    labels = Labels()
    for (left, right), label in latest.items():
        if left not in row_of or right not in row_of or label == ReviewLabel.UNSURE:
            continue
        pair = (row_of[left], row_of[right])
        (labels.match if label == ReviewLabel.MATCH else labels.distinct).append(pair)
    return labels


def run_dedupe(
    session: Session,
    *,
    full: bool = False,
    train: bool = False,
    settings: DedupeSettings | None = None,
    actor: Actor | None = None,
    say: Say | None = None,
    progress: Progress | None = None,
) -> DedupeSummary:
    """Run dedupe in the session's transaction (the caller commits).

    `train` re-learns the model with reviewers' decisions weighing in and re-resolves
    every record (a full run that reports how well each model agrees with the labels).
    """
    actor = actor or Actor.cli()
    say = say or (lambda _: None)
    report = progress or (lambda stage, done, total: None)
    full = full or train
    kind = RunKind.TRAIN if train else RunKind.FULL if full else RunKind.INCREMENTAL
    summary = DedupeSummary(kind=kind.value)
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        summary.seconds[stage] = round(now - clock, 3)
        clock = now

    report("normalise", 0, 0)
    summary.normalised = normalise_pending(session)
    lap("normalise")
    report("load", 0, 0)
    previous = latest_model(session)
    if settings is None:
        settings = (
            DedupeSettings.from_json(previous[0].settings)
            if previous
            else DedupeSettings()
        )
    partial = not full and previous is not None and keys_ready(session)
    if partial:  # the batch, its neighbours and their companies only
        base = _load_neighbourhood(session, settings)
        summary.records = count_records(session)
    else:
        base = load_base(session)
        summary.records = len(base)
    summary.loaded = len(base)
    lap("load")
    focus = None
    model = None
    initial: list[list[int]] = []
    if not full:
        focus = np.fromiter(
            (company is None for company in base.company_ids),
            dtype=bool,
            count=len(base),
        )
        summary.new_records = int(focus.sum())
        if previous is None:  # nothing learned yet: the first run is a full one
            full, focus = True, None
            summary.kind = RunKind.FULL.value
        else:
            model = previous[1]
            initial = _existing_groups(base)
    if full:
        summary.new_records = summary.records
    if not len(base) or (focus is not None and not focus.any()):
        say("Nothing new to dedupe.")
        return summary
    labels = load_labels(session, base.row_of)
    result = resolve(
        base.frame,
        settings,
        focus=focus,
        model=model,
        labels=labels,
        initial=initial,
        progress=progress,
    )
    summary.seconds.update(result.seconds)
    summary.labels = len(labels)
    summary.label_agreement = _label_agreement(
        result, labels, len(base), previous[1] if previous else None
    )
    clock = time.perf_counter()
    run = DedupeRun(
        kind=RunKind(summary.kind),
        settings=settings.to_json(),
        started_by_id=actor.user_id,
    )
    session.add(run)
    session.flush()
    summary.run_id = run.id
    if not partial:  # the whole base is here: its blocking keys, afresh
        report("store keys", 0, 0)
        replace_all_keys(session, base.frame)
        lap("store_keys")
    report("store pairs", 0, 0)
    summary.stored_pairs = _store_pairs(session, base, result, settings, run.id, full)
    lap("store_pairs")
    written, removed = _write_companies(
        session, base, result, run.id, actor, full, focus, report
    )
    summary.companies_written, summary.companies_removed = written, removed
    # Branches point at their head office; an incremental run only re-reads the
    # organisations whose records it loaded.
    touched_inns = None if full else {inn for inn in base.columns["inn"] if inn}
    summary.branch_links = link_branches(session, touched_inns)
    lap("companies")
    counts = result.counts()
    summary.candidate_pairs = counts["candidate_pairs"]
    summary.auto_merged = counts["auto_merged"]
    summary.review = counts["review"]
    summary.kept_apart = counts["kept_apart"]
    summary.clusters = counts["clusters"]
    summary.oversized_blocks = {
        k: v for k, v in result.candidates.oversized.items() if v
    }
    run.stats = {
        **summary.to_json(),
        "model": result.model.to_json(),
        "blocking_keys": True,  # every record with a company has its keys stored
    }
    run.status = JobStatus.DONE
    run.finished_at = utcnow()
    return summary


def keys_ready(session: Session) -> bool:
    """Whether the last finished run left every record's blocking keys stored
    (runs before the keys existed did not)."""
    stats = session.scalars(
        select(DedupeRun.stats)
        .where(DedupeRun.status == JobStatus.DONE)
        .order_by(DedupeRun.id.desc())
        .limit(1)
    ).first()
    return bool(stats and stats.get("blocking_keys"))


def _load_neighbourhood(session: Session, settings: DedupeSettings) -> LoadedBase:
    """Records without a company, every record sharing a blocking key with one of
    them, and all records of those records' companies: what an incremental run
    compares and re-clusters, with the whole base's term frequencies."""
    batch_ids = list(
        session.scalars(
            select(NormalisedRecord.raw_record_id)
            .where(NormalisedRecord.company_id.is_(None))
            .order_by(NormalisedRecord.raw_record_id)
        )
    )
    if not batch_ids:
        return load_base(session, [])
    batch = load_base(session, batch_ids).frame
    store_keys(session, frame_keys(batch))  # counted below, as a full run would
    counts = word_counts(session, name_words(batch).tolist())
    near = neighbour_ids(session, batch, counts, settings.window)
    wanted = set(batch_ids) | near | company_members(session, near)
    base = load_base(session, sorted(wanted))
    apply_global_frequencies(session, base.frame)
    return base


def _label_agreement(
    result: Resolution, labels: Labels, rows: int, previous: MatchModel | None
) -> dict[str, float]:
    """How many labelled pairs each model gets right, as shares."""
    if not len(labels):
        return {}
    code = result.candidates.left * rows + result.candidates.right
    wanted = {min(a, b) * rows + max(a, b): 1.0 for a, b in labels.match}
    wanted.update({min(a, b) * rows + max(a, b): 0.0 for a, b in labels.distinct})
    at = np.flatnonzero(among(code, np.fromiter(wanted, dtype=np.int64)))
    if not len(at):
        return {}
    truth = np.array([wanted[int(c)] for c in code[at]]) == 1.0
    shares = {"after": float(((result.scores.probability[at] >= 0.5) == truth).mean())}
    if previous is not None:
        comparisons = result.comparisons.take(at)
        before = score(previous, comparisons).probability >= 0.5
        shares["before"] = float((before == truth).mean())
    return {k: round(v, 4) for k, v in shares.items()}


def _existing_groups(base: LoadedBase) -> list[list[int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for row, company in enumerate(base.company_ids):
        if company is not None:
            groups[company].append(row)
    return [rows for rows in groups.values() if len(rows) > 1]


def explanation(result: Resolution, pair: int) -> dict[str, Any]:
    """Why a pair scored what it did: the prior and each field's level and bits."""
    levels = result.comparisons.levels[pair]
    bits = result.scores.contributions[pair]
    prior = float(np.log2(result.model.prior / (1 - result.model.prior)))
    return {
        "prior_bits": round(prior, 3),
        "fields": {
            spec.name: {
                "level": spec.levels[int(levels[i])],
                "bits": round(float(bits[i]), 3),
            }
            for i, spec in enumerate(FIELDS)
        },
        "reason": REASONS[int(result.reason[pair])],
    }


def _store_pairs(
    session: Session,
    base: LoadedBase,
    result: Resolution,
    settings: DedupeSettings,
    run_id: int,
    full: bool,
) -> int:
    ids = base.frame.ids
    keep = np.flatnonzero(result.stored(settings))
    left_ids = ids[result.candidates.left[keep]]
    right_ids = ids[result.candidates.right[keep]]
    undecided = CandidatePair.status.in_(UNDECIDED)
    if full:
        session.execute(delete(CandidatePair).where(undecided))
    else:
        touched = sorted(set(left_ids.tolist()) | set(right_ids.tolist()))
        for start in range(0, len(touched), 10_000):
            chunk = touched[start : start + 10_000]
            session.execute(
                delete(CandidatePair).where(
                    undecided,
                    or_(
                        CandidatePair.left_id.in_(chunk),
                        CandidatePair.right_id.in_(chunk),
                    ),
                )
            )
    now = utcnow().replace(tzinfo=None)
    rows = [
        (
            run_id,
            int(left_ids[n]),
            int(right_ids[n]),
            RULE_NAMES[int(result.candidates.rule[pair])],
            float(np.clip(result.scores.probability[pair], 0.0, 1.0)),
            float(result.scores.weight[pair]),
            orjson.dumps(explanation(result, pair)).decode(),
            round(float(result.priority[pair]), 6),
            PairStatus(result.status[pair]).value,
            now,
        )
        for n, pair in enumerate(keep.tolist())
    ]
    columns = (
        "run_id",
        "left_id",
        "right_id",
        "rule",
        "score",
        "match_weight",
        "explanation",
        "priority",
        "status",
        "created_at",
    )
    bulk_insert_ignoring_conflicts(session, CandidatePair, columns, rows)
    return len(keep)


def _write_companies(
    session: Session,
    base: LoadedBase,
    result: Resolution,
    run_id: int,
    actor: Actor,
    full: bool,
    focus: np.ndarray[Any, Any] | None,
    report: Progress,
) -> tuple[int, int]:
    labels = result.clustering.labels
    clusters: dict[int, list[int]] = defaultdict(list)
    for row, label in enumerate(labels.tolist()):
        clusters[label].append(row)
    if focus is not None:
        touched = set(labels[focus].tolist())
        clusters = {k: v for k, v in clusters.items() if k in touched}
    assigned = _assign_companies(base, clusters)
    sizes = Counter(base.company_ids)
    # Clusters of records no company holds yet go in bulk; the rest one by one.
    fresh = [
        rows
        for label, rows in clusters.items()
        if label not in assigned and all(base.company_of(r) is None for r in rows)
    ]
    write_new_companies(
        session,
        [[base.member(r) for r in rows] for rows in fresh],
        run_id=run_id,
        actor=actor,
        progress=lambda done, total: report("new companies", done, total),
    )
    written = len(fresh)
    clusters = {
        label: rows
        for label, rows in clusters.items()
        if label in assigned or any(base.company_of(r) is not None for r in rows)
    }
    for done, (label, rows) in enumerate(clusters.items()):
        if done % 2000 == 0:
            report("companies", done, len(clusters))
        companies = assigned.get(label, [])
        unchanged = (
            len(companies) == 1
            and {base.company_of(r) for r in rows} == {companies[0]}
            and sizes[companies[0]] == len(rows)
        )
        if unchanged:  # exactly the company's records, no more, no fewer
            continue
        members = [base.member(r) for r in rows]
        merge_records(session, members, companies, run_id=run_id, actor=actor)
        written += 1
    removed = 0
    if full:
        removed = _remove_empty(session)
    return written, removed


def _assign_companies(
    base: LoadedBase, clusters: dict[int, list[int]]
) -> dict[int, list[int]]:
    """Each existing company goes to the cluster holding most of its records."""
    best: dict[int, tuple[int, int]] = {}
    for label, rows in clusters.items():
        counts: dict[int, int] = defaultdict(int)
        for row in rows:
            company = base.company_of(row)
            if company is not None:
                counts[company] += 1
        for company, count in counts.items():
            if company not in best or count > best[company][0]:
                best[company] = (count, label)
    assigned: dict[int, list[int]] = defaultdict(list)
    for company, (_, label) in sorted(best.items()):
        assigned[label].append(company)
    return assigned


def _remove_empty(session: Session) -> int:
    """Companies left without records and never edited by a person are removed."""
    has_records = select(NormalisedRecord.company_id).where(
        NormalisedRecord.company_id.is_not(None)
    )
    empty = list(session.scalars(select(Company).where(Company.id.not_in(has_records))))
    removed = 0
    for company in empty:
        if any(
            isinstance(v, dict) and v.get("user_id")
            for v in (company.provenance or {}).values()
        ):
            continue
        session.execute(
            update(Company)
            .where(Company.head_company_id == company.id)
            .values(head_company_id=None)
        )
        session.delete(company)
        removed += 1
    session.flush()
    return removed


def count_records(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(NormalisedRecord)) or 0)


def count_companies(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Company)) or 0)


__all__ = ["DedupeSummary", "count_companies", "golden_record", "run_dedupe"]
