"""Clusters that grow one existing company: the incremental run's fast path.

A daily batch mostly adds a record or two to companies that already exist.
`dedupe.merges.merge_records` does that with about fifteen statements a company
(snapshot, golden record, update, phones, emails, memberships, snapshot again, event):
~10 ms each, 100 s for a 10,000-record batch. Here each of those steps is one
statement per chunk of companies. What is written (company values, phones, emails,
memberships, and the merge event's before and after) is what
`merge_records(session, members, [company])` writes, so `undo_merge` undoes it
unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC
from typing import Any, cast

import orjson
from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.orm import Session

from dedupe.bulk_write import EVENT_COLUMNS, insert_rows
from dedupe.golden import Member, golden_record
from dedupe.merges import (
    IN_CHUNK,
    State,
    capture_many,
    email_rows,
    outcome,
    person_added,
    phone_rows,
    received_times,
)
from leadbase.audit import Actor, to_json
from leadbase.db import bulk_update_column
from leadbase.enums import MergeKind, PhoneKind
from leadbase.models import (
    Company,
    Email,
    MergeEvent,
    NormalisedRecord,
    Phone,
    utcnow,
)

CHUNK = 2_000  # companies per round of statements
_MERGE = MergeKind.MERGE.value
Growth = tuple[int, Sequence[Member]]  # an existing company, all its records to be


def grow_companies(
    session: Session,
    jobs: Sequence[Growth],
    *,
    run_id: int | None,
    actor: Actor,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Give each company its cluster: its own records and records of no company.

    The companies are distinct, and no cluster holds another company's records
    (those clusters absorb a company: `merge_records` writes them).
    """
    for start in range(0, len(jobs), CHUNK):
        _grow(session, jobs[start : start + CHUNK], run_id, actor.user_id)
        if progress is not None:
            progress(min(start + CHUNK, len(jobs)), len(jobs))


def _grow(
    session: Session, jobs: Sequence[Growth], run_id: int | None, user_id: int | None
) -> None:
    session.flush()
    companies = [company for company, _ in jobs]
    records = [[m.record_id for m in members] for _, members in jobs]
    groups = [([c], r) for c, r in zip(companies, records, strict=True)]
    before = capture_many(session, groups)
    # The companies as they are, from their snapshots: golden fields are text,
    # the same in JSON, and provenance is JSON.
    goldens = [
        golden_record(members, state["companies"][str(c)])
        for (c, members), state in zip(jobs, before, strict=True)
    ]
    seen = received_times(session, [r for rs in records for r in rs])
    now = utcnow()
    changes = [
        {
            "company": company,
            **golden.values,
            "provenance": golden.provenance,
            "is_personal_data": golden.is_personal_data,
            "first_seen_at": min((seen[r] for r in rs if r in seen), default=now),
            "updated_at": now,
        }
        for company, golden, rs in zip(companies, goldens, records, strict=True)
    ]
    session.execute(_UPDATE, changes)
    for start in range(0, len(companies), IN_CHUNK):
        chunk = companies[start : start + IN_CHUNK]
        for model in (Phone, Email):
            session.execute(
                delete(model).where(model.company_id.in_(chunk), ~person_added(model))
            )
    bulk_update_column(
        session,
        NormalisedRecord,
        "raw_record_id",
        "company_id",
        sorted((r, c) for c, rs in zip(companies, records, strict=True) for r in rs),
    )
    kept_phones = _kept(session, Phone.e164, Phone.company_id, companies)
    kept_emails = _kept(session, Email.address, Email.company_id, companies)
    stamp = now.astimezone(UTC).replace(tzinfo=None)  # database form: naive UTC
    # merge_records's rows, straight to the driver as bulk_write's go (through
    # SQLAlchemy, with JSON parameters, they took ~0.35 s of a 10k batch at 1M);
    # ids are the database's, as there.
    phones: list[tuple[Any, ...]] = []
    emails: list[tuple[Any, ...]] = []
    for company, golden in zip(companies, goldens, strict=True):
        phones += [
            (
                *(row[c] for c in _PHONE_VALUES),
                _UNKNOWN,
                _json(row["provenance"]),
                stamp,
            )
            for row in phone_rows(company, golden, kept_phones[company], now)
        ]
        emails += [
            (
                *(row[c] for c in _EMAIL_VALUES),
                False,
                False,
                _json(row["provenance"]),
                stamp,
            )
            for row in email_rows(company, golden, kept_emails[company], now)
        ]
    insert_rows(session, Phone, _PHONE_COLUMNS, phones)
    insert_rows(session, Email, _EMAIL_COLUMNS, emails)
    after = _after(before, changes)
    events = []
    for company, members, was, now_is in zip(
        companies, (m for _, m in jobs), before, after, strict=True
    ):
        if len(members) < 2:  # merge_records records merges only
            continue
        now_is["target"] = company
        # As bulk_write writes events: JSON made by orjson, rows straight to the
        # driver (SQLAlchemy's parameter processing and json.dumps cost 0.5 s of
        # a 10k batch's growing at 1M).
        texts = orjson.dumps(was).decode(), orjson.dumps(now_is).decode()
        events.append((_MERGE, company, run_id, user_id, *texts, stamp))
    insert_rows(session, MergeEvent, EVENT_COLUMNS, events)


# Phone and email rows as `phone_rows` and `email_rows` give them, in database
# form: their values; the columns they leave to the model's defaults (kind
# unknown, not free mail, not a role address); provenance as JSON text; the
# time of the run.
_PHONE_VALUES = ("company_id", "raw", "e164", "extension", "is_valid")
_PHONE_COLUMNS = (*_PHONE_VALUES, "kind", "provenance", "created_at")
_EMAIL_VALUES = ("company_id", "address", "is_valid")
_EMAIL_COLUMNS = (*_EMAIL_VALUES, "is_freemail", "is_role", "provenance", "created_at")
_UNKNOWN = PhoneKind.UNKNOWN.value


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


# UPDATE companies SET (each column given), version + 1 WHERE id = :company.
# Parameters named after a column are the SET clause's own: hence ":company".
def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


_COMPANIES = _table(Company)
_UPDATE = (
    update(_COMPANIES)
    .where(_COMPANIES.c.id == bindparam("company"))
    .values(version=_COMPANIES.c.version + 1)
)


def _after(before: Sequence[State], changes: Sequence[dict[str, Any]]) -> list[State]:
    """The `outcome` a read after growing would give, known without reading
    (reading the company rows back was a third of a daily batch's growing):
    each company is its row before with the columns `_UPDATE` set, every record
    of the group is the company's."""
    states = []
    for was, change in zip(before, changes, strict=True):
        company = change["company"]
        key = str(company)
        row = dict(was["companies"][key])
        for column, value in change.items():
            if column != "company":
                row[column] = to_json(value)
                if value is None:  # as `capture` has it: NULL columns left out
                    del row[column]
        row["version"] += 1
        states.append(
            outcome(
                {
                    "companies": {key: row},
                    "records": dict.fromkeys(was["records"], company),
                }
            )
        )
    return states


def _kept(
    session: Session, value: Any, company: Any, companies: Sequence[int]
) -> dict[int, set[str]]:
    """What each company kept after its run-made rows were deleted: a person's."""
    kept: dict[int, set[str]] = defaultdict(set)
    for start in range(0, len(companies), IN_CHUNK):
        chunk = companies[start : start + IN_CHUNK]
        for company_id, text in session.execute(
            select(company, value).where(company.in_(chunk))
        ):
            kept[company_id].add(text)
    return kept
