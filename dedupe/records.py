"""Between the database and the engine: load normalised records as frames.

Normalising pending raw records into `records` is `dedupe.pending`'s job; its
entry points are importable from here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

import numpy as np
import orjson
from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from dedupe.frame import RecordFrame, frame_of_columns
from dedupe.golden import Member
from dedupe.pending import NORMALISER_VERSION as NORMALISER_VERSION
from dedupe.pending import normalise_pending as normalise_pending
from dedupe.pending import pending_raw_ids as pending_raw_ids
from dedupe.record_spool import RecordSpool
from leadbase.db import driver_rows
from leadbase.models import NormalisedRecord, RawRecord, Source

RECORD_COLUMNS = [
    c.key for c in NormalisedRecord.__table__.columns if c.key != "normalised_at"
]
BATCH = 2000


# What the engine and golden records read; people's names and flags stay in the base.
LOAD_COLUMNS = [
    *(c for c in RECORD_COLUMNS if c not in ("persons", "flags", "normaliser_version")),
    "trust",  # the record's source's
]
JSON_LISTS = ("phones", "emails")
# What writing companies reads (`dedupe.golden`, trust, memberships): not the
# comparison keys, two long texts per record that only the frame uses. A full
# run holds these columns for the whole base through its companies stage, the
# stage of its memory peak.
GOLDEN_COLUMNS = [c for c in LOAD_COLUMNS if c not in ("name_key", "address_key")]


def load_columns(
    session: Session,
    ids: list[int] | None = None,
    wanted: Sequence[str] = LOAD_COLUMNS,
) -> dict[str, list[Any]]:
    """Every normalised record (or those of `ids`, sorted), in id order, column by
    column: the `wanted` ones (record id and company id always among them), and
    the trust of the record's source where "trust" is wanted (it is read through
    the raw records, whose big rows cost seconds to pass at a million).

    Columns, not a dict per record: a million dicts of twenty keys cost gigabytes
    and most of the load time. Rows are read from the driver a batch at a time and
    turned into columns at once, so memory freed by one batch (its row tuples, the
    JSON lists' text, repeated strings replaced by one shared object) is reused by
    the next instead of left as holes. The JSON lists come as text and are parsed
    with orjson, several times faster than the JSON type's own decoding.
    """
    selected = [
        cast(getattr(NormalisedRecord, c), Text).label(c)
        if c in JSON_LISTS
        else getattr(NormalisedRecord, c)
        for c in wanted
        if c != "trust"
    ]
    query = select(*selected).order_by(NormalisedRecord.raw_record_id)
    if "trust" in wanted:
        query = (
            query.add_columns(Source.trust)
            .join(RawRecord, RawRecord.id == NormalisedRecord.raw_record_id)
            .join(Source, Source.id == RawRecord.source_id)
        )
    if ids is None:
        queries = [query]
    else:
        queries = [
            query.where(NormalisedRecord.raw_record_id.in_(ids[start : start + BATCH]))
            for start in range(0, len(ids), BATCH)
        ]
    names = [c for c in wanted if c != "trust"] + ["trust"] * ("trust" in wanted)
    columns: dict[str, list[Any]] = {name: [] for name in names}
    dialect = session.get_bind().dialect
    shared: dict[str, dict[Any, Any]] = {name: {} for name in SHARED_TEXT}
    for chunk_query in queries:
        # Straight from the driver (the ids are integers, inlined): SQLAlchemy's
        # result rows cost more than the database's own reading.
        statement = str(
            chunk_query.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
        )
        rows = driver_rows(session, statement)
        while batch := list(islice(rows, 20_000)):  # a few rows' tuples at a time
            _extend(columns, names, zip(*batch, strict=True), shared)
    if "is_personal_data" in columns:  # SQLite gives booleans as 0 and 1
        columns["is_personal_data"] = [
            None if v is None else bool(v) for v in columns["is_personal_data"]
        ]
    return columns


def _extend(
    columns: dict[str, list[Any]],
    names: Sequence[str],
    values: Iterable[Sequence[Any]],
    shared: dict[str, dict[Any, Any]],
) -> None:
    """Append a batch of rows' values, given column by column in `names` order, as
    loaded columns hold them."""
    for name, column in zip(names, values, strict=True):
        if name in shared:  # one object per distinct value, from the start
            first = shared[name]
            column = tuple(first.setdefault(v, v) for v in column)
        elif name in JSON_LISTS:
            column = tuple(map(text_list, column))
        columns[name].extend(column)


def text_list(text: str | None) -> list[Any]:
    """A stored JSON list as read back. Most records hold no phone or one: "[]" and
    '["one"]' are read directly (a quarter of orjson's time), the rest by orjson."""
    if not text or text == "[]":
        return []
    inner = text[2:-2]
    if (
        text[:2] == '["'
        and text[-2:] == '"]'
        and '"' not in inner
        and "\\" not in inner
    ):
        return [inner]
    value: list[Any] = orjson.loads(text)
    return value


# Columns whose values repeat across many records (a country, a city, a legal form):
# the driver makes a new string object per row, one object per distinct value is
# enough. At a million records that is hundreds of megabytes.
SHARED_TEXT = (
    "legal_form",
    "country",
    "region",
    "city",
    "postcode",
    "industry",
    "okved",
)


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


# What the engine's frame is built from.
FRAME_COLUMNS = [
    "raw_record_id",
    "company_id",
    "name_key",
    "legal_form",
    "inn",
    "ogrn",
    "kpp",
    "domain",
    "phones",
    "emails",
    "postcode",
    "region",
    "city",
    "address_key",
]


class RowColumns:
    """The frame's columns gathered from `records` rows as they are stored, the
    way `load_columns` reads them back (`add` each batch of rows, in
    `row_names` order). A first run normalises every record: keeping the columns
    of the rows it stores spares reading a million rows back from the base."""

    def __init__(
        self, row_names: Sequence[str], wanted: Sequence[str] = FRAME_COLUMNS
    ) -> None:
        self._at = [row_names.index(name) for name in wanted]
        self._names = list(wanted)
        self._columns: dict[str, list[Any]] = {name: [] for name in wanted}
        self._shared: dict[str, dict[Any, Any]] = {name: {} for name in SHARED_TEXT}

    def add(self, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            every = list(zip(*rows, strict=True))
            _extend(
                self._columns, self._names, (every[i] for i in self._at), self._shared
            )

    def __len__(self) -> int:
        return len(self._columns["raw_record_id"])

    def in_id_order(self) -> dict[str, list[Any]]:
        """The columns, rows in record id order (chunks of several regions come
        back out of it)."""
        return in_id_order(self._columns)


def in_id_order(columns: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Loaded columns with their rows in record id order (the same columns when
    they already are)."""
    ids = np.asarray(columns["raw_record_id"], dtype=np.int64)
    if len(ids) < 2 or bool((ids[1:] > ids[:-1]).all()):
        return columns
    order = np.argsort(ids, kind="stable").tolist()
    return {name: [c[i] for i in order] for name, c in columns.items()}


def spooled_columns(
    session: Session, spool: RecordSpool, wanted: Sequence[str] = GOLDEN_COLUMNS
) -> dict[str, list[Any]]:
    """`load_columns` of every record from a first run's spool (which holds every
    raw record's row): the rows' columns, and the trust of each record's source
    from the base, whose raw records all have a row in the spool."""
    names = [c for c in wanted if c != "trust"]
    read: dict[str, list[Any]] = {name: [] for name in names}
    shared: dict[str, dict[Any, Any]] = {name: {} for name in SHARED_TEXT}
    for values in spool.columns(names):
        _extend(read, names, values, shared)
    columns = in_id_order(read)
    if "is_personal_data" in columns:  # as the base gives them back
        columns["is_personal_data"] = [bool(v) for v in columns["is_personal_data"]]
    if "trust" in wanted:
        ids, trust = _source_trust(session)
        if ids != columns["raw_record_id"]:
            raise RuntimeError("raw records changed while their rows were spooled")
        columns["trust"] = trust
    return columns


def _source_trust(session: Session) -> tuple[list[int], list[Any]]:
    """Every raw record's id and its source's trust, in id order."""
    rows = driver_rows(
        session,
        f"SELECT r.id, s.trust FROM {RawRecord.__tablename__} r "
        f"JOIN {Source.__tablename__} s ON s.id = r.source_id ORDER BY r.id",
    )
    ids: list[int] = []
    trust: list[Any] = []
    while batch := list(islice(rows, 50_000)):
        batch_ids, batch_trust = zip(*batch, strict=True)
        ids.extend(batch_ids)
        trust.extend(batch_trust)
    return ids, trust


class LoadedBase:
    """Records as the engine's frame plus the columns golden records need.

    A base loaded `lean` holds the frame only (and each record's id and company):
    a full run resolves a million records without their golden values, drops the
    frame once pairs and keys are stored, then reads the golden values
    (`load_golden`) for writing companies, so the two never share the memory.
    """

    def __init__(self, columns: dict[str, list[Any]], *, lean: bool = False) -> None:
        self.columns = columns
        self.ids: list[int] = columns["raw_record_id"]
        self.company_ids: list[int | None] = columns["company_id"]
        self._frame: RecordFrame | None = _frame_of(columns)
        self.row_of = {record_id: i for i, record_id in enumerate(self.ids)}
        if lean:  # the frame holds what it needs; the rest is read later
            self.columns = {
                "raw_record_id": self.ids,
                "company_id": self.company_ids,
            }

    @property
    def frame(self) -> RecordFrame:
        if self._frame is None:
            raise RuntimeError("the frame was released (see LoadedBase.load_golden)")
        return self._frame

    def load_golden(
        self,
        session: Session,
        ids: list[int] | None = None,
        spool: RecordSpool | None = None,
    ) -> None:
        """Release the frame, read the columns golden records need
        (`GOLDEN_COLUMNS`; `ids` as the base was loaded with), from the base or
        from the `spool` of a first run that holds every record."""
        self._frame = None
        if spool is None:
            columns = load_columns(session, ids, GOLDEN_COLUMNS)
        else:
            columns = spooled_columns(session, spool)
        if columns["raw_record_id"] != self.ids:
            raise RuntimeError("records changed between the two reads of the base")
        self.columns = columns
        self.ids = columns["raw_record_id"]
        self.company_ids = columns["company_id"]

    def load_golden_of(self, session: Session, rows: Sequence[int]) -> None:
        """Read the golden values of some rows (ascending) and keep the frame: an
        incremental run writes the clusters its batch touched, a fraction of the
        neighbourhood it compared. The other rows' values stay unread (None)."""
        wanted = [self.ids[row] for row in rows]
        read = load_columns(session, wanted, GOLDEN_COLUMNS)
        if read["raw_record_id"] != wanted:
            raise RuntimeError("records changed between the two reads of the base")
        columns: dict[str, list[Any]] = {}
        for name, values in read.items():
            column: list[Any] = [None] * len(self.ids)
            for row, value in zip(rows, values, strict=True):
                column[row] = value
            columns[name] = column
        columns["raw_record_id"], columns["company_id"] = self.ids, self.company_ids
        self.columns = columns

    def __len__(self) -> int:
        return len(self.ids)

    def member(self, row: int) -> Member:
        values = RecordValues(self.columns, row)
        return Member(self.ids[row], self.columns["trust"][row], values)

    def company_of(self, row: int) -> int | None:
        return self.company_ids[row]


def _frame_of(columns: dict[str, list[Any]]) -> RecordFrame:
    return frame_of_columns(
        {"id": columns["raw_record_id"], **{f: columns[f] for f in FRAME_COLUMNS[2:]}}
    )


def load_base(
    session: Session, ids: list[int] | None = None, *, lean: bool = False
) -> LoadedBase:
    """The whole base, or only the records of `ids` (sorted); `lean`: the frame
    only, golden values read later (`LoadedBase.load_golden`)."""
    if lean:
        return LoadedBase(load_columns(session, ids, FRAME_COLUMNS), lean=True)
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
