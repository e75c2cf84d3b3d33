"""An incremental run's working set: its batch, the records sharing a key with it, and
the companies those records belong to, found through `blocking_keys` and the indexed
`records` columns instead of reading the whole base.

`blocking_keys` holds, per record, the values blocking and term frequencies need that
are not plain indexed columns: each phone and phone line, each email and corporate
email domain, each name word and each name word with its place, hashed to 64 bits.
The same rows give the whole base's counts of a value (a switchboard phone listed by
400 firms weighs little), so a frame holding part of the base scores as the whole
base would.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from enum import IntEnum
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from dedupe.blocking import name_words, place_codes
from dedupe.frame import IntArray, RecordFrame
from leadbase.db import (
    bulk_insert_integers,
    driver_rows,
)
from leadbase.models import BlockingKey, NormalisedRecord

CHUNK = 5000  # values per IN list
# A name word held by more records than this in one place is not followed: loading
# its every holder would read much of a city for one record (on the 1M sample the
# rarest word of a name is held by ~500 records of its city on average). A full run
# pairs such a block by name order only (blocking.NAME_BLOCK); its members already
# loaded through other keys still form the block here, so what can differ from a
# whole-base run is a pair adjacent in that block's name order and in no other key.
WORD_PLACE_LIMIT = 50
# Fixed so a value hashes the same in every process and release (pandas' default).
HASH_KEY = "leadbase-keys-01"


class Kind(IntEnum):
    PHONE = 1
    PHONE_LINE = 2
    EMAIL = 3
    EMAIL_DOMAIN = 4
    WORD = 5
    WORD_PLACE = 6
    # One row per record and multi-valued field it has a value of (key = the
    # field's kind): counting them gives a term frequency's denominator with one
    # index range count, where counting distinct record ids sorted millions.
    HOLDS = 7


MULTI_KINDS = {
    "phones": Kind.PHONE,
    "phone_lines": Kind.PHONE_LINE,
    "emails": Kind.EMAIL,
    "email_domains": Kind.EMAIL_DOMAIN,
}
# Single-valued fields whose frequencies come from indexed `records` columns.
COLUMN_FIELDS = {
    "name_key": NormalisedRecord.name_key,
    "domain": NormalisedRecord.domain,
}


def hashed(values: Sequence[str] | np.ndarray) -> IntArray:
    """Stable signed 64-bit hashes of strings (what the `key` column holds)."""
    array = np.asarray(values, dtype=object)
    if not len(array):
        return np.empty(0, dtype=np.int64)
    hashes = pd.util.hash_array(array, hash_key=HASH_KEY, categorize=False)
    return np.asarray(hashes, dtype=np.uint64).view(np.int64)


def frame_keys(frame: RecordFrame, rows: IntArray | None = None) -> pd.DataFrame:
    """(kind, key, record_id) of every blocking key of the given rows (all if None),
    each once, in (kind, key, record_id) order: appending to a B-tree is several
    times cheaper than inserting all over it."""
    chosen = np.arange(len(frame)) if rows is None else rows
    parts: list[tuple[Kind, IntArray, IntArray]] = []  # (kind, keys, record ids)
    for field, kind in MULTI_KINDS.items():
        matrix = frame.multi[field][chosen]
        at, slot = np.nonzero(matrix >= 0)
        codes = matrix[at, slot]
        values = frame.vocab[field].values
        unique, inverse = np.unique(codes, return_inverse=True)
        parts.append((kind, hashed(values[unique])[inverse], frame.ids[chosen[at]]))
        holders = frame.ids[chosen[np.flatnonzero(matrix[:, 0] >= 0)]]
        parts.append((Kind.HOLDS, np.full(len(holders), int(kind)), holders))
    word, word_place, holder = _word_keys(frame, chosen)
    parts.append((Kind.WORD, word, holder))
    parts.append((Kind.WORD_PLACE, word_place, holder))
    columns = _in_key_order(parts)
    # Deduplicated in numpy: pandas' drop_duplicates and sort_values over
    # millions of rows cost several times more.
    new = np.ones(len(columns[0]), dtype=bool)
    for column in columns:
        new[1:] &= column[1:] == column[:-1]
    new[1:] = ~new[1:]  # a row differing from the one before in some column
    names = ("kind", "key", "record_id")
    return pd.DataFrame({n: c[new] for n, c in zip(names, columns, strict=True)})


def _in_key_order(
    parts: list[tuple[Kind, IntArray, IntArray]],
) -> list[IntArray]:
    """The parts' rows as (kind, key, record id) columns sorted on all three.

    Parts are put in kind order (a kind's parts have different keys: the holders
    of each field); within a kind, one stable sort on the key is enough when each
    part lists its record ids in order, as the frame's rows are. That sort is
    three times cheaper than a sort on all three columns, the fallback.
    """
    parts = sorted(parts, key=lambda part: int(part[0]))  # stable: HOLDS keys ascend
    kind = np.concatenate(
        [np.full(len(keys), int(k), dtype=np.int16) for k, keys, _ in parts]
    )
    key = np.concatenate([np.asarray(keys, dtype=np.int64) for _, keys, _ in parts])
    ids = np.concatenate([np.asarray(i, dtype=np.int64) for _, _, i in parts])
    ordered = all(bool(np.all(i[1:] >= i[:-1])) for _, _, i in parts)
    order = np.empty(len(kind), dtype=np.int64)
    bounds = np.flatnonzero(np.diff(kind, prepend=-1, append=-1))
    for start, stop in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        if ordered:
            within = np.argsort(key[start:stop], kind="stable")
        else:
            within = np.lexsort((ids[start:stop], key[start:stop]))
        order[start:stop] = within + start
    return [kind[order], key[order], ids[order]]


def _word_keys(
    frame: RecordFrame, rows: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """Hashed name words and words-in-place of some rows, with their record ids:
    what `_words` gives, each distinct word and (word, place) hashed once."""
    tokens = name_words(frame)
    at = tokens.index.to_numpy(np.int64)
    kept = np.isin(at, rows)
    at = at[kept]
    word_code, words = pd.factorize(tokens.to_numpy(dtype=object)[kept])
    word_code = word_code.astype(np.int64)
    # A row's place as a code: its city (>= 0), else its region (<= -2), else -1.
    regions = len(frame.vocab["region"].values)
    width = len(frame.vocab["city"].values) + regions + 1
    place = place_codes(frame)[at].astype(np.int64) + regions + 1
    pairs, inverse = np.unique(word_code * width + place, return_inverse=True)
    named = np.asarray(
        [
            words[w] + "\x1f" + _place_name(frame, p - regions - 1)
            for w, p in zip(
                (pairs // width).tolist(), (pairs % width).tolist(), strict=True
            )
        ],
        dtype=object,
    )
    word_hash = hashed(np.asarray(words, dtype=object))[word_code]
    return word_hash, hashed(named)[inverse.ravel()], frame.ids[at]


def _place_name(frame: RecordFrame, code: int) -> str:
    """`place_names` of one place code (`blocking.place_codes`)."""
    if code >= 0:
        return str(frame.vocab["city"].values[code])
    if code <= -2:
        return "region:" + str(frame.vocab["region"].values[-2 - code])
    return ""


def _words(frame: RecordFrame, rows: IntArray) -> pd.DataFrame:
    """Name words of some rows, with the place their name blocks are keyed on."""
    tokens = name_words(frame)
    tokens = tokens[np.isin(tokens.index.to_numpy(), rows)]
    at = tokens.index.to_numpy(np.int64)
    places = place_names(frame)[at]
    word = tokens.to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "id": frame.ids[at],
            "word": word,
            "word_place": word + "\x1f" + places,
        }
    )


def place_names(frame: RecordFrame) -> np.ndarray:
    """Each row's place as text: the city, else "region:<region>", else ""."""
    city = frame.codes["city"]
    region = frame.codes["region"]
    cities = frame.vocab["city"].values
    regions = frame.vocab["region"].values
    named = np.full(len(frame), "", dtype=object)
    has_region = region >= 0
    named[has_region] = "region:" + regions[region[has_region]].astype(object)
    has_city = city >= 0
    named[has_city] = cities[city[has_city]]
    return named


