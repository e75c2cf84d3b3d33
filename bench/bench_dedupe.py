"""Benchmark the dedupe engine: accuracy against the sample's truth, time, peak RSS.

Sample rows (all three sources) are generated, normalised once with every core and
cached in --workdir; the timed part is the frame build and the engine on
already-normalised records (block, compare, learn, score, cluster), as
`leadbase dedupe --full` runs them. Memory is reported per phase: the benchmark's own
list of input records is freed once the frame is built, so the engine's peak is its own
(the kernel's peak RSS is reset between phases through /proc/self/clear_refs).

Usage: .venv/bin/python bench/bench_dedupe.py [--companies 8000] [--labels 50]
"""

from __future__ import annotations

import argparse
import gc
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
    count = len(records)
    input_mb = _rss_mb("VmRSS")
    print(f"load average at start {_loadavg()}")
    _reset_peak()
    wall, cpu = time.perf_counter(), time.process_time()
    frame = build_frame(records)
    frame_seconds = time.perf_counter() - wall
    frame_cpu = time.process_time() - cpu
    frame_peak = _rss_mb("VmHWM")
    del records  # the benchmark's input, not the engine's: the engine has the frame
    gc.collect()
    frame_mb = _rss_mb("VmRSS")
    _reset_peak()
    settings = DedupeSettings()
    labels = Labels()
    if args.labels:
        first = resolve(frame, settings)
        labels = simulated_labels(first, truth, args.labels)
        del first
    wall, cpu = time.perf_counter(), time.process_time()
    result = resolve(frame, settings, labels=labels)
    seconds = time.perf_counter() - wall
    engine_cpu = time.process_time() - cpu
    engine_peak = _rss_mb("VmHWM")
    print(f"records {count:,}  labels {len(labels)}")
    print(
        f"frame {frame_seconds:.1f} s (CPU {frame_cpu:.1f})  engine {seconds:.1f} s "
        f"(CPU {engine_cpu:.1f})  total {frame_seconds + seconds:.1f} s "
        f"(CPU {frame_cpu + engine_cpu:.1f})"
    )
    print(f"stages wall {result.seconds}")
    print(f"stages CPU  {result.cpu_seconds}")
    print(
        f"RSS MB: input records {input_mb:,.0f}; frame build peak {frame_peak:,.0f}; "
        f"frame alone {frame_mb:,.0f}; engine peak {engine_peak:,.0f}"
    )
    print(f"counts {result.counts()}")
    print(f"pairs found per rule {dict(result.candidates.found)}")
    print(f"oversized blocks {dict(result.candidates.oversized)}")
    found = accuracy(result.clustering.labels.tolist(), truth)
    print(f"{found.line()}  (F1 {found.f1:.5f}, B-cubed F1 {found.bcubed_f1:.5f})")
    print(f"load average at end {_loadavg()}")


def _rss_mb(line: str) -> float:
    """VmRSS (now) or VmHWM (peak since the last reset) of this process, in MB."""
    with open("/proc/self/status") as status:
        for text in status:
            if text.startswith(line + ":"):
                return int(text.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    """Start a new peak-RSS measurement (Linux: "5" resets VmHWM to VmRSS)."""
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")


def _loadavg() -> str:
    with open("/proc/loadavg") as load:
        return " ".join(load.read().split()[:3])


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
