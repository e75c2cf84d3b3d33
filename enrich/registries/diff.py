"""`leadbase registry diff`: new, gone and changed entities between two releases.

Counts come from the first/last-seen releases (see `releases`); changed means the
entity was present in both and its content was stored again by a release after
the first one up to the second. The file lists the entities; sole traders and other
natural persons are personal data (152-FZ) and stay out of it unless asked for.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from enrich.registries.releases import (
    FirstRelease,
    LastRelease,
    count,
    require_release,
    with_seen_dates,
)
from enrich.registries.sources import Register, get_register
from leadbase.audit import Actor, record
from leadbase.errors import ValidationError
from leadbase.exports.cells import safe_cell
from leadbase.models import (
    Export,
    Import,
    RawRecord,
    RegistryEntity,
    RegistryRelease,
    Signal,
)

COLUMNS = (
    "change",
    "register",
    "national_id",
    "name",
    "inn",
    "ogrn",
    "kind",
    "region_code",
    "activity",
    "first_seen",
    "last_seen",
)


@dataclass
class DiffResult:
    register: str
    from_on: date
    to_on: date
    new: int = 0
    gone: int = 0
    changed: int = 0
    written: int = 0
    personal_left_out: int = 0
    out: Path | None = None


def diff_releases(
    session: Session,
    register_name: str,
    from_on: date,
    to_on: date,
    *,
    actor: Actor,
    out: Path | None = None,
    include_personal: bool = False,
) -> DiffResult:
    """Count (and with `out`, list in a CSV file) what changed between releases.

    Raises:
        ValidationError: unknown register, or `from_on` not before `to_on`.
        NotFoundError: no release with one of the dates.
    """
    register = get_register(register_name)
    if from_on >= to_on:
        raise ValidationError(
            f"--from {from_on.isoformat()} must be before --to {to_on.isoformat()}"
        )
    for on in (from_on, to_on):
        require_release(session, register.name, on)
    result = DiffResult(register.name, from_on, to_on)
    parts = _statements(session, register, from_on, to_on)
    result.new, result.gone, result.changed = (count(session, s) for s in parts)
    if out is not None:
        _write(session, register, parts, out, include_personal, result)
        _record_export(session, actor, result, include_personal)
    return result


def _statements(
    session: Session, register: Register, from_on: date, to_on: date
) -> list[Any]:
    base = with_seen_dates(register.name)
    first, last = FirstRelease.released_on, LastRelease.released_on
    new = base.where(first > from_on, first <= to_on, last >= to_on)
    gone = base.where(first <= from_on, last >= from_on, last < to_on)
    # The releases after `from_on` up to `to_on` (a handful), and their imports.
    between = list(
        session.execute(
            select(RegistryRelease.id, Import.id)
            .outerjoin(Import, Import.sha256 == RegistryRelease.sha256)
            .where(
                RegistryRelease.register == register.name,
                RegistryRelease.released_on > from_on,
                RegistryRelease.released_on <= to_on,
            )
        ).all()
    )
    if register.holds_leads:
        # Correlated on the entity only: the file query joins raw_records too.
        stored_again = (
            select(RawRecord.id)
            .where(
                RawRecord.source_key == RegistryEntity.national_id,
                RawRecord.import_id.in_([i for _, i in between if i is not None]),
            )
            .correlate(RegistryEntity)
            .exists()
        )
    else:
        stored_again = (
            select(Signal.id)
            .where(
                Signal.national_id == RegistryEntity.national_id,
                Signal.release_id.in_([r for r, _ in between]),
            )
            .correlate(RegistryEntity)
            .exists()
        )
    changed = base.where(first <= from_on, last >= to_on, stored_again)
    return [new, gone, changed]


def _write(
    session: Session,
    register: Register,
    parts: list[Any],
    out: Path,
    include_personal: bool,
    result: DiffResult,
) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for change, statement in zip(("new", "gone", "changed"), parts, strict=True):
            for row in _rows(session, statement):
                if row.is_personal_data and not include_personal:
                    result.personal_left_out += 1
                    continue
                writer.writerow([safe_cell(v) for v in _line(change, register, row)])
                result.written += 1
    result.out = out


def _rows(session: Session, statement: Any) -> Iterator[Any]:
    statement = (
        statement.add_columns(RawRecord.payload)
        .outerjoin(RawRecord, RegistryEntity.raw_record_id == RawRecord.id)
        .order_by(RegistryEntity.national_id)
        .execution_options(yield_per=1000)
    )
    yield from session.execute(statement)


def _line(change: str, register: Register, row: Any) -> list[Any]:
    payload: dict[str, Any] = row.payload or {}
    activity = payload.get("okved") or next(iter(payload.get("registry_sic", [])), None)
    return [
        change,
        register.name,
        row.national_id,
        payload.get("name"),
        payload.get("inn"),
        payload.get("ogrn"),
        payload.get("registry_kind"),
        payload.get("registry_region_code"),
        activity or payload.get("industry"),
        row.first_on.isoformat(),
        row.last_on.isoformat(),
    ]


def _record_export(
    session: Session, actor: Actor, result: DiffResult, include_personal: bool
) -> None:
    export = Export(
        user_id=actor.user_id,
        actor=actor.name,
        file_format="csv",
        target=str(result.out),
        filters={
            "registry_diff": result.register,
            "from": result.from_on.isoformat(),
            "to": result.to_on.isoformat(),
            "include_personal": include_personal,
        },
        rows=result.written,
    )
    session.add(export)
    session.flush()
    record(session, actor, "registry.diff_export", export, after=dict(export.filters))
