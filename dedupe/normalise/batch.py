"""Many payloads normalised at once: in chunks, on every core, garbage collector paused.

This is the way to normalise a base (a dedupe run normalises every raw record);
normalise_record stays the function for one payload.

Two costs dominate a large run besides the normalisers themselves:
- CPython's cyclic garbage collector. The normalisers' lru_caches hold hundreds of
  thousands of tuples and frozen dataclasses, and every full collection walks all of
  them, while normalising creates no reference cycles to find (collections after
  each chunk of 100,000 sample rows found none). Pausing the collector for a chunk
  saves 15-25 % of the CPU time (bench/RESULTS.md); it runs again between chunks.
- One core. Chunks go to a pool of worker processes (one per core by default), a
  bounded number at a time so memory does not grow with the input, packed so that
  column names are pickled once per chunk, not once per row.
A chunk itself is normalised field by field (record.normalise_records), which keeps
each normaliser's code and caches hot: a third less CPU than row by row.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from itertools import chain, islice, repeat
from typing import Any, TypeVar

from dedupe.normalise.record import Mapping_, NormalisedFields, normalise_records

__all__ = [
    "CHUNK_SIZE",
    "Item",
    "gc_paused",
    "map_chunks",
    "normalise_chunk",
    "normalise_many",
]

# (payload, mapping): mapping None means "derive it from the payload's keys".
Item = tuple[Mapping[str, Any], Mapping_ | None]
# Large enough that pickling a chunk to a worker and back is a few per cent of
# normalising it; small enough that each worker gets many chunks.
CHUNK_SIZE = 10_000
_Chunk = TypeVar("_Chunk")
_Result = TypeVar("_Result")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block, if it was running."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def normalise_chunk(
    items: Sequence[Item], region: str = "RU"
) -> list[NormalisedFields]:
    """Normalise payloads in this process, in order, with the collector paused."""
    with gc_paused():
        return normalise_records(items, region)


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def normalise_many(
    items: Iterable[Item],
    region: str = "RU",
    processes: int | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[NormalisedFields]:
    """Normalise (payload, mapping) pairs on every core; results in input order.

    Args:
        items: (payload, mapping) pairs, read lazily; mapping None derives the
            fields from the payload's keys (crawled items).
        region: ISO country for phones and addresses written without one.
        processes: worker processes; None means one per core, 1 means none
            (everything in this process).
        chunk_size: payloads sent to a worker at a time.

    Workers are forked (spawned where fork does not exist: a script calling this
    there needs the usual `if __name__ == "__main__":` guard).

    Examples:
        >>> [r.inn for r in normalise_many([({"inn": "7707083893"}, None)])]
        ['7707083893']
    """
    packed = map(_pack, _chunks(items, chunk_size))
    for rows in map_chunks(partial(_work, region=region), packed, processes):
        yield from _unpack(rows)


def map_chunks(
    work: Callable[[_Chunk], _Result],
    chunks: Iterable[_Chunk],
    processes: int | None = None,
) -> Iterator[_Result]:
    """`work(chunk)` for every chunk on worker processes; results in input order.

    Chunks are read lazily and a bounded number is in flight, so memory stays
    flat in the input and the caller's own work on a result (writing it) runs
    while the workers go on with the next chunks. One chunk, or `processes` 1,
    runs in this process, the collector paused for each chunk's work: starting
    workers would cost more than it saves. `work` must be picklable (a module's
    function, or a partial of one).
    """
    workers = worker_count(processes)
    iterator = iter(chunks)
    first = next(iterator, None)
    if first is None:
        return
    second = next(iterator, None)
    if workers <= 1 or second is None:
        for chunk in chain([first], [] if second is None else [second], iterator):
            with gc_paused():  # only around the work: it runs between chunks
                result = work(chunk)
            yield result
        return
    context = multiprocessing.get_context(_START_METHOD)
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker
    ) as pool:
        pending: deque[Future[_Result]] = deque()
        for chunk in chain([first, second], iterator):
            pending.append(pool.submit(work, chunk))
            if len(pending) > 2 * workers:  # bounded: memory flat in the input
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def worker_count(processes: int | None) -> int:
    """The worker processes `map_chunks` starts: `processes`, or one per core."""
    return processes if processes is not None else os.cpu_count() or 1


def _start_worker() -> None:
    # A worker only normalises, and normalising makes no reference cycles (none
    # found in 100,000 sample rows): reference counting frees everything, and the
    # collector would only walk the caches. The worker ends with the pool.
    gc.disable()


# fork where there is one: spawn re-runs the caller's __main__ in every worker,
# which breaks when __main__ is not an importable script (a notebook, Streamlit's
# AppTest). Forked workers never touch the caller's database connections or
# threads: they only normalise, and leave through os._exit with the pool.
_START_METHOD = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


# A chunk as sent to a worker: each distinct (columns, mapping) once, then every
# payload as (its shape's index, its values). A payload's column names would
# otherwise be pickled again with every row: 30 % of the bytes, and of the time.
Packed = tuple[
    list[tuple[tuple[str, ...], Mapping_ | None]], list[tuple[int, tuple[Any, ...]]]
]


def _pack(chunk: list[Item]) -> Packed:
    shapes: dict[tuple[tuple[str, ...], int], int] = {}
    kinds: list[tuple[tuple[str, ...], Mapping_ | None]] = []
    rows = []
    for payload, mapping in chunk:
        columns = tuple(payload)
        shape = shapes.get((columns, id(mapping)))
        if shape is None:
            shape = shapes[(columns, id(mapping))] = len(kinds)
            kinds.append((columns, mapping))
        rows.append((shape, tuple(payload.values())))
    return kinds, rows


def _unpack_chunk(packed: Packed) -> list[Item]:
    kinds, rows = packed
    return [
        (dict(zip(kinds[s][0], values, strict=True)), kinds[s][1]) for s, values in rows
    ]


def _work(packed: Packed, region: str) -> list[tuple[Any, ...]]:
    # Plain tuples: a named tuple would be rebuilt by a Python call on unpickling.
    return [tuple(r) for r in normalise_records(_unpack_chunk(packed), region)]


def _unpack(rows: list[tuple[Any, ...]]) -> Iterator[NormalisedFields]:
    # tuple.__new__ makes the named tuple in C, without its Python __new__.
    return map(tuple.__new__, repeat(NormalisedFields), rows)
