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
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

import numpy as np
import orjson
from sqlalchemy.orm import Session

from dedupe.golden import GOLDEN_FIELDS, Member, choose, lone_values
from dedupe.merges import received_times
from dedupe.normalise.batch import gc_paused
from dedupe.record_rows import RECORD_ROW_COLUMNS
from dedupe.record_spool import Ready, RecordSpool
from leadbase.audit import Actor
from leadbase.background import BackgroundWrites
from leadbase.db import (
    SqliteRows,
    bulk_insert_ignoring_conflicts,
    bulk_update_column,
    indexes_rebuilt_after,
    insert_sqlite_rows,
    reserve_ids,
    sqlite_rows,
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

TABLES = (
    (Company, COMPANY_COLUMNS),
    (Phone, PHONE_COLUMNS),
    (Email, EMAIL_COLUMNS),
    (MergeEvent, EVENT_COLUMNS),
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
    spool: RecordSpool | None = None,
) -> list[int]:
    """One new company per cluster (records without a company); returns their ids.

    The clusters' records are in `records` with no company, or, on a first run,
    not stored yet: in `spool`, from where they are written with their companies.
    """
    tables = (Company, Phone, Email, MergeEvent)
    # Companies get ids in order, all of them status "new"; their other indexes
    # (INN, domain, phone, email address…) are rebuilt after the load.
    in_order = ("company_id", "contact_id", "status")
    # Millions of short-lived rows: the cyclic collector would rescan the loaded
    # base each time they pile up, and none of them form cycles.
    with (
        gc_paused(),
        indexes_rebuilt_after(session, tables, len(clusters), in_order),
        ExitStack() as stack,
    ):
        record_ids = [m.record_id for c in clusters for m in c]
        job = _Job(
            clusters=clusters,
            seen=received_times(session, record_ids),
            company_ids=reserve_ids(session, Company, len(clusters)),
            # As many as the records have: enough, since a cluster has each phone
            # once; ids left over stay unused (PostgreSQL: a gap in a sequence).
            phone_ids=reserve_ids(session, Phone, _held(clusters, "phones")),
            email_ids=reserve_ids(session, Email, _held(clusters, "emails")),
            run_id=run_id,
            user_id=actor.user_id,
            for_sqlite=session.get_bind().dialect.name == "sqlite",
        )
        records, companies = _memberships(clusters, record_ids, job.company_ids)
        spooled = None
        if spool is not None:
            if len(spool) != len(records):
                raise RuntimeError(
                    f"{len(spool)} records spooled, {len(records)} in the clusters"
                )
            # One version in every row, ids ascending: that index only grows
            # at its end; the others are built once, after the last row.
            stack.enter_context(
                indexes_rebuilt_after(
                    session, [NormalisedRecord], len(records), ("normaliser_version",)
                )
            )
            spooled = spool.with_companies(records, companies)
        _write_chunks(session, job, progress, spooled)
        if spool is None:
            # Once, in key order: a chunk's records lie all over the table, and
            # updating them chunk by chunk would rewrite most pages many times.
            # A first run gives every record its company: the company-id index
            # is built once afterwards instead of moving a million entries in it.
            members = list(zip(records.tolist(), companies.tolist(), strict=True))
            with indexes_rebuilt_after(
                session, [NormalisedRecord], len(members), only=("company_id",)
            ):
                bulk_update_column(
                    session, NormalisedRecord, "raw_record_id", "company_id", members
                )
    return job.company_ids


def _memberships(
    clusters: Sequence[Sequence[Member]], records: list[int], company_ids: list[int]
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Every record of the clusters (`records`, cluster by cluster) in record
    order, and its company: made here with numpy rather than a tuple per record
    in the builder, sent back and sorted."""
    sizes = np.fromiter(map(len, clusters), dtype=np.int64, count=len(clusters))
    record = np.asarray(records, dtype=np.int64)
    company = np.repeat(np.asarray(company_ids, dtype=np.int64), sizes)
    order = np.argsort(record, kind="stable")
    return record[order], company[order]


def _held(clusters: Sequence[Sequence[Member]], column: str) -> int:
    return sum(len(m.values.get(column) or ()) for c in clusters for m in c)


@dataclass
class _Job:
    """What building the rows needs."""

    clusters: Sequence[Sequence[Member]]
    seen: dict[int, datetime]  # record id -> when it arrived
    company_ids: list[int]
    phone_ids: list[int]
    email_ids: list[int]
    run_id: int | None
    user_id: int | None
    # Rows made ready for SQLite's statements (leadbase.db.sqlite_rows) by the
    # builder, so that the process writing them does only that.
    for_sqlite: bool = False


TupleRows = list[tuple[Any, ...]]
Rows = TupleRows | SqliteRows
# A chunk's companies, phones, emails and merge events (in TABLES order).
Chunk = tuple[Rows, Rows, Rows, Rows]


class _Builder:
    """Builds a job's rows chunk by chunk, in order: phone and email ids are
    handed out as the rows are made."""

    def __init__(self, job: _Job) -> None:
        self.job = job
        self.phone_ids = iter(job.phone_ids)
        self.email_ids = iter(job.email_ids)
        self.templates: Templates = {}
        self.times: dict[datetime, tuple[datetime, str]] = {}  # -> (naive, JSON)

    def chunk(self, start: int, stop: int) -> Chunk:
        job = self.job
        rows = _Rows(self, utcnow())
        seen = job.seen
        for company_id, cluster in zip(
            job.company_ids[start:stop], job.clusters[start:stop], strict=True
        ):
            rows.add(company_id, cluster, min(seen[m.record_id] for m in cluster))
        events = [
            (_MERGE, company_id, job.run_id, job.user_id, before, after, rows.stamp)
            for company_id, before, after in rows.events
        ]
        chunk: tuple[TupleRows, ...] = (
            rows.companies,
            rows.phones,
            rows.emails,
            events,
        )
        if not job.for_sqlite:
            return chunk[0], chunk[1], chunk[2], chunk[3]
        ready: list[Rows] = [
            sqlite_rows(model.__table__, columns, table_rows) if table_rows else []
            for (model, columns), table_rows in zip(TABLES, chunk, strict=True)
        ]
        return ready[0], ready[1], ready[2], ready[3]


def _write_chunks(
    session: Session,
    job: _Job,
    progress: Callable[[int, int], None] | None,
    spooled: Iterator[tuple[Ready, int]] | None = None,
) -> None:
    """Each chunk written in a thread while this one builds the next: about as
    long goes into each (at a million records, ~15 s of building, ~13 s in the
    database's statements). The builder touches neither the session nor the
    database, so the two never use them at once. One chunk more is held than
    when writing in turn: at 1M, the stage's peak RSS did not rise (2,247 MB in
    turn, 2,228 threaded).

    A first run's `spooled` records (chunks ready to insert, each with its
    highest company) go with the companies' chunks, each in the first write
    after its companies', not all after the last one: at 1M the writer then
    has records to write whenever the builder is behind (companies stage
    69-79 s with the records written after the companies, 69-73 s with them
    interleaved; the machine's noise is as large, see bench/RESULTS.md)."""
    total, written = len(job.clusters), 0
    spooled = spooled or iter(())
    waiting = next(spooled, None)
    with BackgroundWrites() as writes:
        for stop, chunk in _chunks(job):
            highest = job.company_ids[stop - 1]  # ids ascend with the clusters
            records: list[Ready] = []
            while waiting is not None and waiting[1] <= highest:
                records.append(waiting[0])
                waiting = next(spooled, None)
            writes.submit(_insert_chunk, session, chunk, records)
            if progress is not None and written:
                progress(written, total)
            written = stop
        while waiting is not None:  # records of the last chunk's companies
            writes.submit(_insert_records, session, [waiting[0]])
            waiting = next(spooled, None)
        writes.wait()
    if progress is not None and written:
        progress(written, total)


def _insert_chunk(session: Session, chunk: Chunk, records: list[Ready]) -> None:
    for (model, columns), rows in zip(TABLES, chunk, strict=True):
        insert_rows(session, model, columns, rows)
    _insert_records(session, records)


def _insert_records(session: Session, records: list[Ready]) -> None:
    for rows in records:
        insert_rows(session, NormalisedRecord, RECORD_ROW_COLUMNS, rows)


def _chunks(job: _Job) -> Iterator[tuple[int, Chunk]]:
    """The job's chunks in order, each with where it ends, built in this process.

    A forked builder process, building the next chunk while this one wrote, lost at
    a million records on every count: pickling the rows both ways cost ~60 % of
    building them, and each reference count it touched copied a page of the
    inherited base (whole-tree PSS 5.9 against 4.0 GB; bench/RESULTS.md,
    "Full-run writes").
    """
    builder = _Builder(job)
    for start in range(0, len(job.clusters), CHUNK):
        stop = min(start + CHUNK, len(job.clusters))
        yield stop, builder.chunk(start, stop)


class _Rows:
    """The rows of a chunk of new companies, in database form, and their events."""

    def __init__(self, builder: _Builder, now: datetime) -> None:
        self.stamp = _naive(now)
        self.now_json = now.isoformat()
        self.phone_ids = builder.phone_ids
        self.email_ids = builder.email_ids
        self.templates = builder.templates
        self.times = builder.times
        self.companies: TupleRows = []
        self.phones: TupleRows = []
        self.emails: TupleRows = []
        self.events: list[tuple[int, str, str]] = []  # company id, before, after

    def add(
        self, company_id: int, members: Sequence[Member], first_seen: datetime
    ) -> None:
        if len(members) == 1:
            self._add_lone(company_id, members[0], first_seen)
            return
        choice = choose(members)
        ids = choice.record_ids
        texts = list(map(str, ids))
        first, first_json = self._time(first_seen)
        company = (
            company_id,
            *choice.values,
            _NEW,
            choice.is_personal_data,
            provenance_json(len(ids), choice.masks, texts, self.templates),
            first,
            self.stamp,
            1,
        )
        self.companies.append(company)
        every = '{"records":[' + ",".join(texts) + "]}"  # most rows: all records
        self._phones(company_id, choice.phones, ids, every)
        self._emails(company_id, choice.emails, ids, every)
        self.events.append(self._event(company, ids, first_json))

    def _add_lone(self, company_id: int, member: Member, first_seen: datetime) -> None:
        """A company of one record: `choose` and `add` without their generality
        (two thirds of a first run's companies)."""
        record = member.values
        values, masks = lone_values(record)
        text = str(member.record_id)
        self.companies.append(
            (
                company_id,
                *values,
                _NEW,
                bool(record.get("is_personal_data")),
                provenance_json(1, masks, [text], self.templates),
                self._time(first_seen)[0],
                self.stamp,
                1,
            )
        )
        every = '{"records":[' + text + "]}"
        if phones := record.get("phones"):
            self._phones(company_id, dict.fromkeys(phones), None, every)
        if emails := record.get("emails"):
            self._emails(company_id, dict.fromkeys(emails), None, every)

    def _time(self, moment: datetime) -> tuple[datetime, str]:
        """A time in database form and as JSON (an import's records share one)."""
        found = self.times.get(moment)
        if found is None:
            found = self.times[moment] = (_naive(moment), moment.isoformat())
        return found

    def _phones(
        self,
        company_id: int,
        phones: dict[str, Any],
        every_id: list[int] | None,
        every: str,
    ) -> None:
        """Rows of the phones (E.164 -> the records holding it, `every_id` itself
        when all the company's records do)."""
        stamp = self.stamp
        self.phones += [
            (
                next(self.phone_ids),
                company_id,
                e164,
                *_split_phone(e164),
                _UNKNOWN,
                True,
                every if records is every_id else _records_json(records),
                stamp,
            )
            for e164, records in phones.items()
        ]

    def _emails(
        self,
        company_id: int,
        emails: dict[str, Any],
        every_id: list[int] | None,
        every: str,
    ) -> None:
        stamp = self.stamp
        self.emails += [
            (
                next(self.email_ids),
                company_id,
                address,
                True,
                False,
                False,
                every if records is every_id else _records_json(records),
                stamp,
            )
            for address, records in emails.items()
        ]

    def _event(
        self, company: tuple[Any, ...], records: list[int], first_seen: str
    ) -> tuple[int, str, str]:
        """What merge_records records for a cluster of several records: before,
        nothing existed and no record had a company; after, the company and its
        records, as `dedupe.merges.outcome` keeps them."""
        company_id = company[0]
        key = str(company_id)
        before = {
            "companies": {key: None},
            "records": dict.fromkeys(map(str, records)),
            "phones": [],
            "emails": [],
        }
        after = {
            "companies": {key: _company_outcome(company, first_seen, self.now_json)},
            "records": dict.fromkeys(map(str, records), company_id),
            "target": company_id,
        }
        return company_id, orjson.dumps(before).decode(), orjson.dumps(after).decode()


def _company_outcome_picker() -> Callable[..., dict[str, Any]]:
    """A bulk company row (COMPANY_COLUMNS) as `dedupe.merges.outcome` keeps it:
    the table's columns in order but the NULL ones and the provenance, its times
    as JSON text."""
    keys = [c.key for c in Company.__table__.columns if c.key != "provenance"]
    # Values are picked from (*row, first_seen_at, created_at, None).
    position = {name: i for i, name in enumerate(COMPANY_COLUMNS)}
    times = len(COMPANY_COLUMNS)
    position.update(first_seen_at=times, created_at=times + 1)
    pick = itemgetter(*(position.get(key, times + 2) for key in keys))

    def outcome(row: tuple[Any, ...], first_seen: str, created: str) -> dict[str, Any]:
        values = pick((*row, first_seen, created, None))
        return {
            key: value
            for key, value in zip(keys, values, strict=True)
            if value is not None
        }

    return outcome


def _records_json(records: list[int]) -> str:
    return '{"records":[' + ",".join(map(str, records)) + "]}"


def _split_phone(e164: str) -> tuple[str, str | None]:
    """The number without its extension (dedupe.frame.phone_base), the extension."""
    if ";" not in e164:
        return e164, None
    return e164.split(";", 1)[0], e164.partition(";ext=")[2] or None


Templates = dict[Any, str]


def provenance_json(
    size: int, masks: tuple[int, ...], ids: list[str], templates: Templates
) -> str:
    """A new company's provenance as JSON text, what `orjson.dumps` makes of
    `golden_record`'s: `masks` as `golden.Choice` has them, over the cluster's
    `size` record ids (as text). Kept in `templates`: one template per size and
    masks, and the parts they are made of."""
    template = templates.get((size, masks))
    if template is None:
        template = templates[size, masks] = _template(size, masks, templates)
    return template.format(*ids)


def _template(size: int, masks: tuple[int, ...], parts: Templates) -> str:
    """'{"name":{"records":[{0},{1}]},…}' for str.format with the record ids."""
    entries = []
    for field, mask in zip(GOLDEN_FIELDS, masks, strict=True):
        if mask:
            entry = parts.get((field, mask))
            if entry is None:
                holders = ",".join(f"{{{i}}}" for i in range(size) if mask >> i & 1)
                entry = parts[field, mask] = f'"{field}":{{{{"records":[{holders}]}}}}'
            entries.append(entry)
    return "{{" + ",".join(entries) + "}}"


_company_outcome = _company_outcome_picker()


def _naive(moment: datetime) -> datetime:
    """A time in database form: naive UTC."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def insert_rows(
    session: Session, model: type[Any], columns: Sequence[str], rows: Rows
) -> None:
    """Insert every row: one left out clashed with a row already there (for rows
    with reserved ids, a concurrent writer's), and that is an error."""
    if isinstance(rows, SqliteRows):
        count = len(rows.flat) // len(rows.names)
        inserted = insert_sqlite_rows(session, model, rows)
    elif rows:
        count = len(rows)
        inserted = bulk_insert_ignoring_conflicts(session, model, columns, rows)
    else:
        return
    if inserted != count:
        raise RuntimeError(
            f"{model.__tablename__}: {count - inserted} of {count} rows not inserted"
        )
