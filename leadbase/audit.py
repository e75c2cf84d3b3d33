"""The audit trail and the stale-edit check that every write by a person goes through.

`apply_edit` is the one way to change a versioned row on a person's behalf: it refuses
an edit made on an old version (naming who changed it and when), applies the change,
and appends an `AuditLog` row with the values before and after.
"""

from __future__ import annotations

import getpass
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from leadbase.enums import Role
from leadbase.errors import StaleEditError, ValidationError
from leadbase.models import AuditLog, Base, User, utcnow

# Columns a person never sets directly through an edit.
PROTECTED_COLUMNS = frozenset(
    {
        "id",
        "version",
        "created_at",
        "updated_at",
        "updated_by_id",
        "password_hash",
        "provenance",  # set by the edit itself: see `apply_edit`
    }
)


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, or the operator of a CLI command."""

    name: str
    user_id: int | None = None
    role: Role | None = None

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(name=user.username, user_id=user.id, role=user.role)

    @classmethod
    def cli(cls) -> Actor:
        """The person at the terminal, known by their OS account."""
        return cls(name=f"cli:{getpass.getuser()}")


def to_json(value: Any) -> Any:
    """A column value as JSON: dates as ISO text, decimals as text, enums by value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(row: Base, columns: set[str] | None = None) -> dict[str, Any]:
    """The row's column values (all, or the named ones) as a JSON-safe dict."""
    mapper = inspect(type(row))
    names = [c.key for c in mapper.column_attrs]
    return {
        name: to_json(getattr(row, name))
        for name in names
        if columns is None or name in columns
    }


def record(
    session: Session,
    actor: Actor,
    action: str,
    row: Base | None = None,
    *,
    entity: str | None = None,
    entity_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str | None = None,
) -> AuditLog:
    """Append one audit entry. `row` gives the entity and id unless they are passed.

    Examples:
        record(session, actor, "user.add", user, after={"role": "reviewer"})
    """
    if row is not None:
        entity = entity or row.__tablename__
        entity_id = entity_id if entity_id is not None else getattr(row, "id", None)
    entry = AuditLog(
        at=utcnow(),
        user_id=actor.user_id,
        actor=actor.name,
        action=action,
        entity=entity or "-",
        entity_id=entity_id,
        before=before,
        after=after,
        note=note,
    )
    session.add(entry)
    return entry


def _person_mark(actor: Actor, entity: str) -> dict[str, Any]:
    """A field's provenance when a person set its value: who and when.

    Raises:
        ValidationError: the actor is not a signed-in user. Runs tell a person's
            value from theirs by its user id, so an edit without one could be
            overwritten by the next run.
    """
    if actor.user_id is None:
        raise ValidationError(
            f"{actor.name} cannot edit {entity}: a person's values are marked with "
            "their user id, so that dedupe runs and undo keep them; edit it as a "
            "signed-in user"
        )
    return {"user_id": actor.user_id, "at": utcnow().isoformat()}


def _stale_error(session: Session, row: Base) -> StaleEditError:
    user_id = getattr(row, "updated_by_id", None)
    user = session.get(User, user_id) if user_id else None
    return StaleEditError(
        entity=row.__tablename__,
        entity_id=int(getattr(row, "id", 0)),
        changed_by=user.username if user else "another process",
        changed_at=getattr(row, "updated_at", None),
        current_version=int(getattr(row, "version", 0)),
    )


def apply_edit(
    session: Session,
    row: Base,
    changes: Mapping[str, Any],
    *,
    actor: Actor,
    expected_version: int,
    action: str | None = None,
) -> AuditLog | None:
    """Change `row` as a person asked, if they saw its current version.

    Args:
        session: the open session holding `row`.
        row: a model instance with a `version` column.
        changes: column name -> new value; unchanged values are ignored.
        actor: who edits.
        expected_version: the version the person's form was built from.
        action: audit action name, default "<table>.edit".

    Returns:
        The audit entry, or None when nothing actually changed.

    Raises:
        StaleEditError: someone saved a newer version first. On a lost race at
            flush time the session is rolled back so it can show the new values.
        ValidationError: an unknown or protected column was named.
    """
    mapper = inspect(type(row))
    editable = {c.key for c in mapper.column_attrs} - PROTECTED_COLUMNS
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise ValidationError(
            f"cannot edit {', '.join(unknown)} of {row.__tablename__}; "
            f"editable: {', '.join(sorted(editable))}"
        )
    if getattr(row, "version") != expected_version:  # noqa: B009 - mypy: Base has none
        raise _stale_error(session, row)
    changed = {k: v for k, v in changes.items() if getattr(row, k) != v}
    if not changed:
        return None
    # Rows with provenance (golden records, contacts) say who set each value:
    # survivorship and undo keep a person's values over what runs choose.
    mark = (
        _person_mark(actor, row.__tablename__) if hasattr(row, "provenance") else None
    )
    before = snapshot(row, set(changed))
    for key, value in changed.items():
        setattr(row, key, value)
    if mark is not None:
        provenance = getattr(row, "provenance") or {}  # noqa: B009
        marks = dict.fromkeys(changed, mark)  # one provenance per field
        setattr(row, "provenance", {**provenance, **marks})  # noqa: B010
    if hasattr(row, "updated_at"):
        setattr(row, "updated_at", utcnow())  # noqa: B010 - not on every model
        setattr(row, "updated_by_id", actor.user_id)  # noqa: B010
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        fresh = session.get(type(row), getattr(row, "id"))  # noqa: B009
        raise _stale_error(session, fresh if fresh is not None else row) from None
    return record(
        session,
        actor,
        action or f"{row.__tablename__}.edit",
        row,
        before=before,
        after=snapshot(row, set(changed)),
    )
