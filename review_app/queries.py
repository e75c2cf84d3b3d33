"""Reads for the review app: plain functions taking a Session, returning plain data.

Lists come back as frozen dataclasses, so pages never lazy-load after the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leadbase.enums import Role, SourceKind
from leadbase.models import RawRecord, Source, User
from leadbase.stats import collect_stats


@dataclass(frozen=True)
class SourceRow:
    name: str
    kind: SourceKind
    trust: int
    raw_records: int


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    role: Role
    is_active: bool
    last_login_at: datetime | None


def active_user(session: Session, user_id: int) -> User | None:
    """The user with this id if they still exist and may sign in, else None.

    Read on every run, so a disabled account or a new role applies at once; the
    row stays readable after the session closes (sessions do not expire on commit).
    """
    user = session.get(User, user_id)
    return user if user is not None and user.is_active else None


def overview_stats(session: Session) -> dict[str, Any]:
    """The same counts as `leadbase stats --json`."""
    return collect_stats(session)


def source_rows(session: Session) -> list[SourceRow]:
    """Every source with its kind, trust and number of raw records, by name."""
    statement = (
        select(Source.name, Source.kind, Source.trust, func.count(RawRecord.id))
        .join(RawRecord, RawRecord.source_id == Source.id, isouter=True)
        .group_by(Source.id, Source.name, Source.kind, Source.trust)
        .order_by(Source.name)
    )
    return [
        SourceRow(name=name, kind=SourceKind(kind), trust=int(trust), raw_records=n)
        for name, kind, trust, n in session.execute(statement)
    ]


def user_rows(session: Session) -> list[UserRow]:
    """All users by name (no password hashes)."""
    users = session.scalars(select(User).order_by(User.username))
    return [
        UserRow(
            id=u.id,
            username=u.username,
            role=u.role,
            is_active=u.is_active,
            last_login_at=u.last_login_at,
        )
        for u in users
    ]
