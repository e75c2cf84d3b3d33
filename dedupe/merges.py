"""Companies from clusters, every change an event that can be undone exactly.

A `MergeEvent` holds the state of every company and record it touched before it:
company rows, which company each record belonged to, the companies' phones, emails
and branches elsewhere. Undo writes that "before" back, row for row and id for id.
Its "after" is the `outcome`: the companies' values and their records, enough to
tell what a person changed since. Only a company's latest event can be undone (an
older one would overwrite what came after it). Fields a person edited after the
merge are kept on the restored company and reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.types import Date, DateTime, TypeDecorator
from sqlalchemy.types import Enum as EnumType

from dedupe.frame import phone_base
from dedupe.golden import Golden, Member, edited_by_person, golden_record
from leadbase.audit import Actor, to_json
from leadbase.audit import record as audit
from leadbase.db import driver_rows
from leadbase.enums import MergeKind, PairStatus, ReviewLabel
from leadbase.errors import LeadbaseError
from leadbase.models import (
    Base,
    CandidatePair,
    Company,
    Email,
    MergeEvent,
    NormalisedRecord,
    Phone,
    RawRecord,
    ReviewDecision,
    utcnow,
)

State = dict[str, Any]
IN_CHUNK = 10_000  # values in one IN (...): SQLite takes up to 32,766 parameters


@dataclass
class UndoResult:
    event_id: int
    companies: list[int]
    kept_edits: dict[str, Any] = field(default_factory=dict)
    # Edits made since on a company the undo removed (one the merge created):
    # no row is left to keep them on; the unmerge's audit entry holds their values.
    lost_edits: dict[str, Any] = field(default_factory=dict)


# --- state snapshots ------------------------------------------------------------------


_PLAIN = frozenset({str, int, float, bool, type(None), dict, list})


def _row_json(row: Any, model: type[Base]) -> dict[str, Any]:
    """A row of `select(model.__table__)` as JSON-safe values, keyed by column.

    NULL columns are left out: `_from_json` reads a missing column as NULL, and a
    company has some twenty-five of them. A first run's events at a million
    records: 911 -> 552 MB (rows of ~2 KB had left a third of each page empty).
    """
    return {
        column.key: value if type(value) in _PLAIN else to_json(value)
        for column, value in zip(model.__table__.columns, row, strict=True)
        if value is not None
    }


def capture(
    session: Session, company_ids: Iterable[int], record_ids: Iterable[int]
) -> State:
    """The state of some companies and records, exact enough to write back."""
    return capture_many(session, [(company_ids, record_ids)])[0]


def capture_many(
    session: Session, groups: Sequence[tuple[Iterable[int], Iterable[int]]]
) -> list[State]:
    """`capture` of each group (companies, records), one read per table for all:
    an incremental run snapshots thousands of companies before and after it grows
    them. The groups' companies are disjoint."""
    wanted = [(sorted(set(companies)), set(records)) for companies, records in groups]
    every_company = sorted({c for companies, _ in wanted for c in companies})
    companies_table = Company.__table__
    rows = {
        row.id: row
        for row in _rows_in(
            session, select(companies_table), companies_table.c.id, every_company
        )
    }
    held: dict[int, list[int]] = defaultdict(list)
    for record_id, company in _rows_in(
        session,
        select(NormalisedRecord.raw_record_id, NormalisedRecord.company_id),
        NormalisedRecord.company_id,
        every_company,
    ):
        held[company].append(record_id)
    for companies, records in wanted:
        for company in companies:
            records.update(held[company])
    membership: dict[int, int | None] = dict(
        _rows_in(
            session,
            select(NormalisedRecord.raw_record_id, NormalisedRecord.company_id),
            NormalisedRecord.raw_record_id,
            sorted(set().union(*(records for _, records in wanted))),
        )
    )
    phones = rows_by_company(session, Phone, every_company)
    emails = rows_by_company(session, Email, every_company)
    # Branches of these companies elsewhere: a merge points them at the survivor,
    # so an undo must point them back (kept only when there are any).
    heads: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for branch, head in _rows_in(
        session,
        select(Company.id, Company.head_company_id),
        Company.head_company_id,
        every_company,
    ):
        heads[head].append((branch, head))
    states = []
    for companies, records in wanted:
        state: State = {
            "companies": {
                str(i): (_row_json(rows[i], Company) if i in rows else None)
                for i in companies
            },
            "records": {str(r): membership.get(r) for r in sorted(records)},
            "phones": [p for c in companies for p in phones.get(c, [])],
            "emails": [e for c in companies for e in emails.get(c, [])],
        }
        own = set(companies)
        branches = {
            str(branch): head
            for company in companies
            for branch, head in heads.get(company, [])
            if branch not in own
        }
        if branches:
            state["branches"] = dict(sorted(branches.items(), key=_by_int_key))
        for kind in ("phones", "emails"):
            state[kind].sort(key=by_id)
        states.append(state)
    return states


