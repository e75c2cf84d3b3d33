"""Many new companies at once: the fast path for clusters no company holds yet.

A first run, a `--full` run after a reset or a large import makes hundreds of
thousands of companies from records without one. `dedupe.merges.merge_records` writes
a company with several statements (and reads its state back for the merge event);
here each table gets one bulk statement per chunk of clusters, ids reserved up front.
The rows and merge events are the ones `merge_records` would write, so
`dedupe.merges.undo_merge` undoes them unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC
from enum import Enum
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import JSON
from sqlalchemy import Enum as EnumType
from sqlalchemy.orm import Session

from dedupe.frame import phone_base
from dedupe.golden import GOLDEN_FIELDS, Golden, Member, golden_record
from leadbase.audit import Actor, to_json
from leadbase.db import bulk_insert_ignoring_conflicts, bulk_update_column, reserve_ids
from leadbase.enums import CompanyStatus, MergeKind, PhoneKind
from leadbase.models import (
    Company,
    Email,
    MergeEvent,
    NormalisedRecord,
    Phone,
    UTCDateTime,
    utcnow,
)

CHUNK = 20_000  # clusters per round of statements: bounds memory, keeps batches big
COMPANY_VALUES = tuple(GOLDEN_FIELDS)  # company columns a golden record fills


def write_new_companies(
    session: Session,
    clusters: Sequence[Sequence[Member]],
    *,
    run_id: int | None,
    actor: Actor,
    progress: Callable[[int, int], None] | None = None,
) -> list[int]:
    """One new company per cluster (records without a company); returns their ids."""
    ids: list[int] = []
    for start in range(0, len(clusters), CHUNK):
        chunk = clusters[start : start + CHUNK]
        ids.extend(_write_chunk(session, chunk, run_id, actor))
        if progress is not None:
            progress(start + len(chunk), len(clusters))
    return ids


def _write_chunk(
    session: Session,
    clusters: Sequence[Sequence[Member]],
    run_id: int | None,
    actor: Actor,
) -> list[int]:
    now = utcnow()
    goldens = [golden_record(members) for members in clusters]
    company_ids = reserve_ids(session, Company, len(goldens))
    companies = [
        _company_row(company_id, golden, now)
        for company_id, golden in zip(company_ids, goldens, strict=True)
    ]
    phones = [
        row
        for company_id, golden in zip(company_ids, goldens, strict=True)
        for row in _phone_rows(company_id, golden, now)
    ]
    emails = [
        row
        for company_id, golden in zip(company_ids, goldens, strict=True)
        for row in _email_rows(company_id, golden, now)
    ]
    for row, new_id in zip(
        phones, reserve_ids(session, Phone, len(phones)), strict=True
    ):
        row["id"] = new_id
    for row, new_id in zip(
        emails, reserve_ids(session, Email, len(emails)), strict=True
    ):
        row["id"] = new_id
    _insert(session, Company, companies)
    _insert(session, Phone, phones)
    _insert(session, Email, emails)
    bulk_update_column(
        session,
        NormalisedRecord,
        "raw_record_id",
        "company_id",
        [
            (member.record_id, company_id)
            for company_id, members in zip(company_ids, clusters, strict=True)
            for member in members
        ],
    )
    events = _merge_events(clusters, companies, phones, emails, run_id, actor, now)
    _insert(session, MergeEvent, events)
    return company_ids


def _company_row(company_id: int, golden: Golden, now: Any) -> dict[str, Any]:
    row: dict[str, Any] = {c.key: None for c in Company.__table__.columns}
    row.update({name: golden.values.get(name) for name in COMPANY_VALUES})
    row.update(
        id=company_id,
        status=CompanyStatus.NEW,
        is_personal_data=golden.is_personal_data,
        provenance=golden.provenance,
        first_seen_at=now,
        created_at=now,
        version=1,
    )
    return row


def _phone_rows(company_id: int, golden: Golden, now: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": None,
            "company_id": company_id,
            "contact_id": None,
            "raw": e164,
            "e164": phone_base(e164),
            "extension": e164.partition(";ext=")[2] or None,
            "kind": PhoneKind.UNKNOWN,
            "label": None,
            "is_valid": True,
            "provenance": {"records": records},
            "created_at": now,
        }
        for e164, records in golden.phones.items()
    ]


def _email_rows(company_id: int, golden: Golden, now: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": None,
            "company_id": company_id,
            "contact_id": None,
            "address": address,
            "is_valid": True,
            "is_freemail": False,
            "is_role": False,
            "provenance": {"records": records},
            "created_at": now,
        }
        for address, records in golden.emails.items()
    ]


def _merge_events(
    clusters: Sequence[Sequence[Member]],
    companies: list[dict[str, Any]],
    phones: list[dict[str, Any]],
    emails: list[dict[str, Any]],
    run_id: int | None,
    actor: Actor,
    now: Any,
) -> list[dict[str, Any]]:
    """What merge_records records for a cluster of several records: before, nothing
    existed and no record had a company; after, the company, its records and rows."""
    phones_of: dict[int, list[dict[str, Any]]] = {}
    for row in phones:
        phones_of.setdefault(row["company_id"], []).append(row)
    emails_of: dict[int, list[dict[str, Any]]] = {}
    for row in emails:
        emails_of.setdefault(row["company_id"], []).append(row)
    events = []
    for members, company in zip(clusters, companies, strict=True):
        if len(members) < 2:
            continue
        company_id = company["id"]
        records = sorted(m.record_id for m in members)
        before = {
            "companies": {str(company_id): None},
            "records": {str(r): None for r in records},
            "phones": [],
            "emails": [],
        }
        after = {
            "companies": {str(company_id): _json(company)},
            "records": {str(r): company_id for r in records},
            "phones": [_json(p) for p in phones_of.get(company_id, [])],
            "emails": [_json(e) for e in emails_of.get(company_id, [])],
            "target": company_id,
        }
        events.append(
            {
                "kind": MergeKind.MERGE,
                "company_id": company_id,
                "run_id": run_id,
                "user_id": actor.user_id,
                "before": before,
                "after": after,
                "undoes_id": None,
                "undone_at": None,
                "created_at": now,
            }
        )
    return events


# The only values of this module's rows that are not JSON already.
_NOT_JSON = ("status", "kind", "first_seen_at", "created_at")


def _json(row: dict[str, Any]) -> dict[str, Any]:
    """The row as `dedupe.merges.capture` snapshots it (enums and times as text)."""
    copy = dict(row)
    for key in _NOT_JSON:
        if key in copy:
            copy[key] = to_json(copy[key])
    return copy


def _insert(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """Rows as the bulk loader wants them: JSON as text, enums by value, naive UTC."""
    if not rows:
        return
    columns = list(rows[0])
    table = model.__table__
    convert = [_converter(model, name) for name in columns]
    pick = itemgetter(*columns)
    values = [
        tuple(
            value if value is None or change is None else change(value)
            for change, value in zip(convert, pick(row), strict=True)
        )
        for row in rows
    ]
    inserted = bulk_insert_ignoring_conflicts(session, model, columns, values)
    if inserted != len(rows):  # ids were reserved: a clash means a concurrent writer
        raise RuntimeError(
            f"{table.name}: {len(rows) - inserted} of {len(rows)} rows not inserted"
        )


def _converter(model: type[Any], name: str) -> Callable[[Any], Any] | None:
    """How a column's Python value becomes what the bulk loader takes, or None."""
    kind = model.__table__.c[name].type
    if isinstance(kind, JSON):
        return lambda value: orjson.dumps(value).decode()
    if isinstance(kind, EnumType):
        return lambda value: value.value if isinstance(value, Enum) else value
    if isinstance(kind, UTCDateTime):
        return lambda value: value.astimezone(UTC).replace(tzinfo=None)
    return None
