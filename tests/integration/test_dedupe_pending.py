"""normalise_pending's bulk path writes exactly the `records` rows the ORM path wrote.

The reference below is the stage as it was before the bulk path: each payload read
through the ORM, normalised by `normalise_record` in its import's region with its
mapping, and stored as a dict per record through `insert(NormalisedRecord)`. Rows are
compared as the driver returns them, so on SQLite the JSON lists' text must match
to the byte.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, inspect, select, update
from sqlalchemy.orm import Session

from dedupe.frame import RecordRow, build_frame
from dedupe.neighbours import frame_keys, store_keys
from dedupe.normalise.record import mapping_from_keys, normalise_record
from dedupe.records import NORMALISER_VERSION, normalise_pending, pending_raw_ids
from leadbase.audit import Actor
from leadbase.db import driver_rows
from leadbase.models import (
    BlockingKey,
    Company,
    Import,
    NormalisedRecord,
    RawRecord,
    Source,
)
from leadbase.sample_loader import load_sample

ACTOR = Actor.cli()
COLUMNS = [
    c.key for c in NormalisedRecord.__table__.columns if c.key != "normalised_at"
]


def _imports(session: Session) -> None:
    """Bought rows as a Kazakh import that leaves addresses unmapped, CRM rows as
    a British one with a mapping found from its headers; directory items stay
    crawled (no import). Plus an item whose number orjson cannot read."""
    sources = {s.name: s for s in session.scalars(select(Source))}
    first = session.scalars(
        select(RawRecord).where(RawRecord.source_id == sources["sample-bought"].id)
    ).first()
    assert first is not None
    mapping = mapping_from_keys(first.payload)
    mapping.pop("address")
    for n, (source, options) in enumerate(
        [
            ("sample-bought", {"region": "KZ", "mapping": mapping}),
            ("sample-crm", {"region": "GB"}),
        ]
    ):
        item = Import(
            source_id=sources[source].id,
            file_name=f"{source}.csv",
            sha256=f"{n:064d}",
            file_format="csv",
            options=options,
        )
        session.add(item)
        session.flush()
        session.execute(
            update(RawRecord)
            .where(RawRecord.source_id == sources[source].id)
            .values(import_id=item.id)
        )
    session.add(
        RawRecord(
            source_id=sources["sample-directory"].id,
            source_key="http://directory.example/huge-number",
            payload={"name": "ООО «Число»", "inn": 10**30, "phones": "8 495 123-45-67"},
            content_hash="f" * 64,
        )
    )
    session.flush()


def _write_one_by_one(session: Session) -> None:
    """The stage as the ORM path wrote it (company ids and keys left aside)."""
    options = {i.id: i.options or {} for i in session.scalars(select(Import))}
    values = []
    for raw in session.scalars(select(RawRecord).order_by(RawRecord.id)):
        chosen = options.get(raw.import_id or -1, {})
        fields = normalise_record(
            raw.payload, chosen.get("mapping") or None, chosen.get("region") or "RU"
        )
        row: dict[str, Any] = {"raw_record_id": raw.id, **fields._asdict()}
        for name in ("phones", "emails", "persons", "flags"):
            row[name] = list(row[name])
        values.append({**row, "normaliser_version": NORMALISER_VERSION})
    session.execute(insert(NormalisedRecord), values)


def _stored(session: Session) -> list[tuple[Any, ...]]:
    session.flush()
    return list(
        driver_rows(
            session,
            f"SELECT {', '.join(COLUMNS)} FROM records ORDER BY raw_record_id",
        )
    )


def _indexes(session: Session) -> list[dict[str, Any]]:
    found = inspect(session.connection()).get_indexes("records")
    return sorted(found, key=lambda index: str(index["name"]))


def test_bulk_path_writes_the_rows_the_orm_path_wrote(session: Session) -> None:
    load_sample(session, 120, 1, actor=ACTOR)
    _imports(session)
    records = len(pending_raw_ids(session))
    indexes = _indexes(session)
    started = datetime.now(UTC).replace(tzinfo=None)
    # Two workers and many chunks: rows come back from other processes.
    assert normalise_pending(session, processes=2, chunk_size=16) == records
    assert _indexes(session) == indexes  # dropped for the load, built again
    bulk = _stored(session)
    stamps = session.scalars(select(NormalisedRecord.normalised_at)).all()
    session.execute(delete(NormalisedRecord))
    _write_one_by_one(session)
    assert bulk == _stored(session)
    assert len(bulk) == records and pending_raw_ids(session) == []
    now = datetime.now(UTC)
    assert all(
        started <= s.replace(tzinfo=None) <= now.replace(tzinfo=None) for s in stamps
    )
    # Each import's region was used.
    assert any(row[COLUMNS.index("country")] == "GB" for row in bulk)
    assert any(row[COLUMNS.index("country")] == "KZ" for row in bulk)


def test_records_normalised_again_keep_companies_and_keys(session: Session) -> None:
    load_sample(session, 60, 1, actor=ACTOR)
    _imports(session)
    normalise_pending(session)  # one chunk: in this process
    ids = session.scalars(select(NormalisedRecord.raw_record_id)).all()
    company = Company(name="Held")
    session.add(company)
    session.flush()
    held = ids[::3]
    session.execute(
        update(NormalisedRecord)
        .where(NormalisedRecord.raw_record_id.in_(held))
        .values(company_id=company.id)
    )
    kept = session.scalars(
        select(NormalisedRecord).where(NormalisedRecord.raw_record_id.in_(held))
    ).all()
    store_keys(
        session, frame_keys(build_frame(RecordRow.of(r.raw_record_id, r) for r in kept))
    )
    before = _stored(session)
    keys = set(session.execute(select(BlockingKey.__table__)).all())
    # As if a newer normaliser came out: every record is pending again.
    session.execute(update(NormalisedRecord).values(normaliser_version=0))
    assert normalise_pending(session, processes=2, chunk_size=16) == len(ids)
    assert _stored(session) == before
    assert keys and set(session.execute(select(BlockingKey.__table__)).all()) == keys


def test_a_batch_smaller_than_a_chunk_is_shared_over_the_workers() -> None:
    from dedupe.pending import MIN_WORKER_SHARE, _shared_chunk_size

    # A daily batch: one chunk of 10,000 would run on one core.
    assert _shared_chunk_size(10_000, 10_000, 2) == 5_000
    assert _shared_chunk_size(15_001, 10_000, 2) == 7_501
    # Big runs keep their chunk size; small ones stay in one process.
    assert _shared_chunk_size(1_000_000, 10_000, 2) == 10_000
    assert _shared_chunk_size(2 * MIN_WORKER_SHARE - 2, 10_000, 2) == 10_000
    assert _shared_chunk_size(10_000, 10_000, 1) == 10_000


def test_columns_kept_while_normalising_are_the_columns_read_back(
    session: Session,
) -> None:
    from dedupe.record_rows import RECORD_ROW_COLUMNS
    from dedupe.records import FRAME_COLUMNS, RowColumns, load_columns

    load_sample(session, 120, 1, actor=ACTOR)
    _imports(session)  # three regions: their chunks come back out of id order
    kept = RowColumns(RECORD_ROW_COLUMNS)
    normalise_pending(session, processes=2, chunk_size=16, on_rows=kept.add)
    read = load_columns(session, None, FRAME_COLUMNS)
    assert len(kept) == len(read["raw_record_id"]) > 100
    as_stored = list(kept._columns["raw_record_id"])
    assert as_stored != sorted(as_stored)  # the reordering is exercised
    assert kept.in_id_order() == read


def test_a_record_missing_below_the_last_normalised_one_is_found(
    session: Session,
) -> None:
    load_sample(session, 30, 1, actor=ACTOR)
    normalise_pending(session)
    ids = sorted(session.scalars(select(NormalisedRecord.raw_record_id)))
    # Records normalised up to the last one, but one in the middle lost its row
    # (as deleting stale rows leaves it): it must not be skipped.
    session.execute(
        delete(NormalisedRecord).where(NormalisedRecord.raw_record_id == ids[5])
    )
    assert pending_raw_ids(session) == [ids[5]]
    assert normalise_pending(session) == 1
    assert pending_raw_ids(session) == []
