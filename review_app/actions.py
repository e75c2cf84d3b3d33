"""Writes for the review app: plain functions taking a Session and the acting user.

Every action checks the actor's permission itself, whatever the page showed, and
goes through `leadbase.auth`, so each change lands in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy.orm import Session

from leadbase import auth
from leadbase.audit import Actor, record
from leadbase.enums import Role
from leadbase.errors import AuthError, ValidationError
from leadbase.models import User


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: a user id, or why it was refused."""

    user_id: int | None
    refused: Literal["failed", "disabled"] | None = None


def sign_in(session: Session, username: str, password: str) -> SignIn:
    """Check the password; the attempt is audited either way (commit the session)."""
    try:
        user = auth.authenticate(session, username, password)
    except AuthError:
        return SignIn(user_id=None, refused=_refusal(session, username, password))
    return SignIn(user_id=user.id)


def _refusal(
    session: Session, username: str, password: str
) -> Literal["failed", "disabled"]:
    # Say "disabled" only to someone who knows the password, as `authenticate` does,
    # so the message never reveals which user names exist.
    user = auth.find_user(session, username)
    if (
        user is not None
        and not user.is_active
        and auth.verify_password(user.password_hash, password)
    ):
        return "disabled"
    return "failed"


def sign_out(session: Session, user: User) -> None:
    record(session, Actor.of(user), "logout", user)


def add_user(
    session: Session, actor: Actor, username: str, password: str, role: Role
) -> User:
    """Create a user as `actor` (an admin).

    Raises:
        AuthError: the actor is not an admin.
        ValidationError: bad name, short password, or the name is taken.
    """
    auth.require(actor, "admin")
    return auth.add_user(session, username, password, role, actor=actor)


def update_user(
    session: Session, actor: Actor, username: str, role: Role, active: bool
) -> bool:
    """Set a user's role and whether they may sign in; True when anything changed.

    Raises:
        AuthError: the actor is not an admin.
        ValidationError: admins changing themselves, or the last active admin lost.
        NotFoundError: no such user.
    """
    auth.require(actor, "admin")
    user = auth.get_user(session, username)
    before = (user.role, user.is_active)
    if before == (role, active):
        return False
    if user.id == actor.user_id:
        # An admin who demotes or disables themselves locks themselves out mid-task.
        raise ValidationError("change your own role or access from another admin")
    auth.set_role(session, username, role, actor=actor)
    auth.set_active(session, username, active, actor=actor)
    return True
