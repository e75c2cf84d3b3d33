"""New leads: crawled companies the base did not know when they arrived.

The seeds' point: the first seller to reach a newly opened company wins, so a crawl
says which of its items are new. An item is a new lead when its key (page or site
URL) is new to its source and no company or normalised record already has its INN,
OGRN or website domain. Matching stays dedupe's job; this is only the quick look
up of strong ids that tells "new to us" from "new page of a known firm".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbase.models import Company, NormalisedRecord, RawRecord
from leadbase.reference.web import canonical_host, registered_domain, split_url

__all__ = ["known_keys", "new_lead_keys", "website_domain"]


def known_keys(session: Session, source_id: int, keys: list[str]) -> set[str]:
    """The keys of which some version is stored: pages seen before."""
    if not keys:
        return set()
    return set(
        session.scalars(
            select(RawRecord.source_key)
            .where(RawRecord.source_id == source_id, RawRecord.source_key.in_(keys))
            .distinct()
        )
    )


def website_domain(url: Any) -> str | None:
    """The registered domain of a site URL, as dedupe keys companies by it."""
    if not isinstance(url, str) or not url.strip():
        return None
    parts, _ = split_url(url)
    if parts is None or not parts.host:
        return None
    host = canonical_host(parts.host) or parts.host
    return registered_domain(host)


def _known(session: Session, column: Any, values: set[str]) -> set[str]:
    if not values:
        return set()
    return set(session.scalars(select(column).where(column.in_(values)).distinct()))


def _known_ids(session: Session, field: str, values: set[str]) -> set[str]:
    return _known(session, getattr(Company, field), values) | _known(
        session, getattr(NormalisedRecord, field), values
    )


def new_lead_keys(
    session: Session, source_id: int, payloads: Mapping[str, Mapping[str, Any]]
) -> set[str]:
    """The keys of `payloads` (key -> crawled item) that are new leads.

    Examples:
        A first crawl of a directory into an empty base: every card is a new lead;
        the same card again, or a card whose INN a company already has: not.
    """
    fresh = set(payloads) - known_keys(session, source_id, list(payloads))
    values: dict[str, dict[str, str]] = {"inn": {}, "ogrn": {}, "domain": {}}
    for key in fresh:
        payload = payloads[key]
        for field in ("inn", "ogrn"):
            if isinstance(payload.get(field), str) and payload[field]:
                values[field][key] = payload[field]
        domain = website_domain(payload.get("website"))
        if domain:
            values["domain"][key] = domain
    known: set[str] = set()
    for field, by_key in values.items():
        found = _known_ids(session, field, set(by_key.values()))
        known.update(key for key, value in by_key.items() if value in found)
    return fresh - known