def outcome(state: State) -> State:
    """A captured state as a merge event's "after" keeps it: the companies' rows
    without their provenance, and which company each record is in.

    An undo writes the "before" back; of the "after" it reads which companies and
    records the merge touched and the values it left there, to keep what a person
    changed since (`_edits_since`). Phones, emails, branches and provenance would
    only be written: leaving them out made a first run's base at a million
    records 312 MB smaller (bench/RESULTS.md, "Session 9").
    """
    return {
        "companies": {
            key: None if row is None else _without_provenance(row)
            for key, row in state["companies"].items()
        },
        "records": state["records"],
    }


def _without_provenance(row: dict[str, Any]) -> dict[str, Any]:
    return {column: value for column, value in row.items() if column != "provenance"}


def _by_int_key(item: tuple[str, Any]) -> int:
    return int(item[0])


def by_id(row: dict[str, Any]) -> int:
    return int(row["id"])


def _rows_in(
    session: Session, statement: Any, column: Any, values: Sequence[Any]
) -> Iterator[Any]:
    """The statement's rows where `column` is one of `values`, read in chunks
    (a database takes only so many parameters)."""
    for start in range(0, len(values), IN_CHUNK):
        yield from session.execute(
            statement.where(column.in_(values[start : start + IN_CHUNK]))
        )


def rows_by_company(
    session: Session, model: type[Phone] | type[Email], companies: Sequence[int]
) -> dict[int, list[dict[str, Any]]]:
    """Each company's phone or email rows, as snapshots."""
    table = model.__table__
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows_in(session, select(table), table.c.company_id, companies):
        found[row.company_id].append(_row_json(row, model))
    return found


def _from_json(model: type[Base], data: dict[str, Any]) -> dict[str, Any]:
    """A snapshot's row in column form; a column it lacks is NULL (snapshots
    leave NULLs out; events written before that hold them)."""
    values = {}
    for column in model.__table__.columns:
        value = data.get(column.key)
        kind = column.type
        if value is not None:
            if isinstance(kind, TypeDecorator):
                kind = kind.impl_instance
            if isinstance(kind, DateTime):
                value = datetime.fromisoformat(value)
            elif isinstance(kind, Date):
                value = date.fromisoformat(value)
            elif isinstance(kind, EnumType) and kind.enum_class is not None:
                value = kind.enum_class(value)
        values[column.key] = value
    return values


def restore(session: Session, state: State) -> None:
    """Write a captured state back: company rows, memberships, phones and emails."""
    ids = [int(i) for i in state["companies"]]
    session.flush()
    session.execute(delete(Phone).where(Phone.company_id.in_(ids)))
    session.execute(delete(Email).where(Email.company_id.in_(ids)))
    existing = set(session.scalars(select(Company.id).where(Company.id.in_(ids))))
    for key, snapshot in state["companies"].items():
        company_id = int(key)
        if snapshot is None:
            continue
        values = _from_json(Company, snapshot)
        if company_id in existing:
            session.execute(
                update(Company).where(Company.id == company_id).values(**values)
            )
        else:
            session.execute(insert(Company).values(**values))
    records = {int(r): c for r, c in state["records"].items()}
    for company in {c for c in records.values()}:
        members = [r for r, c in records.items() if c == company]
        session.execute(
            update(NormalisedRecord)
            .where(NormalisedRecord.raw_record_id.in_(members))
            .values(company_id=company)
        )
    gone = [int(k) for k, v in state["companies"].items() if v is None]
    if gone:
        session.execute(delete(Company).where(Company.id.in_(gone)))
    if state["phones"]:
        session.execute(insert(Phone), [_from_json(Phone, p) for p in state["phones"]])
    if state["emails"]:
        session.execute(insert(Email), [_from_json(Email, e) for e in state["emails"]])
    for branch, head in state.get("branches", {}).items():
        session.execute(
            update(Company)
            .where(Company.id == int(branch))
            .values(head_company_id=head)
        )
    _relink_events(session, [int(k) for k, v in state["companies"].items() if v])
    session.expire_all()


