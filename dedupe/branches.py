"""Branches point at their head office: companies sharing an INN under different KPPs.

The hard rule keeps a branch (same INN, another KPP) a company of its own; this links
it to its organisation's head office through `companies.head_company_id`, so the
review app and exports can show one organisation with its branches.

The head is the company whose KPP carries reason code 01 (registered where the
organisation itself is, digits 5-6; a branch has 43), or else the only company of
the INN without a KPP (lists usually name the organisation, not its branch). Where
neither settles it, nothing is linked: a wrong head is worse than none. A link set
by a person (provenance of `head_company_id` with a user) is never changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from leadbase.db import bulk_update_column
from leadbase.models import Company

HEAD_OFFICE_REASON = "01"
CHUNK = 5000
# (company id, KPP, current head, whether a person set the head)
Member = tuple[int, str | None, int | None, bool]


def link_branches(session: Session, inns: Iterable[str] | None = None) -> int:
    """Set `head_company_id` for the companies of these INNs (all when None);
    returns how many links changed."""
    groups: dict[str, list[Member]] = defaultdict(list)
    for company, inn, kpp, head, by_person in _candidates(session, inns):
        groups[inn].append((company, kpp, head, bool(by_person)))
    changes: list[tuple[int, int | None]] = []
    for members in groups.values():
        head = _head_office(members) if len(members) > 1 else None
        for company, _, current, by_person in members:
            wanted = None if company == head else head
            if not by_person and current != wanted:
                changes.append((company, wanted))
    if changes:
        # One statement for all of them: a first run at a million records links
        # tens of thousands of branches, and an UPDATE statement each took seconds.
        changes.sort()
        bulk_update_column(session, Company, "id", "head_company_id", changes)
        _expire_loaded(session, [company for company, _ in changes])
    return len(changes)


def _candidates(
    session: Session, inns: Iterable[str] | None
) -> Iterable[tuple[int, str, str | None, int | None, object]]:
    """Companies of the INNs that may need a change: those of an INN held by
    several companies, and any already linked (a link may have to go). Whether a
    person set the link is read in the database: parsing every company's
    provenance JSON in Python was most of the cost at a million companies."""
    set_by = Company.provenance["head_company_id"]["user_id"].as_string()
    query = select(
        Company.id,
        Company.inn,
        Company.kpp,
        Company.head_company_id,
        set_by.is_not(None),
    ).where(Company.inn.is_not(None))
    shared = (
        select(Company.inn)
        .where(Company.inn.is_not(None))
        .group_by(Company.inn)
        .having(func.count() > 1)
    )
    for chunk in [None] if inns is None else _chunks(sorted(set(inns))):
        among = shared if chunk is None else shared.where(Company.inn.in_(chunk))
        selected = query.where(
            or_(Company.head_company_id.is_not(None), Company.inn.in_(among))
        )
        if chunk is not None:
            selected = selected.where(Company.inn.in_(chunk))
        yield from session.execute(selected)


def _expire_loaded(session: Session, company_ids: list[int]) -> None:
    """Companies loaded in the session read their new link on next access (the
    update went around the ORM)."""
    for company_id in company_ids:
        loaded = session.identity_map.get(Session.identity_key(Company, company_id))
        if loaded is not None:
            session.expire(loaded, ["head_company_id"])


def _head_office(members: list[Member]) -> int | None:
    heads = [c for c, kpp, _, _ in members if kpp and kpp[4:6] == HEAD_OFFICE_REASON]
    if len(heads) == 1:
        return heads[0]
    if heads:
        return None
    without_kpp = [c for c, kpp, _, _ in members if not kpp]
    return without_kpp[0] if len(without_kpp) == 1 else None


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]
