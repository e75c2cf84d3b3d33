"""Benchmark normalisation: CPU per field and for whole rows, one process and all
cores, on sample-generator rows (all three sources, their own column names).

Rows are generated once and cached as JSON Lines in --workdir. Caches (lru_cache in
the normalisers) start cold in every measurement process. Per field: the cells as
normalise_record reads them, through the function it calls, in a fresh process
(CPU time). Whole rows: normalise_many, wall time and the CPU time of this process
and its workers together.

--no-cell-caches switches off every cache keyed by a whole cell (company and person
names, phones, emails, websites and hosts, tax ids, addresses): real lists repeat
cells far less than the sample does, so this is the rate when no cell repeats.
Caches of words, segments and table look-ups stay (they repeat in any list).

Usage: .venv/bin/python bench/bench_normalise.py [--rows 1000000] [--workdir DIR]
           [--no-cell-caches] [--skip-fields]
"""

from __future__ import annotations

import argparse
import functools
import importlib
import itertools
import json
import multiprocessing as mp
import os
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

FIELDS = (
    "name", "inn", "ogrn", "kpp", "phone", "email", "website", "address",
    "contact_name", "city", "postcode",
)  # fmt: skip
# Caches keyed by a whole cell (or host): off with --no-cell-caches.
CELL_CACHES = {
    "dedupe.normalise.names": ["parse_company_name"],
    "dedupe.normalise.persons": ["parse_person_name", "_settled"],
    "dedupe.normalise.phones": ["parse_phones", "_extract", "_describe"],
    "dedupe.normalise.emails": ["parse_emails", "_parse_address"],
    "dedupe.normalise.websites": ["parse_websites"],
    "dedupe.normalise.tax_ids": ["_parse"],
    "dedupe.normalise.addresses": ["_read"],
    "leadbase.reference.web": ["canonical_host", "registered_domain"],
}
MODULES = [
    f"dedupe.normalise.{m}"
    for m in [
        "translit",
        "legal_forms",
        "postcodes",
        "places",
        "address_scan",
        "address_parts",
        "addresses",
        "phones",
        "national_ids",
        "persons",
        "names",
        "websites",
        "emails",
        "tax_ids",
        "record",
        "batch",
    ]
] + ["leadbase.reference.web", "leadbase.reference.mail"]


def switch_off_cell_caches() -> None:
    """Replace each whole-cell cache by the bare function, wherever it is bound."""
    modules = [importlib.import_module(m) for m in MODULES]
    bare: dict[int, Any] = {}
    for name, functions in CELL_CACHES.items():
        module = importlib.import_module(name)
        for function in functions:
            cached = getattr(module, function)
            if hasattr(cached, "cache_info"):  # not switched off already
                bare[id(cached)] = cached.__wrapped__
    for module in modules:
        for name, value in list(vars(module).items()):
            if id(value) in bare:
                setattr(module, name, bare[id(value)])


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


def load_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def field_values(rows: list[dict[str, str]], field: str) -> list[str | None]:
    """The cells of one field exactly as normalise_record reads them."""
    from dedupe.normalise.record import _cells, _first

    values = []
    mappings: dict[tuple[str, ...], Any] = {}
    for row in rows:
        keys = tuple(row)
        mapping = mappings.get(keys) or mappings.setdefault(keys, mapping_of(row))
        if field == "name":
            values.append(_first(row, mapping.get("name", ())))
        else:
            values.append(_cells(row, mapping)[2].get(field))
    return values


def mapping_of(row: dict[str, str]) -> dict[str, list[str]]:
    from dedupe.normalise.record import mapping_from_keys

    return mapping_from_keys(row)


def normaliser(field: str) -> Callable[[str | None], Any]:
    """The function normalise_record calls for a field (region RU)."""
    from dedupe.normalise import addresses, emails, names, phones, tax_ids, websites
    from dedupe.normalise.record import _persons

    return {
        "name": names.parse_company_name,
        "inn": tax_ids.parse_tax_ids,
        "ogrn": tax_ids.normalise_ogrn,
        "kpp": tax_ids.normalise_kpp,
        "phone": functools.partial(phones.normalise_phones, region="RU"),
        "email": emails.normalise_emails,
        "website": websites.first_site,
        "address": functools.partial(addresses.parse_address, country="RU"),
        "contact_name": functools.partial(_persons, position=None),
        "city": functools.partial(addresses.normalise_city, country="RU"),
        "postcode": functools.partial(addresses.normalise_postcode, country="RU"),
    }[field]


def time_field(args: tuple[str, list[str | None], bool]) -> float:
    field, values, no_cell_caches = args
    if no_cell_caches:
        switch_off_cell_caches()
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


def cpu_with_children() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/leadbase-bench"))
    parser.add_argument("--no-cell-caches", action="store_true")
    parser.add_argument("--skip-fields", action="store_true")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    rows = load_rows(
        cached_rows(args.workdir / f"sample-rows-{args.rows}.jsonl", args.rows)
    )
    caches = "whole-cell caches OFF" if args.no_cell_caches else "all caches on"
    print(f"{len(rows):,} sample rows, {os.cpu_count()} cores, {caches}, load {load()}")
    if not args.skip_fields:
        total = 0.0
        with fresh_pool(1) as pool:
            for field in FIELDS:
                values = field_values(rows, field)
                job = (field, values, args.no_cell_caches)
                seconds = pool.map(time_field, [job])[0]
                total += seconds
                print(
                    f"  {field:<13} {len(values) / seconds:>10,.0f} values/s, "
                    f"{1e6 * seconds / len(values):6.2f} µs/row = {seconds:6.1f} "
                    f"CPU-s per {len(values):,} rows (1 core)"
                )
        per_row = 1e6 * total / len(rows)
        print(f"  fields alone  {per_row:6.2f} µs/row (sum); load {load()}")
    from dedupe.normalise.batch import normalise_many

    if args.no_cell_caches:
        switch_off_cell_caches()  # before the workers fork: they inherit it
    items = with_mappings(rows)
    # All cores first: workers are forked from this process, which must not have
    # warmed its caches yet; the one-process run then starts cold too.
    for processes in (os.cpu_count() or 1, 1):
        # The product's path (dedupe/normalise/batch.py), worker start included.
        started, cpu, own = (
            time.perf_counter(),
            cpu_with_children(),
            time.process_time(),
        )
        done = sum(1 for _ in normalise_many(items, processes=processes))
        seconds = time.perf_counter() - started
        cpu = cpu_with_children() - cpu
        print(
            f"  whole rows, {processes} process(es): {done:,} rows in {seconds:.1f} s "
            f"wall = {done / seconds:,.0f} rows/s; CPU {cpu:.1f} s in all "
            f"({1e6 * cpu / done:.0f} µs/row; this process "
            f"{time.process_time() - own:.1f} s); load {load()}"
        )


if __name__ == "__main__":
    main()
