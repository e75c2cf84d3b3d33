"""Growing existing companies in bulk writes what `merge_records` writes, one by one,
and undoes exactly."""

from __future__ import annotations

from typing import Any

import pytest
from dedupe_helpers import directory_arrives_later
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from dedupe import grow
from dedupe.golden import Member
from dedupe.merges import capture_many, merge_records, outcome, undo_merge
from dedupe.records import member_rows, normalise_pending
from leadbase.audit import Actor, to_json
from leadbase.auth import add_user
from leadbase.enums import Role
from leadbase.models import (
    Company,
    Email,
    MergeEvent,
    NormalisedRecord,
    Phone,
    RawRecord,
)

ACTOR = Actor.cli()
STAMPS = {"id", "created_at", "updated_at"}


def _rows(session: Session, model: Any) -> list[dict[str, Any]]:
    columns = [c.key for c in model.__table__.columns]
    return sorted(
        (
            {c: to_json(getattr(r, c)) for c in columns}
            for r in session.scalars(select(model))
        ),
        key=lambda r: r["id"] if "id" in r else r["raw_record_id"],
    )


def _exact(session: Session) -> dict[str, Any]:
    """Every company, phone, email and membership, as stored."""
    session.flush()
    session.expire_all()
    return {
        "companies": _rows(session, Company),
        "phones": _rows(session, Phone),
        "emails": _rows(session, Email),
        "records": sorted(
            tuple(row)
            for row in session.execute(
                select(NormalisedRecord.raw_record_id, NormalisedRecord.company_id)
            )
        ),
    }


def _stripped(value: Any) -> Any:
    """Ids of phone and email rows and write times differ between the two paths."""
    if isinstance(value, dict):
        return {k: _stripped(v) for k, v in value.items() if k not in STAMPS}
    if isinstance(value, list):
        return sorted((_stripped(v) for v in value), key=repr)
    return value


def _written(session: Session, since: int) -> dict[str, Any]:
    """What a path wrote: the tables without stamps, and its merge events."""
    events = session.scalars(
        select(MergeEvent).where(MergeEvent.id > since).order_by(MergeEvent.company_id)
    )
    return {
        **_stripped(_exact(session)),
        "events": [
            (e.company_id, e.kind, e.run_id, _stripped(e.before), _stripped(e.after))
            for e in events
        ],
    }


def _jobs(session: Session) -> list[tuple[int, list[Member]]]:
    """Existing companies, each given one or two records of no company."""
    new = list(
        session.scalars(
            select(NormalisedRecord.raw_record_id)
            .where(NormalisedRecord.company_id.is_(None))
            .order_by(NormalisedRecord.raw_record_id)
        )
    )
    companies = list(session.scalars(select(Company.id).order_by(Company.id)))[:15]
    jobs = []
    for i, company in enumerate(companies):
        own = list(
            session.scalars(
                select(NormalisedRecord.raw_record_id).where(
                    NormalisedRecord.company_id == company
                )
            )
        )
        extra = new[2 * i : 2 * i + (1 + i % 2)]
        rows = member_rows(session, own + extra)
        jobs.append((company, list(rows.values())))
    return jobs


def _person_touches(session: Session, jobs: list[tuple[int, list[Member]]]) -> None:
    """What a reviewer did on some companies: a typed phone and email, an edited
    name, a branch pointing at one of them; all must survive or be snapshotted."""
    user_id = add_user(
        session, "reviewer", "a-long-password-1", Role.REVIEWER, actor=ACTOR
    ).id
    first, second, third = (company for company, _ in jobs[:3])
    typed = {"user_id": user_id, "at": "2026-01-01T00:00:00+00:00"}
    session.execute(
        insert(Phone),
        [
            {
                "company_id": first,
                "raw": "+74950000001",
                "e164": "+74950000001",
                "is_valid": True,
                "provenance": typed,
            }
        ],
    )
    session.execute(
        insert(Email),
        [
            {
                "company_id": first,
                "address": "typed@example.org",
                "is_valid": True,
                "provenance": typed,
            }
        ],
    )
    company = session.get(Company, second)
    assert company is not None
    company.name = "Edited by a person"
    company.provenance = {**company.provenance, "name": typed}
    outside = session.scalars(
        select(Company.id).where(Company.id.not_in([c for c, _ in jobs]))
    ).first()
    branch = session.get(Company, outside)
    assert branch is not None
    branch.head_company_id = third
    session.flush()


@pytest.mark.parametrize("chunk", [2_000, 4])
def test_grown_companies_equal_one_by_one_and_undo_exactly(
    session: Session, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(grow, "CHUNK", chunk)
    later = directory_arrives_later(session, 60, ACTOR)
    session.execute(insert(RawRecord), later)
    normalise_pending(session)
    jobs = _jobs(session)
    _person_touches(session, jobs)
    start = _exact(session)
    last_event = session.scalar(select(MergeEvent.id).order_by(MergeEvent.id.desc()))
    since = int(last_event or 0)

    nested = session.begin_nested()
    for company, members in jobs:
        merge_records(session, members, [company], run_id=None, actor=ACTOR)
    one_by_one = _written(session, since)
    nested.rollback()
    assert _exact(session) == start

    grow.grow_companies(session, jobs, run_id=None, actor=ACTOR)
    grown = _written(session, since)
    assert grown == one_by_one
    # The events' "after" is worked out, not read back: it is what a read gives,
    # to the stamp.
    session.expire_all()
    for company, members in jobs:
        event = session.scalars(
            select(MergeEvent).where(
                MergeEvent.company_id == company, MergeEvent.id > since
            )
        ).one()
        [read] = capture_many(session, [([company], [m.record_id for m in members])])
        assert event.after == {**outcome(read), "target": company}
    assert len(grown["events"]) == len(jobs)
    # The person's phone, email and name survived the run.
    assert any(p["raw"] == "+74950000001" for p in grown["phones"])
    assert any(e["address"] == "typed@example.org" for e in grown["emails"])
    assert session.get(Company, jobs[1][0]).name == "Edited by a person"  # type: ignore[union-attr]
    # The event of the company with a branch elsewhere remembers that branch.
    third = session.scalars(
        select(MergeEvent).where(
            MergeEvent.company_id == jobs[2][0], MergeEvent.id > since
        )
    ).one()
    assert third.before.get("branches")

    for company, _ in reversed(jobs):
        undo_merge(session, company, ACTOR)
    assert _exact(session) == start
