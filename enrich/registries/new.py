"""The companies new in a register: flagged new, or first seen in a recent release.

`select_new_entities` is what dedupe links by INN/OGRN (or the national id) first;
every entity it returns is a raw record of the source `registry:<name>`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, false, or_, true
from sqlalchemy.orm import Session

from enrich.registries.releases import (
    FirstRelease,
    LastRelease,
    release_dates,
    with_seen_dates,
)
from enrich.registries.sources import Register, check_filters, get_register
from enrich.registries.types import Filters
from leadbase.errors import ValidationError
from leadbase.models import RawRecord, RegistryEntity


@dataclass(frozen=True)
class NewEntity:
    """A new subject of a register, with the raw record that holds it as a lead."""

    register: str
    national_id: str
    raw_record_id: int
    first_seen_on: date
    is_flagged_new: bool
    is_personal_data: bool
    payload: dict[str, Any]


def select_new_entities(
    session: Session, source: str, since: date, filters: Filters | None = None
) -> list[NewEntity]:
    """The register's new subjects since `since`, newest first.

    New means present in the latest release and either flagged new there (ФНС
    `ПризНовМСП=1`; incorporated within a year for Companies House and SIRENE) in
    a release dated on or after `since`, or first seen in a release dated on or
    after `since` that is not the first release imported.

    Args:
        source: a lead register (rmsp, ch-basic, sirene-ul).
        since: the earliest release date to look at.
        filters: applied to the stored payloads.

    Raises:
        ValidationError: unknown register, one without leads, or a filter it lacks.
    """
    return list(iter_new_entities(session, source, since, filters))


def iter_new_entities(
    session: Session, source: str, since: date, filters: Filters | None = None
) -> Iterator[NewEntity]:
    """`select_new_entities`, streamed (the first month after a first import can
    hold hundreds of thousands)."""
    register = get_register(source)
    if not register.holds_leads:
        raise ValidationError(
            f"{register.name} holds figures about known organisations, not leads; "
            "use rmsp, ch-basic or sirene-ul"
        )
    filters = filters or Filters()
    check_filters(register, filters)
    dates = release_dates(session, register.name)
    if not dates:
        return
    latest, earliest = dates[-1], dates[0]
    flagged = and_(RegistryEntity.is_new, true() if latest >= since else false())
    first_seen = and_(
        FirstRelease.released_on >= since, FirstRelease.released_on > earliest
    )
    statement = (
        with_seen_dates(register.name)
        .add_columns(RawRecord.payload)
        .join(RawRecord, RegistryEntity.raw_record_id == RawRecord.id)
        .where(LastRelease.released_on == latest, or_(flagged, first_seen))
        .order_by(FirstRelease.released_on.desc(), RegistryEntity.national_id)
        .execution_options(yield_per=1000)
    )
    for row in session.execute(statement):
        if _keeps(register, filters, row.payload, row.is_personal_data):
            yield NewEntity(
                register=register.name,
                national_id=row.national_id,
                raw_record_id=row.raw_record_id,
                first_seen_on=row.first_on,
                is_flagged_new=row.is_new,
                is_personal_data=row.is_personal_data,
                payload=row.payload,
            )


def _keeps(
    register: Register, filters: Filters, payload: dict[str, Any], personal: bool
) -> bool:
    if filters.exclude_sole_traders and personal:
        return False
    if filters.regions and payload.get("registry_region_code") not in filters.regions:
        return False
    if (
        filters.categories
        and payload.get("registry_category_code") not in filters.categories
    ):
        return False
    if filters.okved:
        codes = [payload.get("okved"), *payload.get("registry_sic", [])]
        if register.name == "sirene-ul":
            codes.append(payload.get("industry"))
        return any(filters.keeps_activity(c) for c in codes if c)
    return True
