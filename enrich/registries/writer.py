"""Writes one release's entities in batches: new ones inserted, changed ones stored
again, unchanged ones only marked as seen. Bulk statements only; no ORM objects per
entity, so memory does not grow with the release."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import BindParameter, bindparam, select, update
from sqlalchemy.orm import Session

from enrich.registries.sources import Register
from enrich.registries.types import Entity
from leadbase.db import bulk_insert_ignoring_conflicts
from leadbase.enums import SuppressionKind
from leadbase.models import (
    Company,
    Import,
    RawRecord,
    RegistryEntity,
    RegistryRelease,
    Signal,
    Source,
    utcnow,
)
from leadbase.raw import RawRow, content_hash, store_raw_records
from leadbase.suppression import suppression_hash

ENTITY_COLUMNS = (
    "register",
    "national_id",
    "first_release_id",
    "last_release_id",
    "raw_record_id",
    "content_hash",
    "is_new",
    "is_personal_data",
)
SIGNAL_COLUMNS = (
    "company_id",
    "national_id",
    "kind",
    "value",
    "text_value",
    "period",
    "release_id",
    "created_at",
)


@dataclass
class WriteCounts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    repeated: int = 0  # the same national id twice in one release: first one kept
    suppressed: int = 0
    raw_stored: int = 0
    signals: int = 0


class EntityWriter:
    """Stores entities of one release, batch by batch."""

    def __init__(
        self,
        session: Session,
        register: Register,
        release: RegistryRelease,
        batch: Import,
        suppressed: frozenset[str],
        salt: str,
    ) -> None:
        self.session = session
        self.register = register
        self.release = release
        self.batch = batch
        self.suppressed = suppressed
        self.salt = salt
        self.counts = WriteCounts()
        self.source = session.get_one(Source, batch.source_id)
        self.dates: dict[int, date] = dict(
            session.execute(
                select(RegistryRelease.id, RegistryRelease.released_on).where(
                    RegistryRelease.register == register.name
                )
            ).all()
        )

    def write(self, chunk: list[Entity]) -> None:
        """Store one batch (a few hundred entities)."""
        entities = self._wanted(chunk)
        if not entities:
            return
        known = self._known([e.national_id for e in entities])
        fresh: list[tuple[Entity, str]] = []
        changed: list[tuple[Entity, str, Any]] = []
        seen: list[Any] = []
        for entity in entities:
            digest = content_hash(entity.payload)
            row = known.get(entity.national_id)
            if row is None:
                fresh.append((entity, digest))
            elif row.last_release_id == self.release.id:
                self.counts.repeated += 1
            elif row.content_hash == digest or self._older(row):
                seen.append(row)
            else:
                changed.append((entity, digest, row))
        raw_ids = self._store_raw([e for e, _ in fresh] + [e for e, _, _ in changed])
        self._insert(fresh, raw_ids)
        self._update(changed, seen, raw_ids)
        self._signals([e for e, _ in fresh] + [e for e, _, _ in changed])
        self.counts.new += len(fresh)
        self.counts.changed += len(changed)
        self.counts.unchanged += len(seen)

    def _wanted(self, chunk: list[Entity]) -> list[Entity]:
        ids: set[str] = set()
        wanted = []
        for entity in chunk:
            if entity.national_id in ids:
                self.counts.repeated += 1
                continue
            ids.add(entity.national_id)
            if self.suppressed and self._is_suppressed(entity.national_id):
                self.counts.suppressed += 1
                continue
            wanted.append(entity)
        return wanted

    def _is_suppressed(self, national_id: str) -> bool:
        digest = suppression_hash(SuppressionKind.INN, national_id, self.salt)
        return digest in self.suppressed

    def _known(self, ids: list[str]) -> dict[str, Any]:
        rows = self.session.execute(
            select(
                RegistryEntity.id,
                RegistryEntity.national_id,
                RegistryEntity.content_hash,
                RegistryEntity.first_release_id,
                RegistryEntity.last_release_id,
            ).where(
                RegistryEntity.register == self.register.name,
                RegistryEntity.national_id.in_(_inline(ids)),
            )
        )
        return {row.national_id: row for row in rows}

    def _older(self, row: Any) -> bool:
        """This release predates the entity's last-seen one (imported out of order):
        its content must not replace the newer content."""
        return self.release.released_on < self.dates[row.last_release_id]

    def _store_raw(self, entities: list[Entity]) -> dict[tuple[str, str], int]:
        if not self.register.holds_leads or not entities:
            return {}
        source = self.batch.source_id
        stored = store_raw_records(
            self.session,
            self.source,
            (
                RawRow(e.payload, source_key=e.national_id, row_number=e.row_number)
                for e in entities
            ),
            import_id=self.batch.id,
        )
        self.counts.raw_stored += stored.stored
        keys = [e.national_id for e in entities]
        rows = self.session.execute(
            select(RawRecord.id, RawRecord.source_key, RawRecord.content_hash).where(
                RawRecord.source_id == source,
                RawRecord.source_key.in_(_inline(keys)),
            )
        )
        return {(key, digest): raw_id for raw_id, key, digest in rows}

    def _insert(
        self, fresh: list[tuple[Entity, str]], raw_ids: dict[tuple[str, str], int]
    ) -> None:
        release = self.release.id
        bulk_insert_ignoring_conflicts(
            self.session,
            RegistryEntity,
            ENTITY_COLUMNS,
            [
                (
                    self.register.name,
                    e.national_id,
                    release,
                    release,
                    raw_ids.get((e.national_id, digest)),
                    digest,
                    e.is_new,
                    e.is_personal_data,
                )
                for e, digest in fresh
            ],
        )

    def _update(
        self,
        changed: list[tuple[Entity, str, Any]],
        seen: list[Any],
        raw_ids: dict[tuple[str, str], int],
    ) -> None:
        values = [
            {
                "id": row.id,
                "content_hash": digest,
                "raw_record_id": raw_ids.get((e.national_id, digest)),
                "last_release_id": self.release.id,
                "is_new": e.is_new,
                "is_personal_data": e.is_personal_data,
            }
            for e, digest, row in changed
        ]
        values += [self._seen(row) for row in seen]
        values = [v for v in values if len(v) > 1]
        if values:
            self.session.execute(update(RegistryEntity), values)

    def _seen(self, row: Any) -> dict[str, Any]:
        on = self.release.released_on
        value: dict[str, Any] = {"id": row.id}
        if on > self.dates[row.last_release_id]:
            value["last_release_id"] = self.release.id
        if on < self.dates[row.first_release_id]:
            value["first_release_id"] = self.release.id
        return value

    def _signals(self, entities: list[Entity]) -> None:
        with_signals = [e for e in entities if e.signals]
        if not with_signals:
            return
        companies = self._companies([e.national_id for e in with_signals])
        now = utcnow().replace(tzinfo=None)
        rows = [
            (
                companies.get(e.national_id),
                e.national_id,
                s.kind,
                # As text: exact on PostgreSQL's numeric and SQLite's NUMERIC alike.
                None if s.value is None else str(s.value),
                s.text,
                s.period,
                self.release.id,
                now,
            )
            for e in with_signals
            for s in e.signals
        ]
        self.counts.signals += bulk_insert_ignoring_conflicts(
            self.session, Signal, SIGNAL_COLUMNS, rows
        )

    def _companies(self, inns: list[str]) -> dict[str, int]:
        """Company ids by INN (head office first), for registers keyed by INN."""
        if not self.register.inn_ids:
            return {}
        rows = self.session.execute(
            select(Company.inn, Company.id)
            .where(Company.inn.in_(_inline(inns)))
            .order_by(Company.head_company_id.is_not(None), Company.id)
        )
        found: dict[str, int] = {}
        for inn, company_id in rows:
            if inn is not None:
                found.setdefault(inn, company_id)
        return found


def _inline(values: list[str]) -> BindParameter[list[str]]:
    """An IN list written into the SQL text. psycopg prepares a statement after a
    few runs, and PostgreSQL then keeps the plan made while the table was still
    empty in this transaction (a sequential scan), so each batch got slower as the
    release grew; a text that differs per batch is planned afresh every time."""
    return bindparam("values", values, expanding=True, literal_execute=True)