def store_keys(session: Session, keys: pd.DataFrame) -> None:
    columns = ("kind", "key", "record_id")
    arrays = [keys[c].to_numpy() for c in columns]
    bulk_insert_integers(session, BlockingKey, columns, arrays)


def replace_all_keys(session: Session, frame: RecordFrame) -> None:
    """The whole base's keys, rebuilt (a full run holds every record).

    The table is dropped and made again and rows go in in key order: deleting
    millions of rows one by one and inserting them all took minutes at a million
    records.
    """
    table: Table = BlockingKey.__table__  # type: ignore[assignment]
    connection = session.connection()
    table.drop(connection)
    table.create(connection)
    store_keys(session, frame_keys(frame))


def neighbour_ids(
    session: Session, batch: RecordFrame, word_counts: dict[str, int], window: int
) -> set[int]:
    """Records of the base that share a blocking key with the batch.

    Exact keys (INN, OGRN, domain, phone lines, emails) bring whole blocks, so
    oversized ones are capped exactly as a full run caps them; the name-and-place
    key brings every record holding the batch record's rarest word in its place;
    the name-order pass brings `window` neighbours each side of each batch name.
    """
    found: set[int] = set()
    for column in ("inn", "ogrn", "domain"):
        values = [v for v in batch.vocab[column].values.tolist() if v]
        found.update(_ids_where(session, getattr(NormalisedRecord, column), values))
    for field, kind in (("phone_lines", Kind.PHONE_LINE), ("emails", Kind.EMAIL)):
        found.update(
            _key_holders(session, kind, hashed(batch.vocab[field].values).tolist())
        )
    places = _rarest_word_places(batch, word_counts)
    counts = _counts(session, Kind.WORD_PLACE, np.asarray(places, dtype=np.int64))
    followed = [
        k for k, n in zip(places, counts.tolist(), strict=True) if n <= WORD_PLACE_LIMIT
    ]
    found.update(_key_holders(session, Kind.WORD_PLACE, followed))
    found.update(_name_order_neighbours(session, batch, window))
    return found


