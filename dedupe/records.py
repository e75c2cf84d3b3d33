"""Between the database and the engine: load normalised records as frames.

Normalising pending raw records into `records` is `dedupe.pending`'s job; its
entry points are importable from here too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import orjson
from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from dedupe.frame import RecordFrame, RecordRow, build_frame
from dedupe.golden import Member
from dedupe.pending import NORMALISER_VERSION as NORMALISER_VERSION
from dedupe.pending import normalise_pending as normalise_pending
from dedupe.pending import pending_raw_ids as pending_raw_ids
from leadbase.models import NormalisedRecord, RawRecord, Source

RECORD_COLUMNS = [
    c.key for c in NormalisedRecord.__table__.columns if c.key != "normalised_at"
]
BATCH = 2000


# What the engine and golden records read; people's names and flags stay in the base.
LOAD_COLUMNS = [
    c for c in RECORD_COLUMNS if c not in ("persons", "flags", "normaliser_version")
]
JSON_LISTS = ("phones", "emails")


def load_columns(
    session: Session, ids: list[int] | None = None
) -> dict[str, list[Any]]:
    """Every normalised record (or those of `ids`, sorted) with its source's trust,
    in id order, column by column.

    Columns, not a dict per record: a million dicts of twenty keys cost gigabytes
    and most of the load time. The JSON lists come as text and are parsed with
    orjson, several times faster than the JSON type's own decoding.
    """
    selected = [
        cast(getattr(NormalisedRecord, c), Text).label(c)
        if c in JSON_LISTS
        else getattr(NormalisedRecord, c)
        for c in LOAD_COLUMNS
    ]
    query = (
        select(*selected, Source.trust)
        .join(RawRecord, RawRecord.id == NormalisedRecord.raw_record_id)
        .join(Source, Source.id == RawRecord.source_id)
        .order_by(NormalisedRecord.raw_record_id)
        .execution_options(yield_per=20_000)
    )
    if ids is None:
        queries = [query]
    else:
        queries = [
            query.where(NormalisedRecord.raw_record_id.in_(ids[start : start + BATCH]))
            for start in range(0, len(ids), BATCH)
        ]
    names = [*LOAD_COLUMNS, "trust"]
    columns: dict[str, list[Any]] = {name: [] for name in names}
    for chunk_query in queries:
        for rows in session.execute(chunk_query).partitions():
            for name, column in zip(names, zip(*rows, strict=True), strict=True):
                columns[name].extend(column)
    loads = orjson.loads
    for name in JSON_LISTS:
        columns[name] = [loads(text) if text else [] for text in columns[name]]
    return columns


class RecordValues(Mapping[str, Any]):
    """One record's values read from the base's columns, without copying them."""

    __slots__ = ("_columns", "_row")

    def __init__(self, columns: dict[str, list[Any]], row: int) -> None:
        self._columns = columns
        self._row = row

    def __getitem__(self, name: str) -> Any:
        return self._columns[name][self._row]

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)


class LoadedBase:
    """Records as the engine's frame plus the columns golden records need."""

    def __init__(self, columns: dict[str, list[Any]]) -> None:
        self.columns = columns
        self.ids: list[int] = columns["raw_record_id"]
        self.company_ids: list[int | None] = columns["company_id"]
        c = columns
        self.frame: RecordFrame = build_frame(
            [
                RecordRow(
                    id=i,
                    name_key=n,
                    legal_form=lf,
                    inn=inn,
                    ogrn=ogrn,
                    kpp=kpp,
                    domain=d,
                    phones=tuple(p),
                    emails=tuple(e),
                    postcode=pc,
                    region=r,
                    city=ci,
                    address_key=a,
                )
                for i, n, lf, inn, ogrn, kpp, d, p, e, pc, r, ci, a in zip(
                    c["raw_record_id"],
                    c["name_key"],
                    c["legal_form"],
                    c["inn"],
                    c["ogrn"],
                    c["kpp"],
                    c["domain"],
                    c["phones"],
                    c["emails"],
                    c["postcode"],
                    c["region"],
                    c["city"],
                    c["address_key"],
                    strict=True,
                )
            ]
        )
        self.row_of = {record_id: i for i, record_id in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)

    def member(self, row: int) -> Member:
        values = RecordValues(self.columns, row)
        return Member(self.ids[row], self.columns["trust"][row], values)

    def company_of(self, row: int) -> int | None:
        return self.company_ids[row]


def load_base(session: Session, ids: list[int] | None = None) -> LoadedBase:
    """The whole base, or only the records of `ids` (sorted)."""
    return LoadedBase(load_columns(session, ids))


def member_rows(session: Session, record_ids: list[int]) -> dict[int, Member]:
    """Golden-record members for some records, by record id."""
    columns = [getattr(NormalisedRecord, c) for c in RECORD_COLUMNS]
    query = (
        select(*columns, Source.trust)
        .join(RawRecord, RawRecord.id == NormalisedRecord.raw_record_id)
        .join(Source, Source.id == RawRecord.source_id)
        .where(NormalisedRecord.raw_record_id.in_(record_ids))
    )
    found = {}
    for row in session.execute(query):
        values = row._asdict()
        found[values["raw_record_id"]] = Member(
            values["raw_record_id"], values["trust"], values
        )
    return found
