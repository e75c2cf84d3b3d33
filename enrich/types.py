"""The shape every validator returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """A validator's verdict: never an exception for bad data.

    Attributes:
        ok: the value passed.
        value: the value in canonical form (None when nothing usable was found).
        reason: why it failed, as a short snake_case code ("bad_checksum"), or None.
    """

    ok: bool
    value: str | None
    reason: str | None = None
