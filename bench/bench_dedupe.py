"""Benchmark the dedupe engine: accuracy against the sample's truth, time, peak RSS.

Sample rows (all three sources) are generated, normalised once with every core and
cached in --workdir; the timed part is the engine on already-normalised records
(block, compare, learn, score, cluster), as `leadbase dedupe --full` runs it.

Usage: .venv/bin/python bench/bench_dedupe.py [--companies 8000] [--labels 50]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import pickle
import resource
import time
from pathlib import Path

import numpy as np

from dedupe.engine import Labels, Resolution
from dedupe.frame import RecordRow, build_frame


def _normalise(chunk: list[tuple[int, dict[str, str]]]) -> list[RecordRow]:
    from dedupe.normalise.record import normalise_record

    return [RecordRow.of(i, normalise_record(payload)) for i, payload in chunk]


def sample_records(companies: int, workdir: Path) -> tuple[list[RecordRow], list[str]]:
    """Normalised sample records and their true entity ids (cached)."""
    path = workdir / f"dedupe-{companies}.pickle"
    if path.exists():
        with path.open("rb") as handle:
            cached: tuple[list[RecordRow], list[str]] = pickle.load(handle)
            return cached
    from leadbase.sample import iter_sample_rows

    rows = list(iter_sample_rows(companies, 1))
    payloads = [(i, r.payload) for i, r in enumerate(rows, start=1)]
    chunks = [payloads[s : s + 5000] for s in range(0, len(payloads), 5000)]
    with mp.Pool() as pool:
        records = [r for part in pool.map(_normalise, chunks) for r in part]
    truth = [r.entity_id for r in rows]
    workdir.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    with partial.open("wb") as handle:  # renamed into place: other runs never read
        pickle.dump((records, truth), handle)  # half a file
    partial.replace(path)
    return records, truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--companies", type=int, default=8000)
    parser.add_argument(
        "--labels", type=int, default=0, help="simulated reviewer labels"
    )
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/leadbase-bench"))
    args = parser.parse_args()

    from dedupe.engine import resolve
    from dedupe.evaluate import accuracy
    from dedupe.settings import DedupeSettings

    records, truth = sample_records(args.companies, args.workdir)
    started = time.perf_counter()
    frame = build_frame(records)
    frame_seconds = time.perf_counter() - started
    settings = DedupeSettings()
    labels = Labels()
    if args.labels:
        first = resolve(frame, settings)
        labels = simulated_labels(first, truth, args.labels)
    started = time.perf_counter()
    result = resolve(frame, settings, labels=labels)
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"records {len(records):,}  labels {len(labels)}")
    print(
        f"frame {frame_seconds:.1f} s  engine {seconds:.1f} s  stages {result.seconds}"
    )
    print(f"peak RSS {rss:,.0f} MB  counts {result.counts()}")
    print(f"oversized blocks {dict(result.candidates.oversized)}")
    print(accuracy(result.clustering.labels.tolist(), truth).line())


def simulated_labels(result: Resolution, truth: list[str], count: int) -> Labels:
    """A reviewer answering the top `count` pairs of the review queue truthfully
    (the queue's order: dedupe.active)."""
    order = np.argsort(-result.priority, kind="stable")[:count]
    order = order[result.priority[order] > 0]
    labels = Labels()
    for i in order.tolist():
        a, b = int(result.candidates.left[i]), int(result.candidates.right[i])
        (labels.match if truth[a] == truth[b] else labels.distinct).append((a, b))
    return labels


if __name__ == "__main__":
    main()
