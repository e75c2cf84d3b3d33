"""Many new companies at once: the fast path for clusters no company holds yet.

A first run, a `--full` run after a reset or a large import makes hundreds of
thousands of companies from records without one. `dedupe.merges.merge_records` writes
a company with several statements (and reads its state back for the merge event);
here each table gets one bulk statement per chunk of clusters, ids reserved up front.
The rows and merge events are the ones `merge_records` would write, so
`dedupe.merges.undo_merge` undoes them unchanged.

Rows go to the database as plain tuples, JSON already text: a first run at a million
records writes about three million rows, and every object or conversion per row
shows (bench/bench_write.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy.orm import Session

from dedupe.golden import GOLDEN_FIELDS, Choice, Member, choose
from dedupe.merges import received_times
from dedupe.normalise.batch import gc_paused
from leadbase.audit import Actor
from leadbase.db import (
    bulk_insert_ignoring_conflicts,
    bulk_update_column,
    indexes_rebuilt_after,
    reserve_ids,
)
from leadbase.enums import CompanyStatus, MergeKind, PhoneKind
from leadbase.models import Company, Email, MergeEvent, NormalisedRecord, Phone, utcnow

CHUNK = 20_000  # clusters per round of statements: bounds memory, keeps batches big
COMPANY_VALUES = tuple(GOLDEN_FIELDS)  # company columns a golden record fills
# The columns each table gets; the others are NULL, as merge_records leaves them.
COMPANY_COLUMNS = (
    "id",
    *COMPANY_VALUES,
    "status",
    "is_personal_data",
    "provenance",
    "first_seen_at",
    "created_at",
    "version",
)
PHONE_COLUMNS = (
    "id",
    "company_id",
    "raw",
    "e164",
    "extension",
    "kind",
    "is_valid",
    "provenance",
    "created_at",
)
EMAIL_COLUMNS = (
    "id",
    "company_id",
    "address",
    "is_valid",
    "is_freemail",
    "is_role",
    "provenance",
    "created_at",
)
EVENT_COLUMNS = (
    "kind",
    "company_id",
    "run_id",
    "user_id",
    "before",
    "after",
    "created_at",
)

_NEW = CompanyStatus.NEW.value
_UNKNOWN = PhoneKind.UNKNOWN.value
_MERGE = MergeKind.MERGE.value


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
    # Millions of short-lived rows: the cyclic collector would rescan the loaded
    # base each time they pile up, and none of them form cycles.
    tables = (Company, Phone, Email, MergeEvent)
    with gc_paused(), indexes_rebuilt_after(session, tables, len(clusters)):
        seen = received_times(session, [m.record_id for c in clusters for m in c])
        for start in range(0, len(clusters), CHUNK):
            chunk = clusters[start : start + CHUNK]
            ids.extend(_write_chunk(session, chunk, seen, run_id, actor))
            if progress is not None:
                progress(start + len(chunk), len(clusters))
    return ids


def _write_chunk(
    session: Session,
    clusters: Sequence[Sequence[Member]],
    seen: dict[int, datetime],
    run_id: int | None,
    actor: Actor,
) -> list[int]:
    choices = [choose(members) for members in clusters]
    company_ids = reserve_ids(session, Company, len(choices))
    rows = _Rows(
        utcnow(),
        iter(reserve_ids(session, Phone, sum(len(c.phones) for c in choices))),
        iter(reserve_ids(session, Email, sum(len(c.emails) for c in choices))),
    )
    for company_id, choice in zip(company_ids, choices, strict=True):
        rows.add(company_id, choice, min(map(seen.__getitem__, choice.record_ids)))
    _insert(session, Company, COMPANY_COLUMNS, rows.companies)
    _insert(session, Phone, PHONE_COLUMNS, rows.phones)
    _insert(session, Email, EMAIL_COLUMNS, rows.emails)
    rows.members.sort()  # records in key order: the update walks the table once
    bulk_update_column(
        session, NormalisedRecord, "raw_record_id", "company_id", rows.members
    )
    events = [
        (_MERGE, company_id, run_id, actor.user_id, before, after, rows.stamp)
        for company_id, before, after in rows.events
    ]
    _insert(session, MergeEvent, EVENT_COLUMNS, events)
    return company_ids


class _Rows:
    """The rows of a chunk of new companies, in database form, and their events."""

    def __init__(
        self, now: datetime, phone_ids: Iterator[int], email_ids: Iterator[int]
    ) -> None:
        self.stamp = _naive(now)
        self.now_json = now.isoformat()
        self.phone_ids = phone_ids
        self.email_ids = email_ids
        self.companies: list[tuple[Any, ...]] = []
        self.phones: list[tuple[Any, ...]] = []
        self.emails: list[tuple[Any, ...]] = []
        self.members: list[tuple[int, int]] = []
        self.events: list[tuple[int, str, str]] = []  # company id, before, after
        self.templates: Templates = {}
        self.times: dict[datetime, tuple[datetime, str]] = {}  # -> (naive, JSON)

    def add(self, company_id: int, choice: Choice, first_seen: datetime) -> None:
        stamp = self.stamp
        ids = choice.record_ids
        first = self.times.get(first_seen)  # an import's records share one time
        if first is None:
            first = self.times[first_seen] = (
                _naive(first_seen),
                first_seen.isoformat(),
            )
        company = (
            company_id,
            *choice.values,
            _NEW,
            choice.is_personal_data,
            provenance_json(choice, self.templates),
            first[0],
            stamp,
            1,
        )
        self.companies.append(company)
        every = _records_json(ids)  # most phones and emails are in every record
        phones = [
            (
                next(self.phone_ids),
                company_id,
                e164,
                e164.split(";", 1)[0],  # dedupe.frame.phone_base
                e164.partition(";ext=")[2] or None,
                _UNKNOWN,
                True,
                every if records is ids else _records_json(records),
                stamp,
            )
            for e164, records in choice.phones.items()
        ]
        self.phones += phones
        emails = [
            (
                next(self.email_ids),
                company_id,
                address,
                True,
                False,
                False,
                every if records is ids else _records_json(records),
                stamp,
            )
            for address, records in choice.emails.items()
        ]
        self.emails += emails
        self.members += [(record_id, company_id) for record_id in ids]
        if len(ids) > 1:
            self.events.append(self._event(company, ids, phones, emails, first[1]))

    def _event(
        self,
        company: tuple[Any, ...],
        records: list[int],
        phones: list[tuple[Any, ...]],
        emails: list[tuple[Any, ...]],
        first_seen: str,
    ) -> tuple[int, str, str]:
        """What merge_records records for a cluster of several records: before,
        nothing existed and no record had a company; after, the company, its records
        and rows, each as `dedupe.merges.capture` snapshots it."""
        company_id = company[0]
        key = str(company_id)
        before = {
            "companies": {key: None},
            "records": dict.fromkeys(map(str, records)),
            "phones": [],
            "emails": [],
        }
        now = self.now_json
        after = {
            "companies": {key: _COMPANY_SNAPSHOT.of(company, first_seen, now)},
            "records": dict.fromkeys(map(str, records), company_id),
            "phones": [_PHONE_SNAPSHOT.of(row, now) for row in phones],
            "emails": [_EMAIL_SNAPSHOT.of(row, now) for row in emails],
            "target": company_id,
        }
        return company_id, orjson.dumps(before).decode(), orjson.dumps(after).decode()


class _Snapshot:
    """A bulk row as `dedupe.merges.capture` snapshots it: every column of the
    table in order, the row's times as JSON text, its provenance as JSON."""

    def __init__(
        self, model: type[Any], columns: Sequence[str], times: Sequence[str]
    ) -> None:
        self.keys = [c.key for c in model.__table__.columns]
        # Values are picked from (*row, provenance, *times, None).
        position = {name: i for i, name in enumerate(columns)}
        position["provenance"] = len(columns)
        after = len(columns) + 1
        position.update({name: after + i for i, name in enumerate(times)})
        null = after + len(times)
        self.pick = itemgetter(*(position.get(key, null) for key in self.keys))
        self.provenance = columns.index("provenance")

    def of(self, row: tuple[Any, ...], *times: str) -> dict[str, Any]:
        fragment = orjson.Fragment(row[self.provenance])
        values = self.pick((*row, fragment, *times, None))
        return dict(zip(self.keys, values, strict=True))


