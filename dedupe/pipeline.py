"""`leadbase dedupe`: normalise what is new, resolve, store pairs, write companies.

Incremental by default: only pairs touching records without a company are compared
(against the whole base), with the model of the last full run; existing companies keep
their ids and new records join them. `full=True` re-learns the model and re-resolves
every record; companies are matched to the new clusters by their records, so ids stay
stable and a person's edits survive. Reviewers' decisions are read every time.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from dedupe.blocking import RULES, name_words
from dedupe.branches import link_branches
from dedupe.bulk_write import write_new_companies
from dedupe.compare import FIELDS
from dedupe.engine import REASONS, Labels, Progress, Resolution, among, resolve
from dedupe.frame import RecordFrame
from dedupe.golden import Member, golden_record
from dedupe.grow import Growth, grow_companies
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
from dedupe.normalise.batch import gc_paused
from dedupe.pair_rows import PAIR_COLUMNS, pair_rows
from dedupe.record_rows import RECORD_ROW_COLUMNS
from dedupe.record_spool import RecordSpool
from dedupe.records import (
    FRAME_COLUMNS,
    LoadedBase,
    RowColumns,
    in_id_order,
    load_base,
    load_columns,
    normalise_pending,
)
from dedupe.settings import DedupeSettings
from leadbase.audit import Actor
from leadbase.db import (
    bulk_insert_ignoring_conflicts,
    indexes_rebuilt_after,
    refresh_statistics,
    write_pages_once,
)
from leadbase.enums import JobStatus, PairStatus, ReviewLabel, RunKind
from leadbase.models import (
    BlockingKey,
    CandidatePair,
    Company,
    DedupeRun,
    Email,
    MergeEvent,
    NormalisedRecord,
    Phone,
    ReviewDecision,
    utcnow,
)

Say = Callable[[str], None]
RULE_NAMES = (*RULES, "labelled")  # "labelled": compared because a person decided
UNDECIDED = (PairStatus.AUTO_MERGED, PairStatus.PENDING, PairStatus.KEPT_APART)
PAIR_CHUNK = 50_000  # stored pairs made into rows and written at a time
# What a run over the whole base fills in bulk (statistics refreshed after it).
BULK_TABLES = (
    NormalisedRecord,
    BlockingKey,
    CandidatePair,
    Company,
    Phone,
    Email,
    MergeEvent,
)


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
    sqlite = session.get_bind().dialect.name == "sqlite"
    write_pages_once(session)  # alone on the base: no WAL copy (RESULTS: sessions 9-10)
    with RecordSpool(sqlite) as spool:
        return _run_dedupe(session, full, train, settings, actor, say, progress, spool)


def _run_dedupe(
    session: Session,
    full: bool,
    train: bool,
    settings: DedupeSettings | None,
    actor: Actor | None,
    say: Say | None,
    progress: Progress | None,
    spool: RecordSpool,
) -> DedupeSummary:
    """`run_dedupe`, a first run's records held in `spool` until their companies
    are written."""
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

    previous = latest_model(session)
    partial = not full and previous is not None and keys_ready(session)
    # A run over the whole base keeps the frame's columns of the records it
    # normalises: on a first run that is every record, not read back, and their
    # rows wait in the spool to be stored once, with their companies.
    normalised = None if partial else RowColumns(RECORD_ROW_COLUMNS)
    report("normalise", 0, 0)
    summary.normalised = normalise_pending(
        session,
        on_rows=normalised.add if normalised is not None else None,
        spool=None if partial else spool,
    )
    # Every record (a first run), or none: then they are in the base.
    spooled = spool if len(spool) else None
    lap("normalise")
    report("load", 0, 0)
    if settings is None:
        settings = (
            DedupeSettings.from_json(previous[0].settings)
            if previous
            else DedupeSettings()
        )
    if partial:  # the batch, its neighbours and their companies only
        base = _load_neighbourhood(session, settings)
        summary.records = count_records(session)
    else:  # the frame only: golden values are read once the pairs are stored
        in_base = count_records(session) + (len(spooled) if spooled else 0)
        if normalised is not None and len(normalised) == in_base:
            base = LoadedBase(normalised.in_id_order(), lean=True)
        else:
            base = load_base(session, lean=True)
        del normalised
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
    report("store pairs", 0, 0)
    summary.stored_pairs = _store_pairs(session, base, result, settings, run.id, full)
    lap("store_pairs")
    counts = result.counts()
    oversized = {k: v for k, v in result.candidates.oversized.items() if v}
    model_json = result.model.to_json()
    labels_of_rows = result.clustering.labels
    # Rows of the clusters the batch touched: their companies are written, and
    # only their organisations' branch links can change.
    touched = None if focus is None else _touched_rows(labels_of_rows, focus)
    touched_inns = None if touched is None else _inns(base.frame, touched)
    if partial and touched is not None:  # golden values of those rows only
        base.load_golden_of(session, touched)
    else:
        # The pairs' arrays, then the frame, make way: the whole base's blocking
        # keys are made from the frame once the pairs are gone, and the golden
        # values are read once the frame is gone. At a million records each of
        # these takes a gigabyte or more, and they are never needed together.
        del result
        report("store keys", 0, 0)
        replace_all_keys(session, base.frame)
        lap("store_keys")
        report("load golden", 0, 0)
        with gc_paused():
            base.load_golden(session, spool=spooled)
        lap("load_golden")
    report("company set-up", 0, 0)  # before the first chunk of companies reports
    written, removed = _write_companies(
        session,
        base,
        labels_of_rows,
        run.id,
        actor,
        full,
        focus,
        report,
        spooled,
    )
    summary.companies_written, summary.companies_removed = written, removed
    summary.branch_links = link_branches(session, touched_inns)
    lap("companies")
    summary.candidate_pairs = counts["candidate_pairs"]
    summary.auto_merged = counts["auto_merged"]
    summary.review = counts["review"]
    summary.kept_apart = counts["kept_apart"]
    summary.clusters = counts["clusters"]
    summary.oversized_blocks = oversized
    if not partial:  # the tables were filled in bulk
        refresh_statistics(session, BULK_TABLES)
    run.stats = {
        **summary.to_json(),
        "model": model_json,
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
    batch = load_base(session, batch_ids, lean=True).frame
    store_keys(session, frame_keys(batch))  # counted below, as a full run would
    counts = word_counts(session, name_words(batch).tolist())
    near = sorted(
        set(batch_ids) | neighbour_ids(session, batch, counts, settings.window)
    )
    # The neighbours' companies from their loaded rows, then only the records of
    # those companies not loaded yet: looking the companies up first read the
    # same seventy thousand rows twice.
    columns = load_columns(session, near, FRAME_COLUMNS)
    held = set(near)
    others = sorted(company_members(session, set(columns["company_id"])) - held)
    if others:  # each part is in id order, the two together are not
        extra = load_columns(session, others, FRAME_COLUMNS)
        columns = in_id_order({name: columns[name] + extra[name] for name in columns})
    base = LoadedBase(columns, lean=True)
    batch_rows = np.flatnonzero(
        np.fromiter((c is None for c in base.company_ids), bool, len(base))
    )
    apply_global_frequencies(session, base.frame, batch_rows)
    return base


def _inns(frame: RecordFrame, rows: list[int]) -> set[str]:
    """The INNs these rows of the frame hold."""
    codes = frame.codes["inn"][rows]
    held = np.unique(codes[codes >= 0])
    return set(frame.vocab["inn"].values[held].tolist())


def _touched_rows(
    labels: np.ndarray[Any, Any], focus: np.ndarray[Any, Any]
) -> list[int]:
    """Rows of every cluster holding a row of `focus`."""
    return np.flatnonzero(np.isin(labels, labels[focus])).tolist()


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
    if full:
        session.execute(
            delete(CandidatePair).where(CandidatePair.status.in_(UNDECIDED))
        )
    else:
        touched = np.union1d(
            ids[result.candidates.left[keep]], ids[result.candidates.right[keep]]
        ).tolist()
        # Found through each side's index, then deleted by id: with the status
        # in the same statement SQLite's planner took the status index and read
        # every stored pair.
        stale: set[int] = set()
        for start in range(0, len(touched), 10_000):
            chunk = touched[start : start + 10_000]
            for side in (CandidatePair.left_id, CandidatePair.right_id):
                stale.update(
                    pair_id
                    for pair_id, status in session.execute(
                        select(CandidatePair.id, CandidatePair.status).where(
                            side.in_(chunk)
                        )
                    )
                    if status in UNDECIDED
                )
        doomed = sorted(stale)
        for start in range(0, len(doomed), 10_000):
            session.execute(
                delete(CandidatePair).where(
                    CandidatePair.id.in_(doomed[start : start + 10_000])
                )
            )
    now = utcnow().replace(tzinfo=None)
    # Pairs of one run: run_id is the same in every row, that index stays.
    in_order = ("run_id",)
    with (
        gc_paused(),
        indexes_rebuilt_after(session, [CandidatePair], len(keep), in_order),
    ):
        # Rows made and written a chunk at a time: half a million pairs' rows
        # and explanation texts at once took a gigabyte.
        for start in range(0, len(keep), PAIR_CHUNK):
            chunk = keep[start : start + PAIR_CHUNK]
            rows = pair_rows(result, chunk, ids, RULE_NAMES, run_id, now)
            bulk_insert_ignoring_conflicts(session, CandidatePair, PAIR_COLUMNS, rows)
    return len(keep)


def _write_companies(
    session: Session,
    base: LoadedBase,
    labels: np.ndarray[Any, Any],
    run_id: int,
    actor: Actor,
    full: bool,
    focus: np.ndarray[Any, Any] | None,
    report: Progress,
    spool: RecordSpool | None,
) -> tuple[int, int]:
    had_companies = session.scalar(select(Company.id).limit(1)) is not None
    # A million clusters' worth of small objects: the cyclic collector would
    # rescan the loaded base each time they pile up.
    with gc_paused():
        clusters = _Clusters(labels, _owners(base), focus)
        # Clusters of records no company holds yet go in bulk; the rest one by one.
        fresh = clusters.fresh()
        write_new_companies(
            session,
            clusters.members(base, fresh),
            run_id=run_id,
            actor=actor,
            progress=lambda done, total: report("new companies", done, total),
            spool=spool,
        )
    written = len(fresh)
    rest = clusters.with_companies()
    assigned = _assign_companies(clusters, rest)
    growing: list[Growth] = []  # one company gains records of no company: in bulk
    for done, k in enumerate(rest.tolist()):
        if done % 2000 == 0:
            report("companies", done, len(rest))
        companies = assigned.get(k, [])
        if len(companies) == 1 and clusters.held_whole_by(k, companies[0]):
            continue  # exactly the company's records, no more, no fewer
        members = [base.member(r) for r in clusters.rows(k)]
        if len(companies) == 1 and clusters.grows(k, companies[0]):
            growing.append((companies[0], members))
        else:
            merge_records(session, members, companies, run_id=run_id, actor=actor)
        written += 1
    with gc_paused():
        grow_companies(
            session,
            growing,
            run_id=run_id,
            actor=actor,
            progress=lambda done, total: report("grown companies", done, total),
        )
    removed = 0
    if full and had_companies:  # new companies each have a record
        removed = _remove_empty(session)
    return written, removed


def _owners(base: LoadedBase) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Each row's company id, -1 for none."""
    return np.fromiter(
        (-1 if c is None else c for c in base.company_ids), np.int64, len(base)
    )


