"""Counts of the base for `leadbase stats` and the review app's overview.

The JSON shape is a public interface (README, "stats --json"): keys are only added.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leadbase.enums import Category, CompanyStatus, PairStatus
from leadbase.models import (
    Base,
    CandidatePair,
    Company,
    Contact,
    NormalisedRecord,
    RawRecord,
    Source,
    User,
)


def _count(session: Session, model: type[Base]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def collect_stats(session: Session) -> dict[str, Any]:
    """The stable stats object: integer counts and per-status/category breakdowns."""
    by_status = dict.fromkeys((s.value for s in CompanyStatus), 0)
    for status, n in session.execute(
        select(Company.status, func.count()).group_by(Company.status)
    ):
        by_status[CompanyStatus(status).value] = int(n)
    by_category = dict.fromkeys([c.value for c in Category] + ["none"], 0)
    for category, n in session.execute(
        select(Company.category, func.count()).group_by(Company.category)
    ):
        by_category[Category(category).value if category else "none"] = int(n)
    by_source = {
        name: int(n)
        for name, n in session.execute(
            select(Source.name, func.count(RawRecord.id))
            .join(RawRecord, RawRecord.source_id == Source.id, isouter=True)
            .group_by(Source.name)
            .order_by(Source.name)
        )
    }
    pending = session.scalar(
        select(func.count())
        .select_from(CandidatePair)
        .where(CandidatePair.status == PairStatus.PENDING)
    )
    return {
        "sources": _count(session, Source),
        "raw_records": _count(session, RawRecord),
        "records": _count(session, NormalisedRecord),
        "companies": _count(session, Company),
        "contacts": _count(session, Contact),
        "pending_pairs": int(pending or 0),
        "users": _count(session, User),
        "companies_by_status": by_status,
        "companies_by_category": by_category,
        "raw_records_by_source": by_source,
    }
