"""The suppression list: salted hashes of erased phones, emails and national ids.

A value is suppressed when HMAC-SHA256(salt, "<kind>:<value>") is stored in
`suppressions`; importers check every incoming value against the list so that an
erased person is never imported again. Values are compared as given (callers pass
them normalised: digits-only INN, E.164 phone, lower-cased email).
"""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbase.enums import SuppressionKind
from leadbase.models import Suppression


def suppression_hash(kind: SuppressionKind, value: str, salt: str) -> str:
    """The stored hash of one value.

    Examples:
        len(suppression_hash(SuppressionKind.INN, "7707083893", "salt")) == 64
    """
    message = f"{kind.value}:{value.strip()}".encode()
    return hmac.new(salt.encode(), message, hashlib.sha256).hexdigest()


def suppressed_hashes(session: Session, kind: SuppressionKind) -> frozenset[str]:
    """Every stored hash of that kind (the list is small: erased people only)."""
    return frozenset(
        session.scalars(select(Suppression.value_hash).where(Suppression.kind == kind))
    )


class SuppressionList:
    """The whole list, loaded once, checking values of every kind.

    Examples:
        SuppressionList.load(session, salt).has(SuppressionKind.EMAIL, "a@x.ru")
    """

    def __init__(
        self, hashes: dict[SuppressionKind, frozenset[str]], salt: str
    ) -> None:
        self.hashes = hashes
        self.salt = salt

    @classmethod
    def load(cls, session: Session, salt: str) -> SuppressionList:
        """Every stored hash, by kind."""
        return cls(
            {kind: suppressed_hashes(session, kind) for kind in SuppressionKind}, salt
        )

    def __bool__(self) -> bool:
        return any(self.hashes.values())

    def has(self, kind: SuppressionKind, value: str) -> bool:
        """Whether the (normalised) value is suppressed."""
        hashes = self.hashes.get(kind)
        if not hashes:
            return False
        return suppression_hash(kind, value, self.salt) in hashes
