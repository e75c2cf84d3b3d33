"""Benchmark a full run's write stages (keys, pairs, companies) piece by piece.

Runs `run_dedupe(full=True)` on a prepared base (`bench_write.py --prepare`: records
normalised, no companies or pairs), with wall and CPU seconds for each stage and for
the functions inside them, then commits (with --commit: a commit of a million
records' writes also checkpoints the WAL, part of what a user waits for) or rolls
back, so the base can be used again. --profile writes cProfile stats of the write
stages only.

Usage: .venv/bin/python bench/bench_fullwrite.py --db sqlite:////tmp/x/w.db
       [--profile out.prof] [--commit]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import resource
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import dedupe.bulk_write as bulk_write
import dedupe.neighbours as neighbours
import dedupe.pipeline as pipeline
from leadbase.db import make_engine, session_scope

Figures = dict[str, list[float]]


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(
    name: str,
    function: Callable[..., Any],
    figures: Figures,
    profile: cProfile.Profile | None = None,
) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        wall, cpu = time.perf_counter(), _cpu()
        if profile is not None:
            profile.enable()
        try:
            return function(*args, **kwargs)
        finally:
            if profile is not None:
                profile.disable()
            spent = figures.setdefault(name, [0.0, 0.0, 0.0])
            spent[0] += time.perf_counter() - wall
            spent[1] += _cpu() - cpu
            spent[2] += 1

    return wrapper


def timed_context(
    name: str, manager: Callable[..., Any], figures: Figures
) -> Callable[..., Any]:
    """Time what a context manager does after its block (index rebuilds)."""

    @contextlib.contextmanager
    def wrapper(*args: Any, **kwargs: Any) -> Iterator[None]:
        with manager(*args, **kwargs):
            yield
            wall, cpu = time.perf_counter(), _cpu()
        spent = figures.setdefault(name, [0.0, 0.0, 0.0])
        spent[0] += time.perf_counter() - wall
        spent[1] += _cpu() - cpu
        spent[2] += 1

    return wrapper


def per_table(function: Callable[..., Any], figures: Figures) -> Callable[..., Any]:
    def wrapper(session: Any, model: Any, *args: Any, **kwargs: Any) -> Any:
        name = f"  {function.__name__} {model.__tablename__}"
        return timed(name, function, figures)(session, model, *args, **kwargs)

    return wrapper


def instrument(figures: Figures, profile: cProfile.Profile | None) -> None:
    stages = {
        "store keys": (pipeline, "replace_all_keys"),
        "store pairs": (pipeline, "_store_pairs"),
        "companies: write": (pipeline, "_write_companies"),
        "companies: link_branches": (pipeline, "link_branches"),
    }
    for name, (module, attribute) in stages.items():
        function = getattr(module, attribute)
        setattr(module, attribute, timed(name, function, figures, profile))
    members = pipeline._Clusters.members
    pipeline._Clusters.members = timed(  # type: ignore[method-assign]
        "    new: _Clusters.members", members, figures
    )
    parts = {
        "  keys: frame_keys": (neighbours, "frame_keys"),
        "  keys: store_keys": (neighbours, "store_keys"),
        "  write: write_new_companies": (pipeline, "write_new_companies"),
        "  write: _Clusters": (pipeline, "_Clusters"),
        "  write: grow_companies": (pipeline, "grow_companies"),
        "  write: _remove_empty": (pipeline, "_remove_empty"),
        "    new: received_times": (bulk_write, "received_times"),
        "    new: reserve_ids": (bulk_write, "reserve_ids"),
        "    new: bulk_update_column": (bulk_write, "bulk_update_column"),
    }
    for name, (module, attribute) in parts.items():
        setattr(module, attribute, timed(name, getattr(module, attribute), figures))
    for module in (pipeline, bulk_write):
        module.indexes_rebuilt_after = timed_context(  # type: ignore[attr-defined]
            f"    index rebuilds ({module.__name__})",
            module.indexes_rebuilt_after,
            figures,
        )
        for name in ("bulk_insert_ignoring_conflicts", "insert_sqlite_rows"):
            if hasattr(module, name):
                setattr(module, name, per_table(getattr(module, name), figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True, help="database URL")
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--commit", action="store_true")
    args = parser.parse_args()
    figures: Figures = {}
    profile = cProfile.Profile() if args.profile else None
    instrument(figures, profile)
    print(f"load average at start {os.getloadavg()}")
    engine = make_engine(args.db)
    with session_scope(engine) as session:
        summary = pipeline.run_dedupe(session, full=True)
        wall, cpu = time.perf_counter(), _cpu()
        if args.commit:
            session.commit()
            figures["commit"] = [time.perf_counter() - wall, _cpu() - cpu, 1]
        else:
            session.rollback()
    print(
        f"records {summary.records:,}  companies {summary.companies_written:,}  "
        f"pairs {summary.stored_pairs:,}"
    )
    print(
        "laps "
        + " · ".join(
            f"{k} {v:.1f}"
            for k, v in summary.seconds.items()
            if k in {"store_keys", "store_pairs", "companies"}
        )
    )
    for name, (spent_wall, spent_cpu, calls) in figures.items():
        print(f"{name}: {spent_wall:.2f} s wall, {spent_cpu:.2f} s CPU ({calls:.0f}x)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:,.0f} MB")
    print(f"load average at end {os.getloadavg()}")
    if profile is not None:
        profile.dump_stats(args.profile)


if __name__ == "__main__":
    main()
