"""A first run's `records` rows, held in a temporary file until their companies are
known, then written once with them.

A first run normalises every record and makes every company. Storing each record
when it is normalised and setting its company afterwards wrote the million-row
`records` table twice (an UPDATE of every row, its company index rebuilt, a second
half gigabyte through the write-ahead log) and read it back once more for the golden
values. Spooled, the rows are written once, by the companies stage's writer thread
between the companies' own chunks, and the golden values are read from the file.

Each chunk is kept ready to insert (`leadbase.db.sqlite_rows` on SQLite: the
normalise stage, where the workers' cores are busy anyway, pays for it, not the
companies stage, where this process is the bottleneck), as one flat list of values
with the company column left empty, and pickled. A chunk is read back whole, never
the whole file, so memory stays that of one chunk.
"""

from __future__ import annotations

import io
import pickle
import tempfile
from collections.abc import Iterator, Sequence
from itertools import chain
from typing import IO, Any

import numpy as np

from dedupe.record_rows import RECORD_ROW_COLUMNS
from leadbase.db import SqliteRows, sqlite_rows
from leadbase.errors import LeadbaseError
from leadbase.models import NormalisedRecord

Row = tuple[Any, ...]


class SpoolError(LeadbaseError):
    """The temporary directory cannot take the spooled records (full, read-only)."""


# The values of a chunk: its column names, its rows' values one after another.
Chunk = tuple[list[str], list[Any]]
# What `bulk_write` inserts: ready for SQLite, or rows (PostgreSQL's COPY).
Ready = SqliteRows | list[Row]
_KEPT = ("raw_record_id", "company_id")


class RecordSpool:
    """`records` rows (RECORD_ROW_COLUMNS, company None) in a temporary file,
    made by the first `add`, deleted when closed."""

    def __init__(self, for_sqlite: bool) -> None:
        self.for_sqlite = for_sqlite
        self._file: IO[bytes] = io.BytesIO()  # replaced by the first add
        self._chunks = 0
        self._rows = 0

    def add(self, rows: list[Row]) -> None:
        if not rows:
            return
        if self.for_sqlite:
            table = NormalisedRecord.__table__
            ready = sqlite_rows(table, RECORD_ROW_COLUMNS, rows, keep=_KEPT)
            chunk: Chunk = (ready.names, ready.flat)
        else:
            chunk = (list(RECORD_ROW_COLUMNS), list(chain.from_iterable(rows)))
        try:
            if not self._chunks:
                # Closed by close(), as the caller's with-block ends.
                self._file = tempfile.TemporaryFile(prefix="leadbase-records-")  # noqa: SIM115
            pickle.dump(chunk, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError as error:
            raise SpoolError(
                f"Cannot hold the first run's normalised records in "
                f"{tempfile.gettempdir()} ({error.strerror or error}; "
                f"{self._rows:,} records held so far). Nothing was stored. Point "
                "TMPDIR at a directory with room (about 0.5 GB per 1M records) "
                "and run `leadbase dedupe` again."
            ) from error
        self._chunks += 1
        self._rows += len(rows)

    def __len__(self) -> int:
        return self._rows

    def chunks(self) -> Iterator[Chunk]:
        """The chunks in the order they were added."""
        self._file.flush()
        self._file.seek(0)
        for _ in range(self._chunks):
            chunk: Chunk = pickle.load(self._file)
            yield chunk

    def columns(self, wanted: Sequence[str]) -> Iterator[list[Sequence[Any]]]:
        """Each chunk's values of the `wanted` columns, column by column, as
        stored (SQLite's form: booleans as 0 and 1, timestamps as text)."""
        for names, flat in self.chunks():
            width = len(names)
            count = len(flat) // width
            yield [
                flat[names.index(name) :: width] if name in names else [None] * count
                for name in wanted
            ]

    def with_companies(
        self, records: np.ndarray[Any, Any], companies: np.ndarray[Any, Any]
    ) -> Iterator[tuple[Ready, int]]:
        """Each chunk ready to insert with its records' companies, and the
        highest of them: `companies[i]` is the company of record `records[i]`
        (`records` ascending, holding every spooled record)."""
        for names, flat in self.chunks():
            width = len(names)
            ids = np.asarray(flat[names.index("raw_record_id") :: width], np.int64)
            at = np.searchsorted(records, ids)
            if not (records[np.minimum(at, len(records) - 1)] == ids).all():
                raise RuntimeError("a spooled record is in no cluster")
            held = companies[at]
            flat[names.index("company_id") :: width] = held.tolist()
            ready: Ready = (
                SqliteRows(names, flat)
                if self.for_sqlite
                else list(zip(*[iter(flat)] * width, strict=True))
            )
            yield ready, int(held.max())

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> RecordSpool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
