"""Between the database and the engine: normalise new raw records, load them as frames.

Raw records are never changed; their normalised form lives in `records` under the same
id. A record is (re)normalised when it has no `records` row yet or was normalised by an
older normaliser version.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

import orjson
from sqlalchemy import Text, cast, delete, insert, select
from sqlalchemy.orm import Session

from dedupe.frame import RecordFrame, RecordRow, build_frame, frame_of_columns
from dedupe.golden import Member
from dedupe.neighbours import delete_keys, frame_keys, store_keys
from dedupe.normalise.batch import Item, normalise_many
from dedupe.normalise.record import NormalisedFields
from leadbase.db import driver_rows
from leadbase.models import Import, NormalisedRecord, RawRecord, Source

# Raise when normalisation changes what it writes: older rows are normalised again on
# the next `leadbase dedupe` (keeping their company). 2: crawled people are flagged as
# personal data; person keys settle to one reading.
NORMALISER_VERSION = 2
BATCH = 2000
Progress = Callable[[int], None]

RECORD_COLUMNS = [
    c.key for c in NormalisedRecord.__table__.columns if c.key != "normalised_at"
]


def pending_raw_ids(session: Session) -> list[int]:
    """Raw records without a current normalised form."""
    return [raw_id for raw_id, _ in _pending(session)]


def _pending(session: Session) -> list[tuple[int, int | None]]:
    current = select(NormalisedRecord.raw_record_id).where(
        NormalisedRecord.normaliser_version >= NORMALISER_VERSION
    )
    query = (
        select(RawRecord.id, RawRecord.import_id)
        .where(RawRecord.id.not_in(current))
        .order_by(RawRecord.id)
    )
    return [(raw_id, import_id) for raw_id, import_id in session.execute(query)]


def normalise_pending(session: Session, progress: Progress | None = None) -> int:
    """Normalise every pending raw record into `records`; returns how many.

    Records go through `normalise_many` (every core), one pass per region, since
    an import's region is where its numbers and addresses are read.
    """
    pending = _pending(session)
    options = {i.id: (i.options or {}) for i in session.scalars(select(Import))}
    by_region: dict[str, list[int]] = {}
    for raw_id, import_id in pending:
        region = options.get(import_id or -1, {}).get("region") or "RU"
        by_region.setdefault(region, []).append(raw_id)
    for region, ids in by_region.items():
        _normalise_ids(session, ids, options, region, progress)
    return len(pending)


def _normalise_ids(
    session: Session,
    ids: list[int],
    options: dict[int, dict[str, Any]],
    region: str,
    progress: Progress | None,
) -> None:
    read: deque[int] = deque()  # ids of the payloads handed out, in order

    def items() -> Iterator[Item]:
        for start in range(0, len(ids), BATCH):
            query = select(RawRecord.id, RawRecord.import_id, RawRecord.payload)
            chunk = session.execute(
                query.where(RawRecord.id.in_(ids[start : start + BATCH]))
            ).all()
            for raw_id, import_id, payload in chunk:
                read.append(raw_id)
                mapping = options.get(import_id or -1, {}).get("mapping") or None
                yield payload, mapping

    values: list[dict[str, Any]] = []
    # Results come back in input order, so each belongs to the oldest id read.
    for fields in normalise_many(items(), region):
        values.append(_normalised(read.popleft(), fields))
        if len(values) == BATCH:
            _store(session, values, progress)
            values = []
    _store(session, values, progress)


def _store(
    session: Session, values: list[dict[str, Any]], progress: Progress | None
) -> None:
    if not values:
        return
    raw_ids = [v["raw_record_id"] for v in values]
    # A record normalised again (a newer normaliser) stays in its company.
    company_of: dict[int, int | None] = {
        raw_id: company
        for raw_id, company in session.execute(
            select(NormalisedRecord.raw_record_id, NormalisedRecord.company_id).where(
                NormalisedRecord.raw_record_id.in_(raw_ids),
                NormalisedRecord.company_id.is_not(None),
            )
        )
    }
    for value in values:
        value["company_id"] = company_of.get(value["raw_record_id"])
    delete_keys(session, raw_ids)
    session.execute(
        delete(NormalisedRecord).where(NormalisedRecord.raw_record_id.in_(raw_ids))
    )
    session.execute(insert(NormalisedRecord), values)
    if company_of:  # their blocking keys went with the old rows
        kept = [v for v in values if v["company_id"] is not None]
        frame = build_frame(RecordRow.of(v["raw_record_id"], _Row(v)) for v in kept)
        store_keys(session, frame_keys(frame))
    if progress:
        progress(len(values))


class _Row:
    """Attribute access to a `records` row held as a dict."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def _normalised(raw_id: int, fields: NormalisedFields) -> dict[str, Any]:
    return {
        "raw_record_id": raw_id,
        "name": fields.name,
        "name_key": fields.name_key,
        "legal_form": fields.legal_form,
        "inn": fields.inn,
        "ogrn": fields.ogrn,
        "kpp": fields.kpp,
        "website": fields.website,
        "domain": fields.domain,
        "phones": list(fields.phones),
        "emails": list(fields.emails),
        "postcode": fields.postcode,
        "country": fields.country,
        "region": fields.region,
        "city": fields.city,
        "address": fields.address,
        "address_key": fields.address_key,
        "industry": fields.industry,
        "okved": fields.okved,
        "persons": list(fields.persons),
        "is_personal_data": fields.is_personal_data,
        "flags": list(fields.flags),
        "normaliser_version": NORMALISER_VERSION,
    }


# What the engine and golden records read; people's names and flags stay in the base.
LOAD_COLUMNS = [
    *(c for c in RECORD_COLUMNS if c not in ("persons", "flags", "normaliser_version")),
    "trust",  # the record's source's
]
JSON_LISTS = ("phones", "emails")


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
            for name, column in zip(names, zip(*batch, strict=True), strict=True):
                if name in shared:  # one object per distinct value, from the start
                    first = shared[name]
                    column = tuple(first.setdefault(v, v) for v in column)
                elif name in JSON_LISTS:
                    column = tuple(map(text_list, column))
                columns[name].extend(column)
    if "is_personal_data" in columns:  # SQLite gives booleans as 0 and 1
        columns["is_personal_data"] = [
            None if v is None else bool(v) for v in columns["is_personal_data"]
        ]
    return columns


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

    def load_golden(self, session: Session, ids: list[int] | None = None) -> None:
        """Release the frame, read every column golden records need (`ids` as
        the base was loaded with)."""
        self._frame = None
        columns = load_columns(session, ids)
        if columns["raw_record_id"] != self.ids:
            raise RuntimeError("records changed between the two reads of the base")
        self.columns = columns
        self.ids = columns["raw_record_id"]
        self.company_ids = columns["company_id"]

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
