"""`leadbase export clusters`: every raw record with its source, key and company id."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbase.audit import Actor, record
from leadbase.exports.files import format_for, write_rows
from leadbase.models import Export, NormalisedRecord, RawRecord, Source

COLUMNS = ("record_id", "source", "source_key", "row_number", "url", "company_id")


def _rows(session: Session) -> Iterator[list[Any]]:
    query = (
        select(
            RawRecord.id,
            Source.name,
            RawRecord.source_key,
            RawRecord.row_number,
            RawRecord.url,
            NormalisedRecord.company_id,
        )
        .join(Source, Source.id == RawRecord.source_id)
        .outerjoin(NormalisedRecord, NormalisedRecord.raw_record_id == RawRecord.id)
        .order_by(RawRecord.id)
        .execution_options(yield_per=20_000)
    )
    for row in session.execute(query):
        yield list(row)


def write_clusters(session: Session, out: Path, *, actor: Actor) -> int:
    """Write the file (CSV or XLSX by extension); audited. Returns rows written."""
    format_for(out)
    written = write_rows(out, list(COLUMNS), _rows(session))
    export = Export(
        user_id=actor.user_id,
        actor=actor.name,
        file_format=out.suffix.lstrip("."),
        target=str(out),
        filters={"clusters": True},
        rows=written,
    )
    session.add(export)
    session.flush()
    record(session, actor, "export.clusters", export, after={"rows": written})
    return written
