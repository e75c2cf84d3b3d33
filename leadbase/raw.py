"""Sources and raw records: everything received lands here exactly as it came.

Imports, spiders and the sample loader all store through `store_raw_records`, which
never stores the same (source, key, content) twice, so re-running them adds nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from hashlib import blake2b
from itertools import islice
from typing import Any, NamedTuple

import orjson
from orjson import OPT_SORT_KEYS as SORT_KEYS
from orjson import dumps
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbase.audit import Actor, record
from leadbase.db import bulk_insert_ignoring_conflicts
from leadbase.enums import SourceKind
from leadbase.errors import ValidationError
from leadbase.models import RawRecord, Source, utcnow

BATCH_SIZE = 500
COLUMNS = (
    "source_id",
    "import_id",
    "crawl_job_id",
    "source_key",
    "row_number",
    "url",
    "payload",
    "content_hash",
    "received_at",
    "is_new_lead",
)


class RawRow(NamedTuple):
    """One received row or item before it is stored.

    A NamedTuple, not a frozen dataclass: an import makes one per row, and this
    builds in a quarter of the time, just as immutable.
    """

    payload: dict[str, Any]
    source_key: str | None = None
    row_number: int | None = None
    url: str | None = None


@dataclass
class StoreResult:
    received: int = 0
    stored: int = 0
    duplicates: int = 0  # repeats of an earlier row of the same import

    @property
    def already_known(self) -> int:
        return self.received - self.stored - self.duplicates


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


def canonical_json(payload: dict[str, Any]) -> bytes:
    """The payload as stored and hashed: UTF-8 JSON, sorted keys, no spaces."""
    return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)


def content_hash(payload: dict[str, Any]) -> str:
    """A 128-bit BLAKE2 digest of the canonical payload: equal content, equal hash."""
    return hashlib.blake2b(canonical_json(payload), digest_size=16).hexdigest()


def store_raw_records(
    session: Session,
    source: Source,
    rows: Iterable[RawRow],
    *,
    import_id: int | None = None,
    crawl_job_id: int | None = None,
    new_lead_keys: Collection[str] = frozenset(),
) -> StoreResult:
    """Store rows as raw records of `source`, skipping ones already stored.

    Rows are streamed in batches through the bulk path, so memory does not grow with
    the input. With `import_id`, rows skipped because an earlier row of the same
    import holds them are counted as `duplicates`, the rest as already known. Rows
    whose key is in `new_lead_keys` are flagged `is_new_lead` (crawls decide it).
    """
    result = StoreResult()
    for batch in _batches(rows):
        now = utcnow().replace(tzinfo=None)
        source_id = source.id
        values, keys = [], []
        for payload, source_key, row_number, url in batch:
            # canonical_json and content_hash inlined: this runs once per row.
            data = dumps(payload, option=SORT_KEYS)
            digest = blake2b(data, digest_size=16).hexdigest()
            key = source_key or ""
            keys.append((key, digest))
            values.append(
                (
                    source_id,
                    import_id,
                    crawl_job_id,
                    key,
                    row_number,
                    url,
                    data.decode(),
                    digest,
                    now,
                    key in new_lead_keys,
                )
            )
        stored = bulk_insert_ignoring_conflicts(session, RawRecord, COLUMNS, values)
        result.received += len(batch)
        result.stored += stored
        if stored < len(batch) and import_id is not None:
            result.duplicates += _count_repeats(
                session, source.id, import_id, keys, stored
            )
    return result


def _count_repeats(
    session: Session,
    source_id: int,
    import_id: int,
    keys: list[tuple[str, str]],
    stored: int,
) -> int:
    """Rows of a batch that repeat a row this import holds (not counting the rows
    this batch inserted itself)."""
    hashes = {digest for _, digest in keys}
    owners = {
        (key, digest): owner
        for key, digest, owner in session.execute(
            select(RawRecord.source_key, RawRecord.content_hash, RawRecord.import_id)
            .where(RawRecord.source_id == source_id)
            .where(RawRecord.content_hash.in_(hashes))
        )
    }
    ours = sum(1 for k in keys if owners.get(k) == import_id)
    return ours - stored