def _rarest_word_places(batch: RecordFrame, word_counts: dict[str, int]) -> list[int]:
    words = _words(batch, np.arange(len(batch)))
    if words.empty:
        return []
    words["count"] = words["word"].map(word_counts).fillna(0)
    rarest = words.sort_values(["id", "count", "word"]).drop_duplicates("id")
    keys: list[int] = hashed(rarest["word_place"].to_numpy()).tolist()
    return keys


def _ids_where(session: Session, column: object, values: list[str]) -> Iterator[int]:
    for chunk in _chunks(values):
        yield from session.scalars(
            select(NormalisedRecord.raw_record_id).where(column.in_(chunk))  # type: ignore[attr-defined]
        )


def _key_holders(session: Session, kind: Kind, keys: list[int]) -> Iterator[int]:
    for chunk in _chunks(keys):
        statement = (
            "SELECT record_id FROM blocking_keys "
            f"WHERE kind = {int(kind)} AND key IN ({_listed(chunk)})"
        )
        yield from (row[0] for row in driver_rows(session, statement))


def _listed(values: Iterable[object]) -> str:
    """Integers as an SQL list (inlined: they are integers, checked here)."""
    return ",".join(str(int(v)) for v in values)  # type: ignore[call-overload]


def _name_order_neighbours(
    session: Session, batch: RecordFrame, window: int
) -> set[int]:
    """`window` records each side of each batch record in (name key, id) order:
    what the sorted-neighbourhood pass can pair it with.

    Index seeks written as plain SQL on the driver's cursor: tens of thousands of
    them, and building each as an SQLAlchemy statement cost ten times the
    database's own work. Per batch record, the nearest ids under the same name each
    side; per batch name, the nearest records of the names before and after it.
    """
    connection = session.connection()
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    table, name, record = "records", "name_key", "raw_record_id"
    same_after = (
        f"SELECT {record} FROM {table} WHERE {name} = {mark} AND {record} > {mark} "
        f"ORDER BY {record} LIMIT {int(window)}"
    )
    same_before = (
        f"SELECT {record} FROM {table} WHERE {name} = {mark} AND {record} < {mark} "
        f"ORDER BY {record} DESC LIMIT {int(window)}"
    )
    next_names = (
        f"SELECT {record} FROM {table} WHERE {name} > {mark} "
        f"ORDER BY {name}, {record} LIMIT {int(window)}"
    )
    previous_names = (
        f"SELECT {record} FROM {table} WHERE {name} < {mark} "
        f"ORDER BY {name} DESC, {record} DESC LIMIT {int(window)}"
    )

    def ids(sql: str, *params: object) -> list[int]:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]

    edges: dict[str, tuple[list[int], list[int]]] = {}
    near: set[int] = set()
    for value, record_id in zip(
        batch.name_key.tolist(), batch.ids.tolist(), strict=True
    ):
        if value is None:
            continue
        if value not in edges:
            edges[value] = (ids(previous_names, value), ids(next_names, value))
        before = ids(same_before, value, record_id)
        after = ids(same_after, value, record_id)
        previous, following = edges[value]
        near.update((before + previous)[:window])
        near.update((after + following)[:window])
    cursor.close()
    return near


