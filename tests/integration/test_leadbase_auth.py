"""Users: argon2 hashes, sign-in, roles and the audit of every change."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbase.audit import Actor
from leadbase.auth import (
    add_user,
    authenticate,
    can,
    parse_role,
    require,
    set_active,
    set_role,
)
from leadbase.enums import Role
from leadbase.errors import AuthError, ValidationError
from leadbase.models import AuditLog, User

ADMIN = Actor(name="cli:test")


def test_passwords_are_stored_as_argon2id_hashes_only(session: Session) -> None:
    user = add_user(session, "anna", "correct horse", Role.REVIEWER, actor=ADMIN)
    session.commit()
    assert user.password_hash.startswith("$argon2id$")
    assert "correct horse" not in user.password_hash
    entry = session.scalars(select(AuditLog).where(AuditLog.action == "user.add")).one()
    assert "argon2" not in str(entry.after) and entry.actor == "cli:test"


def test_the_right_password_signs_in_and_is_audited(session: Session) -> None:
    add_user(session, "anna", "correct horse", Role.REVIEWER, actor=ADMIN)
    user = authenticate(session, "anna", "correct horse")
    assert user.last_login_at is not None
    assert session.scalars(select(AuditLog.action)).all()[-1] == "login"


@pytest.mark.parametrize(
    ("username", "password"),
    [("anna", "wrong horse"), ("anna", ""), ("nobody", "correct horse")],
)
def test_a_wrong_password_or_user_fails_with_one_message(
    session: Session, username: str, password: str
) -> None:
    add_user(session, "anna", "correct horse", Role.REVIEWER, actor=ADMIN)
    with pytest.raises(AuthError, match=r"^wrong user name or password$"):
        authenticate(session, username, password)


def test_a_disabled_user_cannot_sign_in(session: Session) -> None:
    add_user(session, "admin", "admin-password", Role.ADMIN, actor=ADMIN)
    add_user(session, "anna", "correct horse", Role.REVIEWER, actor=ADMIN)
    set_active(session, "anna", False, actor=ADMIN)
    with pytest.raises(AuthError, match="disabled"):
        authenticate(session, "anna", "correct horse")


def test_short_passwords_and_bad_names_are_refused(session: Session) -> None:
    with pytest.raises(ValidationError, match="at least 8"):
        add_user(session, "anna", "short", Role.VIEWER, actor=ADMIN)
    with pytest.raises(ValidationError, match="bad user name"):
        add_user(session, "анна пет", "long-enough", Role.VIEWER, actor=ADMIN)
    add_user(session, "anna", "long-enough", Role.VIEWER, actor=ADMIN)
    with pytest.raises(ValidationError, match="already exists"):
        add_user(session, "anna", "long-enough", Role.VIEWER, actor=ADMIN)


def test_an_unknown_role_names_the_valid_ones() -> None:
    assert parse_role(" Reviewer ") is Role.REVIEWER
    with pytest.raises(ValidationError, match="admin, reviewer, viewer"):
        parse_role("boss")


def test_the_last_admin_cannot_be_demoted_or_disabled(session: Session) -> None:
    add_user(session, "root", "admin-password", Role.ADMIN, actor=ADMIN)
    with pytest.raises(ValidationError, match="last active admin"):
        set_role(session, "root", Role.VIEWER, actor=ADMIN)
    with pytest.raises(ValidationError, match="last active admin"):
        set_active(session, "root", False, actor=ADMIN)
    add_user(session, "second", "admin-password", Role.ADMIN, actor=ADMIN)
    set_role(session, "root", Role.VIEWER, actor=ADMIN)
    session.commit()
    assert (
        session.scalars(select(User.role).where(User.username == "root")).one()
        == Role.VIEWER
    )
    actions = session.scalars(select(AuditLog.action)).all()
    assert actions.count("user.set_role") == 1


@pytest.mark.parametrize(
    ("role", "permission", "allowed"),
    [
        (Role.VIEWER, "view", True),
        (Role.VIEWER, "view_personal_data", False),
        (Role.VIEWER, "edit", False),
        (Role.REVIEWER, "review", True),
        (Role.REVIEWER, "export", False),
        (Role.REVIEWER, "admin", False),
        (Role.ADMIN, "admin", True),
        (Role.ADMIN, "export", True),
    ],
)
def test_roles_grant_exactly_their_permissions(
    role: Role, permission: str, allowed: bool
) -> None:
    assert can(role, permission) is allowed
    actor = Actor(name="u", user_id=1, role=role)
    if allowed:
        require(actor, permission)
    else:
        with pytest.raises(AuthError, match=f"may not {permission.replace('_', ' ')}"):
            require(actor, permission)
