"""The review queue: pending pairs, the one a label would teach most first."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbase.enums import PairStatus
from leadbase.models import CandidatePair


def review_queue(session: Session, limit: int = 50) -> list[CandidatePair]:
    """Pending pairs by priority (dedupe.active), then score, then id."""
    return list(
        session.scalars(
            select(CandidatePair)
            .where(CandidatePair.status == PairStatus.PENDING)
            .order_by(
                CandidatePair.priority.desc(),
                CandidatePair.score.desc(),
                CandidatePair.id,
            )
            .limit(limit)
        )
    )
