"""Every change by a person is audited; an edit on a stale version is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from leadbase.audit import Actor, apply_edit
from leadbase.auth import add_user
from leadbase.db import make_sessionmaker
from leadbase.enums import Category, CompanyStatus, Role
from leadbase.errors import StaleEditError, ValidationError
from leadbase.models import AuditLog, Company, User


def make_company(session: Session) -> Company:
    company = Company(name="Ромашка", legal_form="ООО", inn="7707083893")
    session.add(company)
    session.commit()
    return company


def make_reviewer(session: Session, name: str) -> Actor:
    user = add_user(session, name, "long-password", Role.REVIEWER, actor=Actor.cli())
    session.commit()
    return Actor.of(user)


def test_an_edit_is_audited_with_who_when_before_and_after(session: Session) -> None:
    company = make_company(session)
    anna = make_reviewer(session, "anna")
    entry = apply_edit(
        session,
        company,
        {"category": Category.A, "status": CompanyStatus.VERIFIED, "name": "Ромашка"},
        actor=anna,
        expected_version=1,
    )
    session.commit()
    assert entry is not None
    stored = session.scalars(
        select(AuditLog).where(AuditLog.action == "companies.edit")
    ).one()
    assert (stored.actor, stored.user_id, stored.entity_id) == (
        "anna",
        anna.user_id,
        company.id,
    )
    assert stored.before == {"category": None, "status": "new"}
    assert stored.after == {"category": "A", "status": "verified"}  # name unchanged
    assert stored.at is not None and stored.at.tzinfo is not None
    assert company.version == 2 and company.updated_by_id == anna.user_id


def test_an_edit_that_changes_nothing_is_not_audited(session: Session) -> None:
    company = make_company(session)
    anna = make_reviewer(session, "anna")
    assert (
        apply_edit(
            session, company, {"name": "Ромашка"}, actor=anna, expected_version=1
        )
        is None
    )
    assert (
        session.scalars(select(AuditLog).where(AuditLog.entity == "companies")).all()
        == []
    )


def test_a_stale_edit_is_refused_naming_who_changed_it_and_when(
    session: Session,
) -> None:
    company = make_company(session)
    anna, boris = make_reviewer(session, "anna"), make_reviewer(session, "boris")
    apply_edit(
        session, company, {"notes": "звонить утром"}, actor=anna, expected_version=1
    )
    session.commit()
    with pytest.raises(StaleEditError) as refused:
        apply_edit(
            session, company, {"notes": "не звонить"}, actor=boris, expected_version=1
        )
    message = str(refused.value)
    assert "changed by anna at" in message and "not saved" in message
    assert refused.value.current_version == 2
    session.rollback()
    assert session.get(Company, company.id).notes == "звонить утром"  # type: ignore[union-attr]


def test_two_sessions_racing_on_one_record_lose_nobodys_work(engine: Engine) -> None:
    maker = make_sessionmaker(engine)
    with maker() as setup:
        company_id = make_company(setup).id
        anna, boris = make_reviewer(setup, "anna"), make_reviewer(setup, "boris")
    with maker() as first, maker() as second:
        mine = first.get(Company, company_id)
        theirs = second.get(Company, company_id)
        assert mine is not None and theirs is not None
        apply_edit(first, mine, {"segment": "опт"}, actor=anna, expected_version=1)
        first.commit()
        # boris loaded version 1 before anna saved: the database refuses his update.
        with pytest.raises(StaleEditError, match="changed by anna"):
            apply_edit(
                second, theirs, {"segment": "розница"}, actor=boris, expected_version=1
            )
    with maker() as check:
        assert check.get(Company, company_id).segment == "опт"  # type: ignore[union-attr]


def test_protected_and_unknown_columns_cannot_be_edited(session: Session) -> None:
    company = make_company(session)
    anna = make_reviewer(session, "anna")
    with pytest.raises(ValidationError, match="cannot edit version, wings"):
        apply_edit(
            session, company, {"version": 9, "wings": 2}, actor=anna, expected_version=1
        )


def test_versions_are_on_every_table_people_edit() -> None:
    from leadbase.models import Contact, Reminder

    for model in (Company, Contact, Reminder, User):
        assert "version" in model.__table__.c, model.__name__


def test_an_edit_marks_each_value_it_set_as_the_persons(session: Session) -> None:
    """Survivorship and undo keep a value whose provenance names a user."""
    company = make_company(session)
    company.provenance = {"name": {"records": [1]}, "inn": {"records": [1]}}
    session.commit()
    anna = make_reviewer(session, "anna")
    apply_edit(
        session,
        company,
        {"name": "Ромашка-М", "notes": "звонить утром"},
        actor=anna,
        expected_version=company.version,
    )
    session.commit()
    session.expire_all()
    provenance = session.get(Company, company.id).provenance  # type: ignore[union-attr]
    assert provenance["inn"] == {"records": [1]}
    for field in ("name", "notes"):
        assert provenance[field]["user_id"] == anna.user_id
        assert provenance[field]["at"]


def test_an_edit_of_a_golden_record_needs_a_signed_in_user(session: Session) -> None:
    company = make_company(session)
    with pytest.raises(ValidationError) as refused:
        apply_edit(
            session, company, {"name": "Другое"}, actor=Actor.cli(), expected_version=1
        )
    assert "signed-in user" in str(refused.value)
    assert company.name == "Ромашка" and company.version == 1
    with pytest.raises(ValidationError, match="provenance"):
        apply_edit(
            session,
            company,
            {"provenance": {}},
            actor=make_reviewer(session, "anna"),
            expected_version=1,
        )
