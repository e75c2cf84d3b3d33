"""Branches (same INN, another KPP) stay companies of their own, linked to the head."""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from dedupe.branches import link_branches
from dedupe.merges import merge_records, undo_merge
from dedupe.pipeline import run_dedupe
from dedupe.records import member_rows
from leadbase.audit import Actor
from leadbase.enums import SourceKind
from leadbase.models import Company, NormalisedRecord
from leadbase.raw import RawRow, ensure_source, store_raw_records

ACTOR = Actor.cli()
INN = "7707083893"  # a valid INN; KPP digits 5-6: 01 head office, 43 a branch
HEAD = {"name": "ООО «Ромашка»", "inn": INN, "kpp": "773601001", "city": "Москва"}
SPB = {
    "name": "ООО «Ромашка»",
    "inn": INN,
    "kpp": "784243001",
    "city": "Санкт-Петербург",
}
KZN = {"name": "ООО «Ромашка»", "inn": INN, "kpp": "165543001", "city": "Казань"}
OTHER = {"name": "ООО «Лютик»", "inn": "7736050003", "city": "Москва"}


def store(session: Session, *payloads: dict[str, str]) -> None:
    source = ensure_source(session, "list", SourceKind.BOUGHT, actor=ACTOR)
    store_raw_records(session, source, [RawRow(payload=p) for p in payloads])


def companies(session: Session) -> dict[str | None, Company]:
    return {c.kpp: c for c in session.scalars(select(Company))}


def test_branches_point_at_their_head_office(session: Session) -> None:
    store(session, HEAD, SPB, OTHER)
    summary = run_dedupe(session, actor=ACTOR)
    found = companies(session)
    assert len(found) == 3  # the branch is not merged into its head office
    head = found["773601001"]
    assert head.head_company_id is None
    assert found["784243001"].head_company_id == head.id
    assert found[None].head_company_id is None  # another organisation
    assert summary.branch_links == 1

    store(session, KZN)  # a branch arrives later: an incremental run links it
    assert run_dedupe(session, actor=ACTOR).branch_links == 1
    assert companies(session)["165543001"].head_company_id == head.id
    full = run_dedupe(session, full=True, actor=ACTOR)
    assert full.branch_links == 0  # nothing to change


def test_no_link_when_the_head_office_is_not_known(session: Session) -> None:
    store(session, SPB, KZN)  # two branches, no head office in the base
    run_dedupe(session, actor=ACTOR)
    found = companies(session)
    assert len(found) == 2
    assert all(c.head_company_id is None for c in found.values())


def test_undoing_a_merge_of_the_head_office_points_its_branch_back(
    session: Session,
) -> None:
    store(session, OTHER)  # the lowest company id: it survives a merge
    run_dedupe(session, actor=ACTOR)
    store(session, HEAD, SPB)
    run_dedupe(session, actor=ACTOR)
    found = companies(session)
    head, branch, other = found["773601001"], found["784243001"], found[None]
    assert other.id < head.id and branch.head_company_id == head.id
    records = list(
        session.scalars(
            select(NormalisedRecord.raw_record_id).where(
                NormalisedRecord.company_id.in_([head.id, other.id])
            )
        )
    )
    members = list(member_rows(session, records).values())
    survivor = merge_records(
        session, members, [other.id, head.id], run_id=None, actor=ACTOR
    )
    assert survivor != head.id  # the head office was absorbed
    assert session.get(Company, branch.id).head_company_id == survivor
    undo_merge(session, survivor, ACTOR)
    session.expire_all()
    assert session.get(Company, branch.id).head_company_id == head.id


def test_a_link_a_person_set_is_never_changed(session: Session) -> None:
    store(session, HEAD, SPB)
    run_dedupe(session, actor=ACTOR)
    found = companies(session)
    head, branch = found["773601001"], found["784243001"]
    assert branch.head_company_id == head.id
    # A person says the branch stands alone (the review app records who did it).
    branch.head_company_id = None
    branch.provenance = {**branch.provenance, "head_company_id": {"user_id": 7}}
    session.flush()
    store(session, KZN)  # the organisation's records are read again
    assert run_dedupe(session, actor=ACTOR).branch_links == 1  # the new branch only
    run_dedupe(session, full=True, actor=ACTOR)
    found = companies(session)
    assert found["784243001"].head_company_id is None
    assert found["165543001"].head_company_id == head.id


def _links_one_by_one(companies: list[Company]) -> dict[int, int | None]:
    """What link_branches did before it updated in bulk: every company of an INN
    read with its provenance, each group settled in Python (the reference)."""
    groups: dict[str, list[Company]] = {}
    for company in companies:
        if company.inn is not None:
            groups.setdefault(company.inn, []).append(company)
    links = {c.id: c.head_company_id for c in companies}
    for members in groups.values():
        heads = [c.id for c in members if c.kpp and c.kpp[4:6] == "01"]
        without_kpp = [c.id for c in members if not c.kpp]
        head = None
        if len(members) > 1 and len(heads) == 1:
            head = heads[0]
        elif len(members) > 1 and not heads and len(without_kpp) == 1:
            head = without_kpp[0]
        for company in members:
            if (company.provenance or {}).get("head_company_id", {}).get("user_id"):
                continue
            links[company.id] = None if company.id == head else head
    return links


def test_bulk_links_equal_the_one_by_one_rules(session: Session) -> None:
    """Many organisations of every shape (head office by KPP, by a lone company
    without KPP, two heads, none, links set by a person, stale links to clear)."""
    rng = random.Random(7)
    kpps = ["773601001", "784243001", "165543001", None, "500101001"]
    made = []
    for number in range(120):
        inn = f"77{number:08d}" if number % 9 else None
        for _ in range(rng.choice([1, 1, 2, 3, 4])):
            made.append(Company(name=f"firm {number}", inn=inn, kpp=rng.choice(kpps)))
    session.add_all(made)
    session.flush()
    for company in made:
        if rng.random() < 0.3:  # a link left by an earlier run, right or wrong
            company.head_company_id = rng.choice(made).id
        if rng.random() < 0.1:  # set by a person: never changed
            company.provenance = {"head_company_id": {"user_id": 1}}
    session.flush()
    expected = _links_one_by_one(made)
    changed = sum(expected[c.id] != c.head_company_id for c in made)
    assert changed > 50  # the shapes above do exercise the rules
    assert link_branches(session) == changed
    assert {c.id: c.head_company_id for c in made} == expected  # loaded objects too
    session.expire_all()
    stored = session.execute(select(Company.id, Company.head_company_id)).all()
    assert dict(stored) == expected
    assert link_branches(session) == 0
    some = {c.inn for c in made[:40] if c.inn}  # an incremental run's INNs
    assert link_branches(session, some) == 0
