"""The sample as a stream of source rows, each with its true entity."""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterator
from dataclasses import dataclass

from leadbase.sample.chance import between
from leadbase.sample.companies import Company, CompanyFactory
from leadbase.sample.sources import (
    BOUGHT,
    CRM,
    DIRECTORY,
    REPEAT_PROBABILITY,
    bought_row,
    crm_row,
    directory_row,
    pick_sources,
)

SOURCES: dict[str, str] = {
    DIRECTORY: "directory.jsonl",
    BOUGHT: "bought.xlsx",
    CRM: "crm_export.csv",
}
# Row number of the first data row: JSONL line 1; XLSX below a title and a header
# row; CSV below its header line.
FIRST_ROW = {DIRECTORY: 1, BOUGHT: 3, CRM: 2}
_REPEAT_DELAY = 400  # a repeated entity reappears within this many companies


@dataclass(frozen=True, slots=True)
class SampleRow:
    """One row of one source file, with the truth about it.

    Attributes:
        source: "directory", "bought" or "crm".
        row_number: where a person finds the row: XLSX and CSV spreadsheet row
            (title and header rows counted), JSONL line number.
        payload: the cells exactly as written, header -> text ("" when empty). The
            XLSX writer stores digit-only texts as numbers, as Excel lists do;
            their text is str(number).
        entity_id: the true real-world entity (one per branch).
        organisation_id: the legal organisation (one INN); shared by branches.
    """

    source: str
    row_number: int
    payload: dict[str, str]
    entity_id: str
    organisation_id: str


class _RowMaker:
    """Numbers the rows of each source and renders their payloads."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._next_row = dict(FIRST_ROW)
        self._card = 10_000

    def make(self, source: str, c: Company, repeat: bool) -> SampleRow:
        rng = self._rng
        if source == DIRECTORY:
            # Card ids of a real directory have gaps: deleted and hidden cards.
            self._card += between(rng, 1, 5)
            payload = directory_row(rng, c, self._card)
        elif source == BOUGHT:
            payload = bought_row(rng, c)
        else:
            payload = crm_row(rng, c, repeat)
        row_number = self._next_row[source]
        self._next_row[source] = row_number + 1
        return SampleRow(source, row_number, payload, c.entity_id, c.organisation_id)


def iter_sample_rows(companies: int, seed: int = 42) -> Iterator[SampleRow]:
    """Yield the rows of all sample sources, generated on the fly.

    The same (companies, seed) always gives the same rows. Memory stays flat:
    nothing is kept but counters and a few rows waiting to be repeated.

    Args:
        companies: number of true entities (head offices and branches).
        seed: seed of the random generator.

    Returns:
        An iterator of SampleRow, sources interleaved, each source in row order.

    Examples:
        >>> rows = list(iter_sample_rows(10))
        >>> {row.source for row in rows} <= set(SOURCES)
        True
    """
    rng = random.Random(seed)
    maker = _RowMaker(rng)
    # Repeats within one source come back later: (due index, order, source, company).
    waiting: list[tuple[int, int, str, Company]] = []
    order = 0
    for index, company in enumerate(CompanyFactory(rng).iter_companies(companies)):
        while waiting and waiting[0][0] <= index:
            _, _, source, repeated = heapq.heappop(waiting)
            yield maker.make(source, repeated, repeat=True)
        for source in pick_sources(rng, company):
            yield maker.make(source, company, repeat=False)
            if rng.random() < REPEAT_PROBABILITY[source]:
                due = index + between(rng, 1, _REPEAT_DELAY)
                heapq.heappush(waiting, (due, order, source, company))
                order += 1
    while waiting:
        _, _, source, repeated = heapq.heappop(waiting)
        yield maker.make(source, repeated, repeat=True)