class _Clusters:
    """The rows of each cluster, clusters in order of their first row (the order
    companies are written in), with what the rows' companies say about them."""

    def __init__(
        self,
        labels: np.ndarray[Any, Any],
        owner: np.ndarray[Any, np.dtype[np.int64]],
        focus: np.ndarray[Any, Any] | None,
    ) -> None:
        _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
        rank = np.empty(len(first), np.int64)
        rank[np.argsort(first, kind="stable")] = np.arange(len(first))
        self.cluster = rank[inverse.ravel()]  # cluster number per row
        self.order = np.argsort(self.cluster, kind="stable")  # rows by cluster
        self.sizes = np.bincount(self.cluster, minlength=len(first))
        self.starts = np.zeros(len(first), np.int64)
        np.cumsum(self.sizes[:-1], out=self.starts[1:])
        self.owner = owner
        held = owner[self.order]
        self.lowest = np.minimum.reduceat(held, self.starts)
        self.highest = np.maximum.reduceat(held, self.starts)
        # The lowest company among the rows that have one, and how many have one.
        none = np.iinfo(np.int64).max
        self.lowest_held = np.minimum.reduceat(
            np.where(held < 0, none, held), self.starts
        )
        self.held = np.add.reduceat((held >= 0).astype(np.int64), self.starts)
        self.company_sizes = np.bincount(owner[owner >= 0])
        self.wanted = np.ones(len(first), bool)
        if focus is not None:  # only clusters with a record of the batch
            self.wanted[:] = False
            self.wanted[self.cluster[focus]] = True
        self._rows: list[int] | None = None

    def fresh(self) -> np.ndarray[Any, np.dtype[np.intp]]:
        """Wanted clusters none of whose records has a company, in order."""
        return np.flatnonzero(self.wanted & (self.highest < 0))

    def with_companies(self) -> np.ndarray[Any, np.dtype[np.intp]]:
        return np.flatnonzero(self.wanted & (self.highest >= 0))

    def rows(self, k: int) -> list[int]:
        if self._rows is None:
            self._rows = self.order.tolist()
        start = int(self.starts[k])
        return self._rows[start : start + int(self.sizes[k])]

    def members(self, base: LoadedBase, ks: np.ndarray[Any, Any]) -> list[list[Member]]:
        """The clusters' members, as golden records read them."""
        chosen = np.zeros(len(self.sizes), bool)
        chosen[ks] = True
        rows = self.order[np.repeat(chosen, self.sizes)].tolist()
        members = list(map(base.member, rows))
        bounds = [0, *np.cumsum(self.sizes[ks]).tolist()]
        return [members[a:b] for a, b in pairwise(bounds)]

    def held_whole_by(self, k: int, company: int) -> bool:
        """Are the cluster's records exactly all of the company's records?"""
        return bool(
            self.lowest[k] == self.highest[k] == company
            and self.company_sizes[company] == self.sizes[k]
        )

    def grows(self, k: int, company: int) -> bool:
        """Does the cluster hold all of the company's records, plus records of no
        company, and nothing of another company?"""
        return bool(
            self.lowest_held[k] == self.highest[k] == company
            and self.held[k] == self.company_sizes[company]
        )