def _records_json(records: list[int]) -> str:
    return '{"records":[' + ",".join(map(str, records)) + "]}"


Templates = dict[tuple[int, tuple[int, ...]], str]


def provenance_json(choice: Choice, templates: Templates | None = None) -> str:
    """The company's provenance as JSON text, what `orjson.dumps` makes of
    `golden_record`'s: a template per cluster size and masks (kept in
    `templates`), the record ids filled in."""
    key = (len(choice.record_ids), choice.masks)
    template = None if templates is None else templates.get(key)
    if template is None:
        template = _template(*key)
        if templates is not None:
            templates[key] = template
    return template.format(*choice.record_ids)


def _template(size: int, masks: tuple[int, ...]) -> str:
    """Provenance JSON, as `orjson.dumps(golden.provenance)` writes it, of clusters
    of `size` records with these masks: str.format fills in the record ids."""
    entries = []
    for field, mask in zip(GOLDEN_FIELDS, masks, strict=True):
        if mask:
            holders = ",".join(f"{{{i}}}" for i in range(size) if mask >> i & 1)
            entries.append(f'"{field}":{{{{"records":[{holders}]}}}}')
    return "{{" + ",".join(entries) + "}}"


_COMPANY_SNAPSHOT = _Snapshot(Company, COMPANY_COLUMNS, ("first_seen_at", "created_at"))
_PHONE_SNAPSHOT = _Snapshot(Phone, PHONE_COLUMNS, ("created_at",))
_EMAIL_SNAPSHOT = _Snapshot(Email, EMAIL_COLUMNS, ("created_at",))


def _naive(moment: datetime) -> datetime:
    """A time in database form: naive UTC."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def _insert(
    session: Session,
    model: type[Any],
    columns: Sequence[str],
    rows: list[tuple[Any, ...]],
) -> None:
    """Insert rows; ids were reserved, so a row left out means a concurrent writer."""
    if not rows:
        return
    inserted = bulk_insert_ignoring_conflicts(session, model, columns, rows)
    if inserted != len(rows):
        raise RuntimeError(
            f"{model.__tablename__}: {len(rows) - inserted} of {len(rows)} rows "
            "not inserted"
        )
