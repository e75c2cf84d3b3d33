"""`leadbase registry import`: one published file becomes one release.

A release is recorded once (by sha256): importing it again adds nothing. Each entity
keeps the releases it was first and last seen in; an entity whose content changed is
stored again (a new raw record, new signals), an unchanged one only moves its
last-seen release. Lead registers store entities as raw records of the source
`registry:<name>` under the import field names, so normalisation and dedupe treat
them like any other lead. The caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from enrich.registries.dates import release_from_name
from enrich.registries.sources import Register, check_filters, get_register
from enrich.registries.types import Entity, Filters, ParseReport, RegistryFileError
from enrich.registries.writer import EntityWriter, WriteCounts
from leadbase.audit import Actor, record
from leadbase.enums import ImportStatus, SourceKind, SuppressionKind
from leadbase.imports.run import file_sha256
from leadbase.models import Import, RegistryRelease, utcnow
from leadbase.raw import ensure_source
from leadbase.suppression import suppressed_hashes

BATCH_SIZE = 500
REGISTRY_TRUST = 80  # official data: names and ids are right, contacts absent


@dataclass
class ImportSummary:
    """What the CLI prints after `leadbase registry import`."""

    register: str
    path: Path
    sha256: str
    already: RegistryRelease | None = None
    release_id: int | None = None
    released_on: date | None = None
    structure_version: str | None = None
    report: ParseReport = field(default_factory=ParseReport)
    counts: WriteCounts = field(default_factory=WriteCounts)


def import_release(
    session: Session,
    register_name: str,
    path: Path,
    *,
    actor: Actor,
    filters: Filters | None = None,
    release_date: date | None = None,
    suppression_salt: str = "",
) -> ImportSummary:
    """Import one release file of a register.

    Args:
        register_name: rmsp, revexp, sshr2019, ch-basic or sirene-ul.
        path: the file as published (ZIP or one data file).
        filters: applied while parsing; recorded with the release.
        release_date: overrides the date read from the file name or the data.
        suppression_salt: the salt of the suppression list's hashes.

    Raises:
        RegistryFileError: the file cannot be read, or its release date is unknown.
        ValidationError: unknown register, or filters it cannot apply.
    """
    register = get_register(register_name)
    filters = filters or Filters()
    check_filters(register, filters)
    summary = ImportSummary(register.name, path, file_sha256(path))
    summary.already = session.scalars(
        select(RegistryRelease).where(RegistryRelease.sha256 == summary.sha256)
    ).first()
    if summary.already is not None:
        return summary
    report = summary.report
    named_date, structure_date = release_from_name(path.name)
    report.release_date = release_date or named_date
    if report.release_date is None and register.name in ("ch-basic", "sirene-ul"):
        raise RegistryFileError(
            f"{path}: no release date in the file name; pass --release-date YYYY-MM-DD"
        )
    entities = register.parse(path, filters, report)
    # The first batch is read before the release row exists: ФНС files carry
    # their date in the first document when the file name does not.
    first = list(islice(entities, BATCH_SIZE))
    if report.release_date is None:
        raise RegistryFileError(
            f"{path}: cannot tell the release date (not in the file name nor the "
            "data); pass --release-date YYYY-MM-DD"
        )
    release, batch = _start(session, register, summary, structure_date, filters, actor)
    hashes = suppressed_hashes(session, SuppressionKind.INN)
    writer = EntityWriter(session, register, release, batch, hashes, suppression_salt)
    for chunk in _chunks(first, entities):
        writer.write(chunk)
    summary.counts = writer.counts
    _finish(session, summary, release, batch, actor)
    return summary


def _chunks(first: list[Entity], rest: Iterable[Entity]) -> Iterator[list[Entity]]:
    if first:
        yield first
    iterator = iter(rest)
    while chunk := list(islice(iterator, BATCH_SIZE)):
        yield chunk


def _start(
    session: Session,
    register: Register,
    summary: ImportSummary,
    structure_date: date | None,
    filters: Filters,
    actor: Actor,
) -> tuple[RegistryRelease, Import]:
    report = summary.report
    released_on = report.release_date
    assert released_on is not None
    source = ensure_source(
        session,
        register.source_name,
        SourceKind.REGISTRY,
        actor=actor,
        trust=REGISTRY_TRUST,
        url=register.passport,
        legal_basis=register.licence,
        notes=register.title,
    )
    parts = [report.structure_version, structure_date and structure_date.isoformat()]
    structure = " / ".join(p for p in parts if p) or None
    batch = Import(
        source_id=source.id,
        file_name=summary.path.name,
        sha256=summary.sha256,
        file_format=register.name,
        options={
            "register": register.name,
            "released_on": released_on.isoformat(),
            "filters": filters.to_json(),
        },
        created_by_id=actor.user_id,
    )
    release = RegistryRelease(
        register=register.name,
        released_on=released_on,
        structure_version=structure,
        file_name=summary.path.name,
        sha256=summary.sha256,
        source_id=source.id,
        imported_by_id=actor.user_id,
    )
    session.add_all([batch, release])
    session.flush()
    summary.release_id, summary.released_on = release.id, released_on
    summary.structure_version = structure
    return release, batch


def _finish(
    session: Session,
    summary: ImportSummary,
    release: RegistryRelease,
    batch: Import,
    actor: Actor,
) -> None:
    report, counts = summary.report, summary.counts
    if release.structure_version is None and report.structure_version:
        release.structure_version = report.structure_version
        summary.structure_version = report.structure_version
    release.rows = report.kept
    batch.status = ImportStatus.DONE
    batch.finished_at = utcnow()
    batch.rows_read = report.documents
    batch.rows_imported = counts.raw_stored
    batch.rows_known = counts.unchanged
    batch.rows_duplicate = counts.repeated
    record(
        session,
        actor,
        "registry.import",
        release,
        after={
            "register": release.register,
            "released_on": release.released_on.isoformat(),
            "sha256": release.sha256,
            "documents": report.documents,
            "kept": report.kept,
            "new": counts.new,
            "changed": counts.changed,
            "suppressed": counts.suppressed,
        },
    )
