"""Raw payloads (JSON text) made into `records` rows, on a worker process.

The normalise stage of a first run turns a million payloads into a million rows, on
every core. Whatever the parent process does per row competes with the workers for
the cores, so a worker gets the payloads as the text the database holds and sends
back each row as a plain tuple already in database form (JSON lists as text, the
columns in `RECORD_ROW_COLUMNS` order): the parent only reads and writes. The values
are the ones the ORM wrote from `normalise_record`'s fields, to the byte: lists get
the text `json.dumps` gives, which is what SQLAlchemy's JSON type writes on SQLite
(tests/integration/test_dedupe_pending.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from json.encoder import encode_basestring_ascii
from typing import Any, NamedTuple

import orjson

from dedupe.normalise.batch import gc_paused
from dedupe.normalise.record import Mapping_, NormalisedFields, normalise_records

# The `records` columns a row holds, in order: the normalised fields sit between
# the ids and the version, in NormalisedFields' order.
RECORD_ROW_COLUMNS = (
    "raw_record_id",
    "company_id",
    *NormalisedFields._fields,
    "normaliser_version",
    "normalised_at",
)
COMPANY = RECORD_ROW_COLUMNS.index("company_id")
# Tuple slots (in NormalisedFields) of the list fields stored as JSON.
_TEXT_LISTS = tuple(
    NormalisedFields._fields.index(f) for f in ("phones", "emails", "flags")
)
_PERSONS = NormalisedFields._fields.index("persons")
_EMPTY = "[]"


class PayloadChunk(NamedTuple):
    """Raw records of one region sent to a worker: their ids, payload texts, and
    for each the index of its mapping in `mappings` (one per import)."""

    region: str
    version: int
    ids: list[int]
    payloads: list[str]
    mapping_of: list[int]
    mappings: list[Mapping_ | None]


def record_rows(chunk: PayloadChunk) -> list[tuple[Any, ...]]:
    """The `records` rows (RECORD_ROW_COLUMNS) of a chunk's payloads, in order;
    company_id None, normalised now."""
    with gc_paused():
        mappings = chunk.mappings
        items = [
            (parse_payload(text), mappings[m])
            for text, m in zip(chunk.payloads, chunk.mapping_of, strict=True)
        ]
        fields = normalise_records(items, chunk.region)
        now = datetime.now(UTC).replace(tzinfo=None)  # naive UTC, as stored
        tail = (chunk.version, now)
        return [
            (raw_id, None, *_stored(values), *tail)
            for raw_id, values in zip(chunk.ids, fields, strict=True)
        ]


def parse_payload(text: str | bytes | Mapping[str, Any]) -> Mapping[str, Any]:
    """A payload as stored: JSON text (or already decoded by the driver).

    `json`, as the JSON type would read it: on payloads, flat and mostly
    Cyrillic text, orjson with the check `leadbase.db.json_loads` needs for
    exactness is no faster (2.3 µs a payload either way).
    """
    if isinstance(text, Mapping):
        return text
    payload: Mapping[str, Any] = json.loads(text)
    return payload


def _stored(values: NormalisedFields) -> list[Any]:
    stored: list[Any] = list(values)
    for slot in _TEXT_LISTS:
        texts: tuple[str, ...] = stored[slot]
        # What json.dumps gives a list of strings, without its per-call set-up
        # (a third of a row's encoding time).
        stored[slot] = f"[{', '.join(map(encode_basestring_ascii, texts))}]"
    # json.dumps, not orjson: the same text SQLAlchemy's JSON type writes.
    stored[_PERSONS] = json.dumps(values.persons) if values.persons else _EMPTY
    return stored


def list_value(text: str | Sequence[Any] | None) -> list[Any]:
    """A JSON list column's value from its stored text."""
    if text is None:
        return []
    if isinstance(text, str):
        value: list[Any] = orjson.loads(text)
        return value
    return list(text)