def company_members(session: Session, company_ids: Iterable[int | None]) -> set[int]:
    """Every record of these companies (found through the company-id index)."""
    return _column_where(session, "raw_record_id", "company_id", company_ids)


def _column_where(
    session: Session, wanted: str, column: str, values: Iterable[int | None]
) -> set[Any]:
    """`wanted` of the records whose `column` is one of the integer `values`,
    read from the driver (the integers inlined: a hundred thousand rows through
    SQLAlchemy's results cost more than finding them)."""
    found: set[Any] = set()
    for chunk in _chunks(sorted(v for v in values if v is not None)):
        statement = f"SELECT {wanted} FROM records WHERE {column} IN ({_listed(chunk)})"
        found.update(row[0] for row in driver_rows(session, statement))
    return found


def word_counts(session: Session, words: Iterable[str]) -> dict[str, int]:
    """How many records of the base hold each name word."""
    unique = sorted(set(words))
    return dict(zip(unique, _counts(session, Kind.WORD, hashed(unique)), strict=True))


def apply_global_frequencies(
    session: Session, frame: RecordFrame, rows: IntArray | None = None
) -> None:
    """Give a partial frame the whole base's term frequencies (see module doc).

    With `rows`, only the values those rows hold are counted; the others get NaN.
    An incremental run compares only pairs with a batch record, so a frequency
    weighs a pair only through a value both records, the batch one too, hold.
    """
    for field, kind in MULTI_KINDS.items():
        held = _held(frame.multi[field], rows)
        holders = session.scalar(
            select(func.count()).where(
                BlockingKey.kind == int(Kind.HOLDS), BlockingKey.key == int(kind)
            )
        )
        values = frame.vocab[field].values[held]
        counts = _counts(session, kind, hashed(values))
        frame.use_global_frequency(
            field, _spread(counts, held, len(frame.vocab[field].values)), holders or 0
        )
    for field, column in COLUMN_FIELDS.items():
        held = _held(frame.codes[field], rows)
        values = frame.vocab[field].values[held].tolist()
        counted: dict[str | None, int] = {}
        for chunk in _chunks(values):
            counted.update(
                (value, count)
                for value, count in session.execute(
                    select(column, func.count())
                    .where(column.in_(chunk))
                    .group_by(column)
                )
            )
        holders = session.scalar(select(func.count(column)))
        counts = np.array([counted.get(v, 0) for v in values], dtype=np.int64)
        frame.use_global_frequency(
            field, _spread(counts, held, len(frame.vocab[field].values)), holders or 0
        )
    frame.word_counts = word_counts(session, name_words(frame).tolist())


def _held(codes: IntArray, rows: IntArray | None) -> IntArray:
    """The codes (ascending) of the values `rows` hold; every code when None."""
    chosen = codes if rows is None else codes[rows]
    return np.unique(chosen[chosen >= 0])


def _spread(counts: IntArray, held: IntArray, size: int) -> np.ndarray:
    """Counts of the held codes in a vocabulary-long array, NaN elsewhere."""
    spread = np.full(size, np.nan)
    spread[held] = counts
    return spread


def _counts(session: Session, kind: Kind, keys: IntArray) -> IntArray:
    """Records holding each key, in the keys' order."""
    found: dict[int, int] = {}
    for chunk in _chunks(sorted(set(keys.tolist()))):
        statement = (
            "SELECT key, count(*) FROM blocking_keys "
            f"WHERE kind = {int(kind)} AND key IN ({_listed(chunk)}) GROUP BY key"
        )
        found.update(driver_rows(session, statement))
    return np.array([found.get(k, 0) for k in keys.tolist()], dtype=np.int64)


def _chunks(values: Sequence[object]) -> Iterator[list[object]]:
    items = list(values)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
