"""List sources and take one out again: its raw records and what came only from them.

Removal is the undo of an import: raw records, their normalised records, pairs and
review decisions about them, the source's imports and quarantine, and companies built
only from its records go; companies a person has edited, or that other sources also
feed, stay (the latter are rebuilt by the next `leadbase dedupe`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session, aliased

from leadbase.audit import Actor, record
from leadbase.errors import NotFoundError
from leadbase.models import (
    BlockingKey,
    Company,
    Contact,
    Import,
    NormalisedRecord,
    QuarantinedRow,
    RawRecord,
    Source,
)


@dataclass(frozen=True)
class Removal:
    raw_records: int
    imports: int
    companies_removed: int
    companies_kept_edited: int
    companies_to_rebuild: int


def list_sources(session: Session) -> list[dict[str, Any]]:
    """Every source with its kind, trust, provenance and counts."""
    raw_counts = dict(
        session.execute(
            select(RawRecord.source_id, func.count()).group_by(RawRecord.source_id)
        ).all()
    )
    imports = dict(
        session.execute(
            select(Import.source_id, func.count()).group_by(Import.source_id)
        ).all()
    )
    return [
        {
            "name": s.name,
            "kind": s.kind.value,
            "trust": s.trust,
            "vendor": s.vendor,
            "terms": s.terms,
            "raw_records": int(raw_counts.get(s.id, 0)),
            "imports": int(imports.get(s.id, 0)),
            "created_at": s.created_at.isoformat(),
        }
        for s in session.scalars(select(Source).order_by(Source.name))
    ]


def get_source(session: Session, name: str) -> Source:
    source = session.scalars(select(Source).where(Source.name == name)).first()
    if source is None:
        known = ", ".join(session.scalars(select(Source.name).order_by(Source.name)))
        raise NotFoundError(f"no source {name!r}; sources: {known or '(none)'}")
    return source


def _companies_of(source_id: int, only: bool) -> Any:
    mine = aliased(NormalisedRecord)
    mine_raw = aliased(RawRecord)
    other = aliased(NormalisedRecord)
    other_raw = aliased(RawRecord)
    has_mine = exists().where(
        mine.company_id == Company.id,
        mine_raw.id == mine.raw_record_id,
        mine_raw.source_id == source_id,
    )
    has_other = exists().where(
        other.company_id == Company.id,
        other_raw.id == other.raw_record_id,
        other_raw.source_id != source_id,
    )
    return select(Company.id).where(has_mine, ~has_other if only else has_other)


def remove_source(session: Session, name: str, *, actor: Actor) -> Removal:
    """Delete a source and everything derived only from it; audited."""
    source = get_source(session, name)
    only_mine = list(session.scalars(_companies_of(source.id, only=True)))
    edited = list(
        session.scalars(
            select(Company.id).where(
                Company.id.in_(only_mine), Company.updated_by_id.is_not(None)
            )
        )
    )
    doomed = sorted(set(only_mine) - set(edited))
    rebuild = len(list(session.scalars(_companies_of(source.id, only=False))))
    raw_ids = select(RawRecord.id).where(RawRecord.source_id == source.id)
    import_ids = select(Import.id).where(Import.source_id == source.id)
    counts = Removal(
        raw_records=int(
            session.scalar(select(func.count()).select_from(raw_ids.subquery())) or 0
        ),
        imports=int(
            session.scalar(select(func.count()).select_from(import_ids.subquery())) or 0
        ),
        companies_removed=len(doomed),
        companies_kept_edited=len(edited),
        companies_to_rebuild=rebuild,
    )
    if doomed:
        session.execute(
            delete(Contact).where(
                Contact.company_id.in_(doomed), Contact.updated_by_id.is_(None)
            )
        )
        session.execute(delete(Company).where(Company.id.in_(doomed)))
    # Normalised records, pairs and decisions go by ON DELETE CASCADE; blocking keys
    # (derived rows without a foreign key) are deleted here.
    session.execute(delete(BlockingKey).where(BlockingKey.record_id.in_(raw_ids)))
    session.execute(delete(RawRecord).where(RawRecord.source_id == source.id))
    session.execute(
        delete(QuarantinedRow).where(QuarantinedRow.import_id.in_(import_ids))
    )
    session.execute(delete(Import).where(Import.source_id == source.id))
    record(
        session,
        actor,
        "source.remove",
        source,
        before={
            "name": source.name,
            "kind": source.kind.value,
            "vendor": source.vendor,
        },
        after=asdict(counts),
    )
    session.delete(source)
    session.flush()
    return counts
