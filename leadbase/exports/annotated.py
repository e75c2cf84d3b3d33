"""`leadbase export annotated`: an imported file given back with what became of
every row — its company, what it duplicates, its status — in the file's own order.

Rows repeated word for word inside the file were stored once and appear once;
quarantined rows appear with the reason they were not imported. A crawled source has
no file: its columns are the item fields, and the named people of its `persons`
field (personal data, 152-FZ) are left out unless asked for.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leadbase.audit import Actor, record
from leadbase.exports.files import format_for, write_rows
from leadbase.models import (
    Company,
    Export,
    Import,
    NormalisedRecord,
    QuarantinedRow,
    RawRecord,
    Source,
)
from leadbase.sources import get_source

ADDED_COLUMNS = ("leadbase_company_id", "leadbase_duplicate_of", "leadbase_status")
# Item fields of crawled sources that name people.
PERSONAL_COLUMNS = ("persons",)
BATCH = 2000


def export_annotated(
    session: Session,
    source_name: str,
    out: Path,
    *,
    actor: Actor,
    include_personal: bool = False,
) -> int:
    """Write the source's rows with the added columns; audited. Returns rows written.

    Args:
        include_personal: keep a crawled source's `persons` column (named people).
    """
    format_for(out)
    source = get_source(session, source_name)
    imports = list(
        session.scalars(
            select(Import).where(Import.source_id == source.id).order_by(Import.id)
        )
    )
    columns = _columns(session, source, imports)
    personal_out = not imports and not include_personal
    if personal_out:
        columns = [c for c in columns if c not in PERSONAL_COLUMNS]
    rows = _rows(session, source, imports, columns, personal_out)
    written = write_rows(out, [*columns, *ADDED_COLUMNS], rows)
    export = Export(
        user_id=actor.user_id,
        actor=actor.name,
        file_format=out.suffix.lstrip("."),
        target=str(out),
        filters={"annotated_source": source.name, "include_personal": include_personal},
        rows=written,
    )
    session.add(export)
    session.flush()
    record(
        session,
        actor,
        "export.annotated",
        export,
        after={"source": source.name, "rows": written},
    )
    return written


def _columns(session: Session, source: Source, imports: list[Import]) -> list[str]:
    columns: dict[str, None] = {}
    for batch in imports:
        columns.update(dict.fromkeys(batch.options.get("columns", [])))
    if not columns:  # crawled or API sources: the payload keys are the columns
        for payload in session.scalars(
            select(RawRecord.payload).where(RawRecord.source_id == source.id).limit(100)
        ):
            columns.update(dict.fromkeys(payload))
    return list(columns)


def _without_people(payload: dict[str, Any]) -> dict[str, Any]:
    """A crawled item's payload without named people, also in its provenance."""
    provenance = payload.get("provenance")
    if not isinstance(provenance, dict) or not provenance.keys() & PERSONAL_COLUMNS:
        return payload
    kept = {k: v for k, v in provenance.items() if k not in PERSONAL_COLUMNS}
    return {**payload, "provenance": kept}


def _rows(
    session: Session,
    source: Source,
    imports: list[Import],
    columns: list[str],
    personal_out: bool = False,
) -> Iterator[list[object]]:
    quarantined = {
        (q.import_id, q.row_number): q
        for q in session.scalars(
            select(QuarantinedRow).where(
                QuarantinedRow.import_id.in_([i.id for i in imports])
            )
        )
    }
    last_id = 0
    while True:
        chunk = session.execute(
            select(
                RawRecord.id,
                RawRecord.import_id,
                RawRecord.row_number,
                RawRecord.payload,
                NormalisedRecord.company_id,
                Company.status,
            )
            .outerjoin(NormalisedRecord, NormalisedRecord.raw_record_id == RawRecord.id)
            .outerjoin(Company, Company.id == NormalisedRecord.company_id)
            .where(RawRecord.source_id == source.id, RawRecord.id > last_id)
            .order_by(RawRecord.id)
            .limit(BATCH)
        ).all()
        if not chunk:
            break
        firsts = _first_records(session, {r.company_id for r in chunk if r.company_id})
        for raw_id, import_id, number, payload, company_id, status in chunk:
            if personal_out:
                payload = _without_people(payload)
            yield from _quarantined_before(quarantined, import_id, number, columns)
            yield [
                *(payload.get(c, "") for c in columns),
                *_annotation(raw_id, company_id, status, firsts),
            ]
        last_id = chunk[-1].id
    for problem in quarantined.values():
        yield _quarantine_row(problem, columns)


def _quarantined_before(
    quarantined: dict[tuple[int, int], QuarantinedRow],
    import_id: int | None,
    number: int | None,
    columns: list[str],
) -> Iterator[list[object]]:
    # Quarantined rows come out where they stood in the file.
    for key in sorted(
        k for k in quarantined if k[0] == import_id and number and k[1] < number
    ):
        yield _quarantine_row(quarantined.pop(key), columns)


def _quarantine_row(problem: QuarantinedRow, columns: list[str]) -> list[object]:
    cells: Any = json.loads(problem.raw_text) if problem.raw_text else []
    values = (
        [cells.get(c, "") for c in columns]
        if isinstance(cells, dict)
        else (list(cells)[: len(columns)] + [""] * max(0, len(columns) - len(cells)))
    )
    return [*values, "", "", f"quarantined: {problem.reason}"]


def _first_records(
    session: Session, company_ids: set[int]
) -> dict[int, tuple[int, str, int | None]]:
    """For each company, its earliest raw record: (id, source name, row number)."""
    if not company_ids:
        return {}
    first = (
        select(
            NormalisedRecord.company_id,
            func.min(NormalisedRecord.raw_record_id).label("rid"),
        )
        .where(NormalisedRecord.company_id.in_(company_ids))
        .group_by(NormalisedRecord.company_id)
        .subquery()
    )
    rows = session.execute(
        select(first.c.company_id, RawRecord.id, Source.name, RawRecord.row_number)
        .join(RawRecord, RawRecord.id == first.c.rid)
        .join(Source, Source.id == RawRecord.source_id)
    )
    return {c: (rid, name, number) for c, rid, name, number in rows}


def _annotation(
    raw_id: int,
    company_id: int | None,
    status: Any,
    firsts: dict[int, tuple[int, str, int | None]],
) -> list[object]:
    if company_id is None:
        return ["", "", "not deduplicated yet (run leadbase dedupe)"]
    first_id, source_name, number = firsts[company_id]
    duplicate_of = (
        ""
        if first_id == raw_id
        else f"{source_name} row {number}"
        if number
        else f"{source_name} record {first_id}"
    )
    return [company_id, duplicate_of, status.value if status else ""]