def _relink_events(session: Session, restored: list[int]) -> None:
    """Deleting an absorbed company nulled its events' company id; a restored company
    gets them back, so its own merges can be undone in turn."""
    orphans = session.scalars(
        select(MergeEvent).where(
            MergeEvent.company_id.is_(None), MergeEvent.kind == MergeKind.MERGE
        )
    )
    wanted = set(restored)
    for event in orphans:
        target = (event.after or {}).get("target")
        if target in wanted:
            event.company_id = target
    session.flush()


# --- writing clusters -----------------------------------------------------------------


def received_times(session: Session, record_ids: Sequence[int]) -> dict[int, datetime]:
    """When each record's raw record arrived: a company is first seen at its
    earliest. Dense ids (a first run needs every record) in one read of their
    range, sparse ones (an incremental run's, spread over the base) by IN lists;
    the times are converted once per distinct value, since an import's rows
    share one.
    """
    if not record_ids:
        return {}
    wanted = set(record_ids)
    dialect = session.get_bind().dialect
    column = RawRecord.__table__.c.received_at
    convert: Any = column.type.dialect_impl(dialect).result_processor(dialect, None)
    select_ = f"SELECT id, {column.name} FROM {RawRecord.__tablename__} WHERE "
    low, high = int(min(wanted)), int(max(wanted))
    if high - low + 1 <= 4 * len(wanted):
        statements = [f"{select_}id BETWEEN {low} AND {high}"]
    else:
        ids = sorted(wanted)
        statements = [
            select_ + "id IN (" + ",".join(map(str, ids[at : at + IN_CHUNK])) + ")"
            for at in range(0, len(ids), IN_CHUNK)
        ]
    times: dict[Any, datetime] = {}
    found: dict[int, datetime] = {}
    for statement in statements:
        for record_id, stored in driver_rows(session, statement):
            if record_id in wanted:
                moment = times.get(stored)
                if moment is None:
                    moment = times[stored] = convert(stored) if convert else stored
                found[record_id] = moment
    return found


def first_seen(session: Session, record_ids: Sequence[int]) -> datetime:
    """The earliest arrival of the records (now, for a company of none)."""
    earliest = session.scalar(
        select(func.min(RawRecord.received_at)).where(
            RawRecord.id.in_(list(record_ids))
        )
    )
    return earliest or utcnow()


# --- writing clusters -----------------------------------------------------------------


def write_company(
    session: Session,
    golden: Golden,
    company_id: int | None,
    record_ids: Sequence[int],
) -> int:
    """Create or update one company from its golden record; attach its records."""
    now = utcnow()
    values = {
        **golden.values,
        "provenance": golden.provenance,
        "is_personal_data": golden.is_personal_data,
        "first_seen_at": first_seen(session, record_ids),
    }
    if company_id is None:
        company_id = session.execute(
            insert(Company).values(**values, created_at=now).returning(Company.id)
        ).scalar_one()
    else:
        session.execute(
            update(Company)
            .where(Company.id == company_id)
            .values(**values, updated_at=now, version=Company.version + 1)
        )
        session.execute(
            delete(Phone).where(Phone.company_id == company_id, ~person_added(Phone))
        )
        session.execute(
            delete(Email).where(Email.company_id == company_id, ~person_added(Email))
        )
    session.execute(
        update(NormalisedRecord)
        .where(NormalisedRecord.raw_record_id.in_(list(record_ids)))
        .values(company_id=company_id)
    )
    kept_phones = set(
        session.scalars(select(Phone.e164).where(Phone.company_id == company_id))
    )
    kept_emails = set(
        session.scalars(select(Email.address).where(Email.company_id == company_id))
    )
    phones = phone_rows(company_id, golden, kept_phones, now)
    emails = email_rows(company_id, golden, kept_emails, now)
    if phones:
        session.execute(insert(Phone), phones)
    if emails:
        session.execute(insert(Email), emails)
    return company_id


def phone_rows(
    company_id: int, golden: Golden, kept: Container[str | None], now: datetime
) -> list[dict[str, Any]]:
    """The company's phone rows from its golden record, but those a person typed
    (`kept`, which survive every run)."""
    return [
        {
            "company_id": company_id,
            "raw": e164,
            "e164": phone_base(e164),
            "extension": _extension(e164),
            "is_valid": True,
            "provenance": {"records": rids},
            "created_at": now,
        }
        for e164, rids in golden.phones.items()
        if phone_base(e164) not in kept
    ]


def email_rows(
    company_id: int, golden: Golden, kept: Container[str | None], now: datetime
) -> list[dict[str, Any]]:
    return [
        {
            "company_id": company_id,
            "address": address,
            "is_valid": True,
            "provenance": {"records": rids},
            "created_at": now,
        }
        for address, rids in golden.emails.items()
        if address not in kept
    ]


