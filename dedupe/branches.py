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

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from leadbase.models import Company

HEAD_OFFICE_REASON = "01"
CHUNK = 5000


def link_branches(session: Session, inns: Iterable[str] | None = None) -> int:
    """Set `head_company_id` for the companies of these INNs (all when None);
    returns how many links changed."""
    # Whether a person set the link, asked of the JSON in the database: decoding
    # every company's provenance cost seconds in an incremental run.
    by_person = Company.provenance["head_company_id"]["user_id"].as_string()
    query = select(
        Company.id,
        Company.inn,
        Company.kpp,
        Company.head_company_id,
        by_person.is_not(None),
    ).where(Company.inn.is_not(None))
    groups: dict[str, list[tuple[int, str | None, int | None, bool]]] = defaultdict(
        list
    )
    chunks = [None] if inns is None else _chunks(sorted(set(inns)))
    for chunk in chunks:
        selected = query if chunk is None else query.where(Company.inn.in_(chunk))
        for company, inn, kpp, head, set_by_person in session.execute(selected):
            groups[inn].append((company, kpp, head, bool(set_by_person)))
    changed = 0
    for members in groups.values():
        head = _head_office(members) if len(members) > 1 else None
        for company, _, current, by_person in members:
            wanted = None if company == head else head
            if by_person or current == wanted:
                continue
            session.execute(
                update(Company)
                .where(Company.id == company)
                .values(head_company_id=wanted)
            )
            changed += 1
    return changed


def _head_office(members: list[tuple[int, str | None, int | None, bool]]) -> int | None:
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
