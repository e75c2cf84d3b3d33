"""A first run's `records` rows, held in a temporary file until their companies are
known, then written once with them.

A first run normalises every record and makes every company. Storing each record
when it is normalised and setting its company afterwards wrote the million-row
`records` table twice (an UPDATE of every row, its company index rebuilt, a second
half gigabyte through the write-ahead log) and read it back once more for the golden
values. Spooled, the rows are written once, in the companies stage's writer thread,
and the golden values are read from the file, not the base.

The file holds the rows as the normalise workers made them (`dedupe.record_rows`,
company None), pickled a chunk at a time: a chunk is read back whole, never the
whole file, so memory stays that of one chunk.
"""

from __future__ import annotations

import io
import pickle
import tempfile
from collections.abc import Iterator
from typing import IO, Any

import numpy as np

from dedupe.record_rows import COMPANY

Row = tuple[Any, ...]


class RecordSpool:
    """`records` rows in a temporary file (made by the first `add`, deleted when
    closed or collected)."""

    def __init__(self) -> None:
        self._file: IO[bytes] = io.BytesIO()  # replaced by the first add
        self._chunks = 0
        self.rows = 0

    def add(self, rows: list[Row]) -> None:
        if rows:
            if not self._chunks:
                # Closed by close(), as the caller's with-block ends.
                self._file = tempfile.TemporaryFile(prefix="leadbase-records-")  # noqa: SIM115
            pickle.dump(rows, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._chunks += 1
            self.rows += len(rows)

    def __len__(self) -> int:
        return self.rows

    def chunks(self) -> Iterator[list[Row]]:
        """The rows a chunk at a time, in the order they were added."""
        self._file.flush()
        self._file.seek(0)
        for _ in range(self._chunks):
            rows: list[Row] = pickle.load(self._file)
            yield rows

    def with_companies(
        self, records: np.ndarray[Any, Any], companies: np.ndarray[Any, Any]
    ) -> Iterator[list[Row]]:
        """The rows a chunk at a time, each with its company: `companies[i]` is
        the company of record `records[i]` (`records` ascending, holding every
        spooled record)."""
        for rows in self.chunks():
            ids = np.fromiter((row[0] for row in rows), np.int64, len(rows))
            at = np.searchsorted(records, ids)
            found = records[np.minimum(at, len(records) - 1)] == ids
            if not found.all():
                raise RuntimeError("a spooled record is in no cluster")
            yield [
                (*row[:COMPANY], company, *row[COMPANY + 1 :])
                for row, company in zip(rows, companies[at].tolist(), strict=True)
            ]

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> RecordSpool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
