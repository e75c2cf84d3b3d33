"""Benchmark normalisation: rows/s per field and for whole rows, one process and all
cores, on sample-generator rows (all three sources, their own column names).

Rows are generated once and cached as JSON Lines in --workdir. Caches (lru_cache in
the normalisers) start cold in every measurement process.

Usage: .venv/bin/python bench/bench_normalise.py [--rows 1000000] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing as mp
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

FIELDS = ("name", "inn", "phone", "email", "website", "address", "contact_name")


def cached_rows(path: Path, count: int) -> Path:
    if not path.exists():
        from leadbase.sample import iter_sample_rows

        with path.open("w", encoding="utf-8") as handle:
            rows = (
                r for seed in itertools.count() for r in iter_sample_rows(500_000, seed)
            )
            for row in itertools.islice(rows, count):
                handle.write(json.dumps(row.payload, ensure_ascii=False) + "\n")
    return path


def load(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def field_values(rows: list[dict[str, str]], field: str) -> list[str | None]:
    from dedupe.normalise.record import mapping_from_keys

    mappings: dict[tuple[str, ...], dict[str, list[str]]] = {}
    values = []
    for row in rows:
        keys = tuple(row)
        mapping = mappings.get(keys) or mappings.setdefault(
            keys, mapping_from_keys(row)
        )
        columns = mapping.get(field, [])
        values.append("; ".join(row[c] for c in columns if row.get(c)) or None)
    return values


def normaliser(field: str) -> Callable[[str | None], Any]:
    from dedupe.normalise import (
        addresses,
        emails,
        names,
        persons,
        phones,
        tax_ids,
        websites,
    )

    return {
        "name": names.parse_company_name,
        "inn": tax_ids.parse_tax_ids,
        "phone": phones.normalise_phones,
        "email": emails.normalise_emails,
        "website": websites.parse_websites,
        "address": addresses.parse_address,
        "contact_name": persons.parse_person_name,
    }[field]


def time_field(args: tuple[str, list[str | None]]) -> float:
    field, values = args
    func = normaliser(field)
    started = time.process_time()
    for value in values:
        func(value)
    return time.process_time() - started


def with_mappings(rows: list[dict[str, str]]) -> list[tuple[dict[str, str], Any]]:
    from dedupe.normalise.record import mapping_from_keys

    # A stored import keeps one mapping per file: share one per column set.
    mappings: dict[tuple[str, ...], dict[str, list[str]]] = {}
    items = []
    for row in rows:
        keys = tuple(row)
        mapping = mappings.get(keys) or mappings.setdefault(
            keys, mapping_from_keys(row)
        )
        items.append((row, mapping))
    return items


def fresh_pool(processes: int) -> Any:
    # A new pool per measurement: every worker starts with cold caches.
    return mp.get_context("spawn").Pool(processes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/leadbase-bench"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    rows = load(cached_rows(args.workdir / f"sample-rows-{args.rows}.jsonl", args.rows))
    print(f"{len(rows):,} sample rows, {os.cpu_count()} cores")
    with fresh_pool(1) as pool:
        for field in FIELDS:
            values = field_values(rows, field)
            seconds = pool.map(time_field, [(field, values)])[0]
            print(
                f"  {field:<13} {len(values) / seconds:>10,.0f} values/s"
                " (1 core, CPU time)"
            )
    from dedupe.normalise.batch import normalise_many

    items = with_mappings(rows)
    # All cores first: workers are forked from this process, which must not have
    # warmed its caches yet; the one-process run then starts cold too.
    for processes in (os.cpu_count() or 1, 1):
        # The product's path (dedupe/normalise/batch.py), worker start included.
        started, cpu = time.perf_counter(), time.process_time()
        done = sum(1 for _ in normalise_many(items, processes=processes))
        seconds = time.perf_counter() - started
        print(
            f"  whole rows, {processes} process(es): {done:,} rows in {seconds:.1f} s "
            f"= {done / seconds:,.0f} rows/s (this process's CPU "
            f"{time.process_time() - cpu:.1f} s)"
        )


if __name__ == "__main__":
    main()
