"""Sources and raw records: everything received lands here exactly as it came.

Imports, spiders and the sample loader all store through `store_raw_records`, which
never stores the same (source, key, content) twice, so re-running them adds nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbase.audit import Actor, record
from leadbase.db import insert_ignoring_conflicts
from leadbase.enums import SourceKind
from leadbase.errors import ValidationError
from leadbase.models import RawRecord, Source, utcnow

BATCH_SIZE = 500


@dataclass(frozen=True)
class RawRow:
    """One received row or item before it is stored."""

    payload: dict[str, Any]
    source_key: str | None = None
    row_number: int | None = None
    url: str | None = None


@dataclass
class StoreResult:
    received: int = 0
    stored: int = 0

    @property
    def already_known(self) -> int:
        return self.received - self.stored


def content_hash(payload: dict[str, Any]) -> str:
    """sha256 of the payload in canonical JSON: equal content, equal hash."""
    text = json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ensure_source(
    session: Session,
    name: str,
    kind: SourceKind,
    *,
    actor: Actor,
    trust: int = 50,
    **details: Any,
) -> Source:
    """The source called `name`, created (and audited) if new.

    Raises:
        ValidationError: the name exists with another kind, or trust is out of 0-100.
    """
    source = session.scalars(select(Source).where(Source.name == name)).first()
    if source is not None:
        if source.kind != kind:
            raise ValidationError(
                f"source {name!r} exists as {source.kind.value}, not {kind.value}; "
                "choose another --source name"
            )
        return source
    if not 0 <= trust <= 100:
        raise ValidationError(f"trust must be 0-100, got {trust}")
    source = Source(name=name, kind=kind, trust=trust, created_by_id=actor.user_id)
    for key, value in details.items():
        setattr(source, key, value)
    session.add(source)
    session.flush()
    record(session, actor, "source.add", source, after={"name": name, "kind": kind})
    return source


def _batches(rows: Iterable[RawRow]) -> Iterator[list[RawRow]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH_SIZE)):
        yield batch


def store_raw_records(
    session: Session,
    source: Source,
    rows: Iterable[RawRow],
    *,
    import_id: int | None = None,
    crawl_job_id: int | None = None,
) -> StoreResult:
    """Store rows as raw records of `source`, skipping ones already stored.

    Rows are streamed in batches, so memory does not grow with the input.
    """
    result = StoreResult()
    for batch in _batches(rows):
        now = utcnow()
        values = []
        for row in batch:
            digest = content_hash(row.payload)
            values.append(
                {
                    "source_id": source.id,
                    "import_id": import_id,
                    "crawl_job_id": crawl_job_id,
                    "source_key": row.source_key or digest,
                    "row_number": row.row_number,
                    "url": row.url,
                    "payload": row.payload,
                    "content_hash": digest,
                    "received_at": now,
                }
            )
        result.received += len(batch)
        result.stored += len(
            insert_ignoring_conflicts(
                session, RawRecord, values, ["source_id", "source_key", "content_hash"]
            )
        )
    return result
