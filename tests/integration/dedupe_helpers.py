"""What the dedupe tests share: a base deduped before its directory records arrive."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dedupe.pipeline import run_dedupe
from leadbase.audit import Actor
from leadbase.models import RawRecord, Source
from leadbase.sample_loader import load_sample


def directory_arrives_later(
    session: Session, companies: int, actor: Actor
) -> list[dict[str, Any]]:
    """Load the sample, take the directory's raw records out, dedupe the rest in a
    full run; returns the directory rows, to be put back as a new batch."""
    load_sample(session, companies, 1, actor=actor)
    directory = list(
        session.scalars(
            select(RawRecord).join(Source).where(Source.name == "sample-directory")
        )
    )
    rows = [
        {c.key: getattr(r, c.key) for c in RawRecord.__table__.columns}
        for r in directory
    ]
    for record in directory:
        session.delete(record)
    session.flush()
    run_dedupe(session, full=True, actor=actor)
    return rows
