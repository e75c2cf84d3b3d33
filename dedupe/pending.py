"""The normalise stage of `leadbase dedupe`: pending raw records into `records` rows.

Raw records are never changed; their normalised form lives in `records` under the same
id. A record is (re)normalised when it has no `records` row yet or was normalised by an
older normaliser version; one normalised again keeps its company and gets its blocking
keys back.

A first run normalises every raw record, a million of them at scale, on every core
(`dedupe.normalise.batch.map_chunks`). This process only moves rows: it reads the
payloads as text straight from the driver, the workers decode and normalise them and
send back `records` rows ready to store (`dedupe.record_rows`), and each chunk goes
in as one bulk insert while the workers go on with the next ones (on a first run,
into the caller's spool instead: `dedupe.record_spool`). Done through ORM objects and
dicts, this glue took more CPU than the normalisers did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from types import SimpleNamespace
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dedupe.frame import RecordRow, build_frame
from dedupe.neighbours import frame_keys, store_keys
from dedupe.normalise.batch import CHUNK_SIZE, gc_paused, map_chunks, worker_count
from dedupe.normalise.record import Mapping_
from dedupe.record_rows import (
    COMPANY,
    RECORD_ROW_COLUMNS,
    PayloadChunk,
    list_value,
    record_rows,
)
from dedupe.record_spool import RecordSpool
from leadbase.db import (
    bulk_insert_ignoring_conflicts,
    driver_rows,
    indexes_rebuilt_after,
)
from leadbase.models import BlockingKey, Import, NormalisedRecord

# Raise when normalisation changes what it writes: older rows are normalised again on
# the next `leadbase dedupe` (keeping their company). 2: crawled people are flagged as
# personal data; person keys settle to one reading.
NORMALISER_VERSION = 2
Progress = Callable[[int], None]
# A batch smaller than a chunk is still shared out over the cores when each worker
# gets at least this many records: a daily batch of 10,000 was one chunk, on one core.
MIN_WORKER_SHARE = 2_500
_CURRENT = f"normaliser_version >= {int(NORMALISER_VERSION)}"


def pending_raw_ids(session: Session) -> list[int]:
    """Raw records without a current normalised form."""
    session.flush()
    return [
        raw_id
        for (raw_id,) in driver_rows(
            session,
            "SELECT id FROM raw_records WHERE id NOT IN "
            f"(SELECT raw_record_id FROM records WHERE {_CURRENT}) ORDER BY id",
        )
    ]


def normalise_pending(
    session: Session,
    progress: Progress | None = None,
    *,
    processes: int | None = None,
    chunk_size: int = CHUNK_SIZE,
    on_rows: Callable[[list[tuple[Any, ...]]], object] | None = None,
    spool: RecordSpool | None = None,
) -> int:
    """Normalise every pending raw record into `records`; returns how many.

    Args:
        session: its transaction holds the writes (the caller commits).
        progress: called with the number of records stored, chunk by chunk.
        processes: worker processes; None means one per core.
        chunk_size: records sent to a worker at a time.
        on_rows: called with each chunk's `records` rows (RECORD_ROW_COLUMNS) as
            they are stored.
        spool: where the rows go instead of the table when the table is empty (a
            first run: `dedupe.record_spool`); the caller writes them.

    Records are normalised in the region of their import (where their numbers
    and addresses are read), with its column mapping; crawled items (no import)
    in Russia's, their fields found from their keys.
    """
    session.flush()  # the reads below go past the ORM: they must see its rows
    raw_total = _count(session, "raw_records")
    expected = raw_total - _count(session, "records", _CURRENT)
    if expected <= 0:
        return 0
    chunk_size = _shared_chunk_size(expected, chunk_size, processes)
    stale = _stale_companies(session)
    if stale is not None or expected != raw_total:
        spool = None  # the table has rows: not a first run, rows go to the table
    # A first run fills an empty table: its plain indexes are built once
    # (company_id, all NULL then, only grows at its end and stays).
    in_order = () if stale is not None else ("company_id",)
    done = 0
    # The collector paused: millions of short-lived tuples, no cycles among them.
    with gc_paused(), ExitStack() as indexes:
        if spool is None:
            indexes.enter_context(
                indexes_rebuilt_after(session, [NormalisedRecord], expected, in_order)
            )
        if stale is not None:  # from here on, pending means without a row
            _delete_stale(session)
        # The indexes are built as soon as the last payloads are read, while the
        # workers still normalise the last chunks: built after the last rows, with
        # the workers done, they kept a core idle for 7.5 s at 1M records.
        options = _import_options(session)
        chunks = _payload_chunks(
            session, options, chunk_size, raw_total, then=indexes.close
        )
        for rows in map_chunks(record_rows, chunks, processes):
            if stale:
                rows = _kept_in_companies(session, rows, stale)
            if spool is not None:
                spool.add(rows)
            else:
                bulk_insert_ignoring_conflicts(
                    session, NormalisedRecord, RECORD_ROW_COLUMNS, rows
                )
            done += len(rows)
            if on_rows:
                on_rows(rows)
            if progress:
                progress(len(rows))
    return done


def _shared_chunk_size(expected: int, chunk_size: int, processes: int | None) -> int:
    """`chunk_size`, or smaller so that every worker gets a share of a batch that
    would fill fewer chunks than there are workers (shares of at least
    MIN_WORKER_SHARE records: below that, starting workers costs more)."""
    workers = worker_count(processes)
    share = -(-expected // workers)  # rounded up
    if workers <= 1 or share < MIN_WORKER_SHARE:
        return chunk_size
    return min(chunk_size, share)


def _count(session: Session, table: str, where: str = "") -> int:
    statement = f"SELECT COUNT(*) FROM {table}" + (f" WHERE {where}" if where else "")
    [(count,)] = driver_rows(session, statement)
    return int(count)


def _import_options(session: Session) -> dict[int, tuple[str, Mapping_ | None]]:
    """(region, column mapping) of every import by id."""
    found = {}
    for item in session.scalars(select(Import)):
        options = item.options or {}
        found[item.id] = (options.get("region") or "RU", options.get("mapping") or None)
    return found


def _payload_chunks(
    session: Session,
    options: dict[int, tuple[str, Mapping_ | None]],
    size: int,
    raw_total: int,
    then: Callable[[], object],
) -> Iterator[PayloadChunk]:
    """The payloads of raw records without a `records` row, in chunks of one
    region; each page read when the workers are ready for more; `then` called
    when all are read.

    Page by page in id order, each page read whole before its rows are stored
    (a statement must not read a table while rows go into it).
    """
    waiting: dict[str, list[tuple[int, int | None, str]]] = {}
    last = _all_normalised_up_to(session, raw_total)
    while page := list(
        driver_rows(
            session,
            "SELECT id, import_id, CAST(payload AS TEXT) FROM raw_records r "
            f"WHERE id > {int(last)} AND NOT EXISTS (SELECT 1 FROM records n "
            f"WHERE n.raw_record_id = r.id) ORDER BY id LIMIT {int(size)}",
        )
    ):
        last = page[-1][0]
        for row in page:
            region = options[row[1]][0] if row[1] in options else "RU"
            held = waiting.setdefault(region, [])
            held.append(row)
            if len(held) == size:
                yield _chunk(region, held, options)
                waiting[region] = []
    for region, held in waiting.items():
        if held:
            yield _chunk(region, held, options)
    then()


def _all_normalised_up_to(session: Session, raw_total: int) -> int:
    """An id up to which every raw record has a `records` row (0 if none is
    known): a batch arrives after the base, and walking the base's ids to find it
    cost half a second at a million records. The raw records up to there are
    counted as all of them (`raw_total`) less those after: counting them
    directly walked the whole table."""
    [(highest,)] = driver_rows(session, "SELECT MAX(raw_record_id) FROM records")
    if highest is None:
        return 0
    after = f"SELECT COUNT(*) FROM raw_records WHERE id > {int(highest)}"
    [(later,)] = driver_rows(session, after)
    upto = raw_total - int(later)
    return int(highest) if upto == _count(session, "records") else 0


def _chunk(
    region: str,
    rows: list[tuple[int, int | None, str]],
    options: dict[int, tuple[str, Mapping_ | None]],
) -> PayloadChunk:
    mappings: dict[int | None, int] = {}
    for _, import_id, _ in rows:
        mappings.setdefault(import_id, len(mappings))
    return PayloadChunk(
        region=region,
        version=NORMALISER_VERSION,
        ids=[raw_id for raw_id, _, _ in rows],
        payloads=[text for _, _, text in rows],
        mapping_of=[mappings[import_id] for _, import_id, _ in rows],
        mappings=[options[i][1] if i in options else None for i in mappings],
    )


def _stale_companies(session: Session) -> dict[int, int] | None:
    """Company ids of the records normalised by an older normaliser (which have
    one), or None when there are no such records (a first run)."""
    rows = list(
        driver_rows(
            session,
            "SELECT raw_record_id, company_id FROM records "
            f"WHERE normaliser_version < {int(NORMALISER_VERSION)}",
        )
    )
    if not rows:
        return None
    return {int(raw_id): company for raw_id, company in rows if company is not None}


def _delete_stale(session: Session) -> None:
    older = select(NormalisedRecord.raw_record_id).where(
        NormalisedRecord.normaliser_version < NORMALISER_VERSION
    )
    # Their blocking keys go too: those of records kept in a company come back
    # with the new rows (_kept_in_companies).
    session.execute(delete(BlockingKey).where(BlockingKey.record_id.in_(older)))
    session.execute(
        delete(NormalisedRecord).where(
            NormalisedRecord.normaliser_version < NORMALISER_VERSION
        )
    )


def _kept_in_companies(
    session: Session, rows: list[tuple[Any, ...]], company_of: dict[int, int]
) -> list[tuple[Any, ...]]:
    """The rows with the companies their records were in, and those records'
    blocking keys stored again."""
    kept = []
    for at, row in enumerate(rows):
        company = company_of.get(row[0])
        if company is not None:
            rows[at] = row = (row[0], company, *row[COMPANY + 1 :])
            kept.append(row)
    if kept:
        frame = build_frame(RecordRow.of(row[0], _values(row)) for row in kept)
        store_keys(session, frame_keys(frame))
    return rows


def _values(row: tuple[Any, ...]) -> SimpleNamespace:
    values = dict(zip(RECORD_ROW_COLUMNS, row, strict=True))
    for name in ("phones", "emails"):
        values[name] = list_value(values[name])
    return SimpleNamespace(**values)