def _assign_companies(
    clusters: _Clusters, ks: np.ndarray[Any, Any]
) -> dict[int, list[int]]:
    """Each existing company goes to the cluster (of `ks`) holding most of its
    records, the first such cluster on a tie; each cluster's companies ascending."""
    wanted = np.zeros(len(clusters.sizes), bool)
    wanted[ks] = True
    rows = np.flatnonzero(wanted[clusters.cluster] & (clusters.owner >= 0))
    if not len(rows):
        return {}
    count = len(clusters.sizes)
    pairs, held = np.unique(
        clusters.owner[rows] * count + clusters.cluster[rows], return_counts=True
    )
    company, k = pairs // count, pairs % count
    best = np.lexsort((k, -held, company))  # per company: most records, then first
    first = np.ones(len(best), bool)
    first[1:] = company[best][1:] != company[best][:-1]
    assigned: dict[int, list[int]] = defaultdict(list)
    chosen = zip(company[best][first].tolist(), k[best][first].tolist(), strict=True)
    for c, cluster in chosen:
        assigned[cluster].append(c)
    return assigned


def _remove_empty(session: Session) -> int:
    """Companies left without records and never edited by a person are removed."""
    has_records = select(NormalisedRecord.company_id).where(
        NormalisedRecord.company_id.is_not(None)
    )
    empty = [
        company_id
        for company_id, provenance in session.execute(
            select(Company.id, Company.provenance).where(Company.id.not_in(has_records))
        )
        if not any(
            isinstance(v, dict) and v.get("user_id")
            for v in (provenance or {}).values()
        )
    ]
    for start in range(0, len(empty), 10_000):
        chunk = empty[start : start + 10_000]
        session.execute(
            update(Company)
            .where(Company.head_company_id.in_(chunk))
            .values(head_company_id=None)
        )
        # Phones and emails go with their company (ON DELETE CASCADE).
        session.execute(delete(Company).where(Company.id.in_(chunk)))
    return len(empty)


def count_records(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(NormalisedRecord)) or 0)


def count_companies(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Company)) or 0)


__all__ = ["DedupeSummary", "count_companies", "golden_record", "run_dedupe"]
