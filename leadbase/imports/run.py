"""`leadbase import`: a file becomes raw records in one transaction, or nothing does.

Row problems (a stray delimiter, an unreadable JSON line, an empty key) send that row
to quarantine with file, row, column and reason; file problems raise ImportFileError
and the caller's transaction rolls back, leaving the base exactly as before.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbase.audit import Actor, record
from leadbase.db import write_pages_once
from leadbase.enums import ImportStatus, SourceKind
from leadbase.imports.readers import Progress
from leadbase.imports.table import UNREADABLE, ReadOptions, Table, open_table
from leadbase.models import Import, QuarantinedRow, Source, utcnow
from leadbase.raw import RawRow, ensure_source, store_raw_records

PREVIEW_ROWS = 5
# How several values share one cell, per field: phones also split on "/", URLs not.
MULTI_VALUE = {
    "phone": re.compile(r"[,;/\n]|\S\s{2,}\S|\sили\s"),
    "email": re.compile(r"@.*[,;\s]\S*@"),
    "website": re.compile(r"\S[,;\s]+\S"),
}


@dataclass(frozen=True)
class ImportOptions:
    """What `leadbase import` was asked to do."""

    source: str
    kind: SourceKind = SourceKind.BOUGHT
    read: ReadOptions = field(default_factory=ReadOptions)
    region: str | None = None
    trust: int = 50
    vendor: str | None = None
    terms: str | None = None


@dataclass
class Problem:
    row: int
    column: str | None
    reason: str
    raw_text: str | None = None  # the row as read, so quarantine loses nothing


@dataclass
class ImportSummary:
    """Everything the CLI prints after an import or a dry run."""

    path: Path
    sha256: str
    table: Table | None = None
    already: Import | None = None  # set when this file was imported before
    import_id: int | None = None
    rows_read: int = 0
    imported: int = 0
    duplicates: int = 0
    known: int = 0
    short_rows: int = 0
    multi_value_cells: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    preview: list[dict[str, str]] = field(default_factory=list)

    @property
    def quarantined(self) -> int:
        return len(self.problems)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def find_import(session: Session, sha256: str) -> Import | None:
    return session.scalars(select(Import).where(Import.sha256 == sha256)).first()


def import_file(
    session: Session,
    path: Path,
    options: ImportOptions,
    *,
    actor: Actor,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import `path` into source `options.source` (created if new), or preview it.

    The caller owns the transaction: commit after success, roll back on any error.

    Raises:
        ImportFileError: the file as a whole cannot be read; nothing was written.
        ValidationError: the source exists with another kind.
    """
    summary = ImportSummary(path, file_sha256(path))
    summary.already = find_import(session, summary.sha256)
    if summary.already is not None and not dry_run:
        return summary
    table = open_table(path, options.read, progress)
    summary.table = table
    if dry_run:
        for _ in _payloads(table, options.read.key_column, summary):
            pass
        return summary
    write_pages_once(session)
    source = ensure_source(
        session,
        options.source,
        options.kind,
        actor=actor,
        trust=options.trust,
        region=options.region,
        vendor=options.vendor,
        terms=options.terms,
    )
    batch = _start(session, source, path, summary, table, options, actor)
    stored = store_raw_records(
        session,
        source,
        _payloads(table, options.read.key_column, summary),
        import_id=batch.id,
    )
    summary.imported, summary.duplicates = stored.stored, stored.duplicates
    summary.known = stored.already_known
    _finish(session, batch, summary, actor)
    return summary


def _start(
    session: Session,
    source: Source,
    path: Path,
    summary: ImportSummary,
    table: Table,
    options: ImportOptions,
    actor: Actor,
) -> Import:
    batch = Import(
        source_id=source.id,
        file_name=path.name,
        sha256=summary.sha256,
        file_format=table.file_format,
        options={
            **table.describe(),
            "key_column": options.read.key_column,
            "region": options.region,
        },
        created_by_id=actor.user_id,
    )
    session.add(batch)
    session.flush()
    summary.import_id = batch.id
    return batch


def _finish(
    session: Session, batch: Import, summary: ImportSummary, actor: Actor
) -> None:
    session.add_all(
        QuarantinedRow(
            import_id=batch.id,
            row_number=p.row,
            column=p.column,
            reason=p.reason,
            raw_text=p.raw_text,
        )
        for p in summary.problems
    )
    batch.status = ImportStatus.DONE
    batch.finished_at = utcnow()
    batch.rows_read = summary.rows_read
    batch.rows_imported = summary.imported
    batch.rows_quarantined = summary.quarantined
    batch.rows_duplicate = summary.duplicates
    batch.rows_known = summary.known
    record(
        session,
        actor,
        "import",
        batch,
        after={
            "file": batch.file_name,
            "sha256": batch.sha256,
            "source_id": batch.source_id,
            "rows_imported": summary.imported,
            "rows_quarantined": summary.quarantined,
        },
    )


def _payloads(
    table: Table, key_column: str | None, summary: ImportSummary
) -> Iterator[RawRow]:
    """Data rows as raw rows; problem rows are recorded and skipped.

    This loop runs once per row of files with millions of rows: keep it lean.
    """
    columns = table.columns
    width = len(columns)
    watched = [
        (columns.index(c), c, p.search)
        for f, p in MULTI_VALUE.items()
        for c in table.mapping.get(f, [])
    ]
    multi = summary.multi_value_cells
    preview = summary.preview
    for number, cells in table.rows:
        if not "".join(cells).strip():
            continue
        summary.rows_read += 1
        if len(cells) != width or cells[0].startswith(UNREADABLE):
            problem = _row_problem(number, cells, columns)
            if problem is not None:
                summary.problems.append(problem)
                continue
            if len(cells) < width:
                summary.short_rows += 1
                cells = cells + [""] * (width - len(cells))
        # Cells past the header width are all blank here (else it was quarantined).
        payload = dict(zip(columns, cells, strict=False))
        key = payload[key_column].strip() if key_column else None
        if key_column and not key:
            summary.problems.append(
                Problem(
                    number,
                    key_column,
                    "the key column is empty",
                    json.dumps(payload, ensure_ascii=False),
                )
            )
            continue
        for index, column, search in watched:
            cell = cells[index]
            if cell and search(cell):  # most watched cells are empty
                multi[column] += 1
        if len(preview) < PREVIEW_ROWS:
            preview.append(payload)
        yield RawRow(payload, key, number)


def _row_problem(
    number: int, cells: list[str], columns: tuple[str, ...]
) -> Problem | None:
    if cells and cells[0].startswith(UNREADABLE):
        return Problem(number, None, cells[0][1:], cells[1] if len(cells) > 1 else None)
    extra = [c for c in cells[len(columns) :] if c.strip()]
    if extra:
        return Problem(
            number,
            f"column {len(columns) + 1}",
            f"{len(cells)} cells but the header has {len(columns)}: a delimiter "
            f"inside an unquoted value? Extra: {extra[0][:60]!r}",
            json.dumps(cells, ensure_ascii=False),
        )
    return None


def describe_import(batch: Import) -> dict[str, Any]:
    """The import's stored reading options (columns, mapping) for exports."""
    return dict(batch.options)
