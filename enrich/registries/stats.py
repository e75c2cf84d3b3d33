"""`leadbase registry stats`: releases and entities per register, a stable object."""

from __future__ import annotations

from sqlalchemy import and_, false, func, or_, select, true
from sqlalchemy.orm import Session

from enrich.registries.releases import (
    FirstRelease,
    LastRelease,
    count,
    release_dates,
    with_seen_dates,
)
from enrich.registries.sources import REGISTERS
from leadbase.models import RegistryEntity, RegistryRelease


def registry_stats(session: Session) -> dict[str, dict[str, int]]:
    """{register: {"releases", "entities", "organisations", "sole_traders", "new"}}
    for every known register (zeros when none is imported); keys are only added.

    `new` counts entities present in the register's latest release that are
    flagged new there, or were first seen in it (not counting the very first
    release imported, in which everything is seen for the first time).
    """
    return {name: _one(session, name) for name in REGISTERS}


def _one(session: Session, register: str) -> dict[str, int]:
    releases = session.scalar(
        select(func.count()).where(RegistryRelease.register == register)
    )
    by_person = dict(
        session.execute(
            select(RegistryEntity.is_personal_data, func.count())
            .where(RegistryEntity.register == register)
            .group_by(RegistryEntity.is_personal_data)
        ).all()
    )
    organisations, sole_traders = by_person.get(False, 0), by_person.get(True, 0)
    return {
        "releases": int(releases or 0),
        "entities": organisations + sole_traders,
        "organisations": organisations,
        "sole_traders": sole_traders,
        "new": _new(session, register),
    }


def _new(session: Session, register: str) -> int:
    dates = release_dates(session, register)
    if not dates:
        return 0
    latest, earliest = dates[-1], dates[0]
    first_seen_now = and_(
        FirstRelease.released_on == latest, true() if latest > earliest else false()
    )
    return count(
        session,
        with_seen_dates(register).where(
            LastRelease.released_on == latest,
            or_(RegistryEntity.is_new, first_seen_now),
        ),
    )