def _extension(e164: str) -> str | None:
    _, _, ext = e164.partition(";ext=")
    return ext or None


def person_added(model: type[Phone] | type[Email]) -> Any:
    # Rows a person typed carry {"user_id": …} in their provenance; runs keep them.
    return model.provenance["user_id"].as_string().is_not(None)


def current_values(session: Session, company_id: int) -> dict[str, Any] | None:
    company = session.get(Company, company_id)
    if company is None:
        return None
    return {c.key: getattr(company, c.key) for c in Company.__table__.columns}


def merge_records(
    session: Session,
    members: Sequence[Member],
    companies: Sequence[int],
    *,
    run_id: int | None,
    actor: Actor,
) -> int:
    """Make one company of `members`, absorbing `companies` (lowest id survives).

    Records an event (when anything was merged) whose "before" restores the companies
    and memberships exactly.
    """
    record_ids = [m.record_id for m in members]
    target = min(companies) if companies else None
    before = capture(session, companies, record_ids)
    golden = golden_record(members, current_values(session, target) if target else None)
    for absorbed in sorted(set(companies) - {target} if target else set()):
        _absorb(session, absorbed, target)
    company_id = write_company(session, golden, target, record_ids)
    merged = len(members) > 1 or len(set(companies)) > 1
    if merged:
        before["companies"].setdefault(str(company_id), None)
        touched = [int(c) for c in before["companies"]]
        after = outcome(capture(session, touched, record_ids))
        after["target"] = company_id  # survives the FK being nulled if it is absorbed
        session.add(
            MergeEvent(
                kind=MergeKind.MERGE,
                company_id=company_id,
                run_id=run_id,
                user_id=actor.user_id,
                before=before,
                after=after,
            )
        )
    return company_id


def _absorb(session: Session, absorbed: int, target: int | None) -> None:
    """Move an absorbed company's person-typed phones/emails, then delete it."""
    session.execute(
        update(Phone)
        .where(Phone.company_id == absorbed, person_added(Phone))
        .values(company_id=target)
    )
    session.execute(
        update(Email)
        .where(Email.company_id == absorbed, person_added(Email))
        .values(company_id=target)
    )
    session.execute(
        update(NormalisedRecord)
        .where(NormalisedRecord.company_id == absorbed)
        .values(company_id=target)
    )
    session.execute(
        update(Company)
        .where(Company.head_company_id == absorbed)
        .values(head_company_id=target)
    )
    session.execute(delete(Phone).where(Phone.company_id == absorbed))
    session.execute(delete(Email).where(Email.company_id == absorbed))
    session.execute(delete(Company).where(Company.id == absorbed))


# --- undo ---------------------------------------------------------------------------


