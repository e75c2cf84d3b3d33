"""Users, argon2 password hashes, sign-in and role checks (enforced on the server)."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leadbase.audit import Actor, record
from leadbase.enums import Role
from leadbase.errors import AuthError, NotFoundError, ValidationError
from leadbase.models import User, utcnow

MIN_PASSWORD_LENGTH = 8
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$")

# What each role may do. Pages and actions call `require`; the UI hiding a button is
# a courtesy, this is the rule.
PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.VIEWER: frozenset({"view"}),
    Role.REVIEWER: frozenset({"view", "view_personal_data", "edit", "review"}),
    Role.ADMIN: frozenset(
        {"view", "view_personal_data", "edit", "review", "import", "export", "admin"}
    ),
}

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash with a fresh salt."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when the password matches; never raises on a wrong or malformed hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def parse_role(text: str) -> Role:
    """A role from its name, or a ValidationError listing the valid ones."""
    try:
        return Role(text.strip().lower())
    except ValueError:
        valid = ", ".join(r.value for r in Role)
        raise ValidationError(f"unknown role {text!r}; use one of: {valid}") from None


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"password too short: use at least {MIN_PASSWORD_LENGTH} characters"
        )


def find_user(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).first()


def get_user(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise NotFoundError(f"no user {username!r}; see `leadbase users list`")
    return user


def add_user(
    session: Session, username: str, password: str, role: Role, *, actor: Actor
) -> User:
    """Create a user; audited (the hash never enters the audit log).

    Raises:
        ValidationError: bad user name, short password, or the name is taken.
    """
    if not USERNAME_PATTERN.match(username):
        raise ValidationError(
            f"bad user name {username!r}: 2-64 Latin letters, digits or . _ @ -"
        )
    if find_user(session, username) is not None:
        raise ValidationError(f"user {username!r} already exists")
    check_new_password(password)
    user = User(username=username, password_hash=hash_password(password), role=role)
    session.add(user)
    session.flush()
    record(session, actor, "user.add", user, after={"username": username, "role": role})
    return user


def set_role(session: Session, username: str, role: Role, *, actor: Actor) -> User:
    user = get_user(session, username)
    if user.role != role:
        before = {"role": user.role.value}
        _refuse_removing_last_admin(session, user)
        user.role = role
        user.updated_at = utcnow()
        record(
            session, actor, "user.set_role", user, before=before, after={"role": role}
        )
    return user


def set_active(session: Session, username: str, active: bool, *, actor: Actor) -> User:
    user = get_user(session, username)
    if user.is_active != active:
        if not active:
            _refuse_removing_last_admin(session, user)
        user.is_active = active
        user.updated_at = utcnow()
        action = "user.enable" if active else "user.disable"
        record(
            session,
            actor,
            action,
            user,
            before={"is_active": not active},
            after={"is_active": active},
        )
    return user


def set_password(
    session: Session, username: str, password: str, *, actor: Actor
) -> User:
    user = get_user(session, username)
    check_new_password(password)
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.updated_at = utcnow()
    record(session, actor, "user.set_password", user)
    return user


def _refuse_removing_last_admin(session: Session, user: User) -> None:
    # Without an active admin nobody can manage users from the app again.
    if user.role != Role.ADMIN or not user.is_active:
        return
    admins = session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN, User.is_active.is_(True))
    )
    if (admins or 0) <= 1:
        raise ValidationError(
            f"{user.username!r} is the last active admin; make another admin first"
        )


def authenticate(session: Session, username: str, password: str) -> User:
    """Sign a user in; audited either way.

    Raises:
        AuthError: wrong name or password (one message for both, so names cannot be
            probed) or a disabled account.
    """
    user = find_user(session, username)
    if user is None or not verify_password(user.password_hash, password):
        if user is not None:
            user.failed_logins += 1
        record(session, Actor(name=username), "login.failed", user, entity="users")
        raise AuthError("wrong user name or password")
    if not user.is_active:
        record(session, Actor.of(user), "login.refused", user, note="disabled")
        raise AuthError(f"account {username!r} is disabled; ask an admin")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.last_login_at = utcnow()
    record(session, Actor.of(user), "login", user)
    return user


def can(role: Role, permission: str) -> bool:
    return permission in PERMISSIONS[role]


def require(actor: Actor, permission: str) -> None:
    """Raise AuthError unless the actor's role grants `permission`.

    CLI actors (no role) run with the operator's own rights on the database.
    """
    if actor.role is not None and not can(actor.role, permission):
        raise AuthError(
            f"{actor.name} ({actor.role.value}) may not {permission.replace('_', ' ')}"
        )
