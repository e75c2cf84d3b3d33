"""Store the generated sample as raw records of three sources (the demo's loader
until `leadbase import` and the spiders exist to read the files themselves)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from leadbase.audit import Actor
from leadbase.enums import SourceKind
from leadbase.models import Source
from leadbase.raw import (
    BATCH_SIZE,
    RawRow,
    StoreResult,
    ensure_source,
    store_raw_records,
)
from leadbase.sample import SOURCES, SampleRow, iter_sample_rows

# Sample source -> (kind, trust): a CRM's own export is trusted more than a bought list.
SOURCE_KINDS: dict[str, tuple[SourceKind, int]] = {
    "directory": (SourceKind.CRAWL, 40),
    "bought": (SourceKind.BOUGHT, 30),
    "crm": (SourceKind.CRM_EXPORT, 60),
}


def _raw_row(row: SampleRow) -> RawRow:
    # Crawled items are keyed by their page URL; file rows by their content.
    url = row.payload.get("source_url") or None
    return RawRow(
        payload=dict(row.payload), source_key=url, row_number=row.row_number, url=url
    )


def load_sample(
    session: Session, companies: int, seed: int, *, actor: Actor
) -> dict[str, StoreResult]:
    """Regenerate the sample (deterministic) and store it in one streaming pass;
    re-running adds nothing."""
    sources: dict[str, Source] = {}
    for name in SOURCES:
        kind, trust = SOURCE_KINDS[name]
        sources[name] = ensure_source(
            session,
            f"sample-{name}",
            kind,
            actor=actor,
            trust=trust,
            vendor="leadbase sample generator" if kind == SourceKind.BOUGHT else None,
            terms="synthetic data, no real persons",
        )
    totals = {name: StoreResult() for name in SOURCES}
    pending: dict[str, list[RawRow]] = {name: [] for name in SOURCES}

    def flush(name: str) -> None:
        result = store_raw_records(session, sources[name], pending[name])
        totals[name].received += result.received
        totals[name].stored += result.stored
        pending[name].clear()

    for row in iter_sample_rows(companies, seed):
        pending[row.source].append(_raw_row(row))
        if len(pending[row.source]) >= BATCH_SIZE:
            flush(row.source)
    for name in SOURCES:
        flush(name)
    return {sources[name].name: totals[name] for name in SOURCES}
