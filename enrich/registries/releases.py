"""Which releases of a register exist, and when each entity was present.

An entity is taken to be present in every release from its first-seen to its
last-seen one: the schema keeps those two, not every release in between, so a
subject that left the register and came back looks present throughout.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from leadbase.errors import NotFoundError
from leadbase.models import RegistryEntity, RegistryRelease

FirstRelease = aliased(RegistryRelease, name="first_release")
LastRelease = aliased(RegistryRelease, name="last_release")


def release_dates(session: Session, register: str) -> list[date]:
    """The register's release dates, oldest first (several files may share one)."""
    return list(
        session.scalars(
            select(RegistryRelease.released_on)
            .where(RegistryRelease.register == register)
            .distinct()
            .order_by(RegistryRelease.released_on)
        )
    )


def require_release(session: Session, register: str, on: date) -> None:
    """Raises NotFoundError, listing the known dates, when no release has that date."""
    dates = release_dates(session, register)
    if on not in dates:
        known = ", ".join(d.isoformat() for d in dates) or "none imported yet"
        raise NotFoundError(
            f"no {register} release dated {on.isoformat()}; known releases: {known}"
        )


def with_seen_dates(register: str) -> Any:
    """A select of entities with `first_on` and `last_on`, the dates of the
    releases they were first and last seen in."""
    return (
        select(
            RegistryEntity.id,
            RegistryEntity.national_id,
            RegistryEntity.is_new,
            RegistryEntity.is_personal_data,
            RegistryEntity.raw_record_id,
            FirstRelease.released_on.label("first_on"),
            LastRelease.released_on.label("last_on"),
        )
        .join(FirstRelease, RegistryEntity.first_release_id == FirstRelease.id)
        .join(LastRelease, RegistryEntity.last_release_id == LastRelease.id)
        .where(RegistryEntity.register == register)
    )


def count(session: Session, statement: Any) -> int:
    return int(
        session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    )