def latest_event(session: Session, company_id: int) -> MergeEvent | None:
    query = (
        select(MergeEvent)
        .where(
            MergeEvent.company_id == company_id,
            MergeEvent.undone_at.is_(None),
            MergeEvent.kind == MergeKind.MERGE,
        )
        .order_by(MergeEvent.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def undo_merge(session: Session, company_id: int, actor: Actor) -> UndoResult:
    """Undo the company's latest merge: companies, memberships, phones, emails.

    Raises:
        LeadbaseError: nothing to undo, or a later event touched the same records.
    """
    event = latest_event(session, company_id)
    if event is None:
        raise LeadbaseError(
            f"company {company_id}: no merge to undo (see `leadbase stats`)"
        )
    touched = [int(c) for c in event.after["companies"]]
    later = session.scalars(
        select(MergeEvent).where(
            MergeEvent.id > event.id,
            MergeEvent.undone_at.is_(None),
            MergeEvent.undoes_id.is_(None),
            MergeEvent.company_id.in_(touched),
        )
    ).first()
    if later is not None:
        raise LeadbaseError(
            f"company {company_id}: merge event {event.id} was followed by event "
            f"{later.id} on "
            f"company {later.company_id}; undo that one first"
        )
    kept = _edits_since(
        session, company_id, event.after["companies"].get(str(company_id))
    )
    restore(session, event.before)
    if kept and session.get(Company, company_id) is not None:
        # With the person's marks, so that the next run keeps the values too.
        restored = event.before["companies"].get(str(company_id)) or {}
        session.execute(
            update(Company)
            .where(Company.id == company_id)
            .values(
                **kept["values"],
                provenance={**(restored.get("provenance") or {}), **kept["provenance"]},
            )
        )
    event.undone_at = utcnow()
    _remember_apart(session, event.before["records"], event.after["records"], actor)
    survivor = company_id if session.get(Company, company_id) is not None else None
    undo = MergeEvent(
        kind=MergeKind.UNMERGE,
        company_id=survivor,
        user_id=actor.user_id,
        before=event.after,
        after=event.before,
        undoes_id=event.id,
    )
    session.add(undo)
    edits = kept.get("values", {})
    kept_edits = edits if survivor is not None else {}
    lost_edits = edits if survivor is None else {}
    audited: dict[str, Any] = {"kept_edits": sorted(kept_edits)}
    if lost_edits:  # their values: no row holds them any more
        audited["lost_edits"] = {k: to_json(v) for k, v in lost_edits.items()}
    audit(
        session,
        actor,
        "company.unmerge",
        entity="companies",
        entity_id=company_id,
        before={"event": event.id},
        after=audited,
    )
    session.flush()
    return UndoResult(
        event.id,
        sorted(int(c) for c in event.before["companies"]),
        kept_edits=kept_edits,
        lost_edits=lost_edits,
    )


def _remember_apart(
    session: Session, before: dict[str, Any], after: dict[str, Any], actor: Actor
) -> None:
    """A person undoing a merge says its records are not one company: record that as
    `distinct` between the records the merge had joined, so no run joins them again."""
    joined: dict[Any, list[int]] = {}
    for record, company in after.items():
        joined.setdefault(company, []).append(int(record))
    for records in joined.values():
        for i, a in enumerate(sorted(records)):
            for b in sorted(records)[i + 1 :]:
                was_a, was_b = before.get(str(a)), before.get(str(b))
                if was_a is None or was_b is None or was_a != was_b:
                    session.add(
                        ReviewDecision(
                            left_id=a,
                            right_id=b,
                            label=ReviewLabel.DISTINCT,
                            user_id=actor.user_id,
                            note="merge undone",
                        )
                    )


def _edits_since(
    session: Session, company_id: int, after: dict[str, Any] | None
) -> dict[str, Any]:
    """Fields a person changed on the company after the merge, to keep over the undo."""
    company = session.get(Company, company_id)
    if company is None or after is None:
        return {}
    values = {}
    provenance = dict(company.provenance or {})
    for column in Company.__table__.columns:
        name = column.key
        if name in ("version", "updated_at", "updated_by_id", "provenance"):
            continue
        now = to_json(getattr(company, name))
        if now != after.get(name) and edited_by_person(provenance, name):
            values[name] = getattr(company, name)
    if not values:
        return {}
    kept_provenance = {k: v for k, v in provenance.items() if k in values}
    return {"values": {**values}, "provenance": kept_provenance}


def split_record(
    session: Session, company_id: int, record_id: int, actor: Actor
) -> int:
    """Take one record out of a company into a company of its own; re-choose the rest.

    The record is labelled `distinct` from every other member, so no later run puts it
    back; returns the new company's id.
    """
    members = list(
        session.scalars(
            select(NormalisedRecord.raw_record_id).where(
                NormalisedRecord.company_id == company_id
            )
        )
    )
    if record_id not in members:
        raise LeadbaseError(
            f"record {record_id} is not in company {company_id} "
            f"(its records: {', '.join(map(str, members[:20]))})"
        )
    if len(members) == 1:
        raise LeadbaseError(
            f"company {company_id} has only record {record_id}; nothing to split"
        )
    from dedupe.records import member_rows  # local: avoids a cycle at import

    before = capture(session, [company_id], members)
    rest = [m for m in members if m != record_id]
    rows = member_rows(session, members)
    golden = golden_record([rows[r] for r in rest], current_values(session, company_id))
    write_company(session, golden, company_id, rest)
    new_id = write_company(session, golden_record([rows[record_id]]), None, [record_id])
    for other in rest:
        left, right = min(other, record_id), max(other, record_id)
        session.add(
            ReviewDecision(
                left_id=left,
                right_id=right,
                label=ReviewLabel.DISTINCT,
                user_id=actor.user_id,
                note=f"split from company {company_id}",
            )
        )
        session.execute(
            update(CandidatePair)
            .where(CandidatePair.left_id == left, CandidatePair.right_id == right)
            .values(
                status=PairStatus.REJECTED,
                decided_by_id=actor.user_id,
                decided_at=utcnow(),
            )
        )
    before["companies"][str(new_id)] = None
    after = outcome(capture(session, [company_id, new_id], members))
    session.add(
        MergeEvent(
            kind=MergeKind.UNMERGE,
            company_id=company_id,
            user_id=actor.user_id,
            before=before,
            after=after,
        )
    )
    audit(
        session,
        actor,
        "company.split",
        entity="companies",
        entity_id=company_id,
        after={"record": record_id, "new_company": new_id},
    )
    session.flush()
    return new_id
