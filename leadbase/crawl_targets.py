"""Which companies' websites `leadbase crawl websites` visits: structured filters.

Every filter is a SQLAlchemy expression with bound values; nothing a user types is
ever pasted into SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session

from leadbase.enums import Category, CompanyStatus
from leadbase.errors import LeadbaseError
from leadbase.models import Company, Email, NormalisedRecord, Phone, RawRecord, Source

__all__ = ["MISSING", "WebsiteFilters", "select_websites"]

MISSING = ("email", "phone")


@dataclass(frozen=True)
class WebsiteFilters:
    """Filters of `leadbase crawl websites`; empty ones select every company.

    Attributes:
        cities: the company's city is one of these (as the base writes it:
            canonical names, "Москва"; normalise them with `city_key` first).
        categories: A-E categories.
        statuses: new / verified / rejected / dead.
        missing: "email" and/or "phone": companies without one.
        source: only companies with a record from this source.
        limit: at most this many companies, lowest ids first.
    """

    cities: tuple[str, ...] = ()
    categories: tuple[Category, ...] = ()
    statuses: tuple[CompanyStatus, ...] = ()
    missing: tuple[str, ...] = ()
    source: str | None = None
    limit: int | None = None


Sites = Select[str | None, str | None]  # (website, country)


def _filtered(session: Session, filters: WebsiteFilters) -> Sites:
    query = select(Company.website, Company.country).where(
        Company.website.is_not(None), Company.website != ""
    )
    if filters.cities:
        query = query.where(Company.city.in_(filters.cities))
    if filters.categories:
        query = query.where(Company.category.in_(filters.categories))
    if filters.statuses:
        query = query.where(Company.status.in_(filters.statuses))
    if "email" in filters.missing:
        query = query.where(~exists().where(Email.company_id == Company.id))
    if "phone" in filters.missing:
        query = query.where(~exists().where(Phone.company_id == Company.id))
    if filters.source is not None:
        named = select(Source.id).where(Source.name == filters.source)
        source_id = session.scalar(named)
        if source_id is None:
            raise LeadbaseError(
                f"no source called {filters.source!r}; `leadbase sources list` "
                "shows them"
            )
        from_source = (
            select(NormalisedRecord.company_id)
            .join(RawRecord, RawRecord.id == NormalisedRecord.raw_record_id)
            .where(RawRecord.source_id == source_id)
        )
        query = query.where(Company.id.in_(from_source))
    query = query.order_by(Company.id)
    if filters.limit:
        query = query.limit(filters.limit)
    return query


def select_websites(
    session: Session,
    filters: WebsiteFilters,
    city_key: Callable[[str], str | None] | None = None,
) -> list[tuple[str, str | None]]:
    """(website, country) of the companies the filters select.

    Args:
        session: an open session on the base.
        filters: what to select.
        city_key: turns a typed city ("москва", "Moscow") into the base's form;
            both the typed and the converted name are matched.
    """
    if city_key is not None and filters.cities:
        names = {c for city in filters.cities for c in (city, city_key(city)) if c}
        filters = replace(filters, cities=tuple(sorted(names)))
    rows = session.execute(_filtered(session, filters))
    return [(website, country) for website, country in rows if website]
