"""The values passed between a register's parser and the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from leadbase.errors import LeadbaseError

ORGANISATION = "organisation"
SOLE_TRADER = "sole_trader"
FARM_HEAD = "farm_head"
MAX_PROBLEMS_KEPT = 1000  # the rest are counted, so a broken file cannot eat memory


class RegistryFileError(LeadbaseError):
    """Raised by a register's parser when a file as a whole cannot be read (not a
    ZIP, no data member, broken XML, missing columns); nothing is imported."""


@dataclass(frozen=True, slots=True)
class Filters:
    """What to keep while parsing; empty means keep everything.

    `okved` holds activity-code prefixes ("62" keeps "62.01" and "62.09", not
    "620"); for Companies House they match SIC codes, for SIRENE NAF codes.
    """

    okved: tuple[str, ...] = ()
    regions: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    exclude_sole_traders: bool = False

    @property
    def is_empty(self) -> bool:
        return not (
            self.okved or self.regions or self.categories or self.exclude_sole_traders
        )

    def keeps_activity(self, code: str | None) -> bool:
        """Whether an activity code passes --okved (always, without the filter)."""
        if not self.okved:
            return True
        if not code:
            return False
        for prefix in self.okved:
            if code.startswith(prefix):
                rest = code[len(prefix) :]
                # "62" must not match "620" in dotted codes; SIC has no dots.
                if not rest or not rest[0].isdigit() or "." not in code:
                    return True
        return False

    def to_json(self) -> dict[str, Any]:
        return {
            "okved": list(self.okved),
            "regions": sorted(self.regions),
            "categories": sorted(self.categories),
            "exclude_sole_traders": self.exclude_sole_traders,
        }


@dataclass(frozen=True, slots=True)
class SignalValue:
    """One figure about an entity: income, expenses, headcount, a size band."""

    kind: str
    value: Decimal | None = None
    text: str | None = None
    period: str | None = None


@dataclass(slots=True)
class Entity:
    """One subject of a register as read from one release.

    `payload` holds the lead fields under the import field names (`name`, `inn`,
    `okved`...) plus `registry_*` extras; it never holds release-level values (the
    state date), so an unchanged subject hashes the same in every release.
    """

    national_id: str
    kind: str
    payload: dict[str, Any]
    is_new: bool = False
    is_personal_data: bool = False
    signals: tuple[SignalValue, ...] = ()
    row_number: int | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """A value that could not be read; the rest of the row or document was kept
    unless `skipped`."""

    file: str
    row: int
    field: str | None
    reason: str
    skipped: bool = False

    def describe(self) -> str:
        where = f"{self.file}, {'document' if self.file.endswith('.xml') else 'row'}"
        column = f", {self.field}" if self.field else ""
        action = "skipped" if self.skipped else "kept without this value"
        return f"{where} {self.row}{column}: {self.reason} ({action})"


@dataclass
class ParseReport:
    """What a parser saw, filled while it streams."""

    documents: int = 0
    kept: int = 0
    filtered: int = 0
    not_published: int = 0
    not_organisations: int = 0
    release_date: date | None = None
    structure_version: str | None = None
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0

    def problem(
        self,
        file: str,
        row: int,
        field_name: str | None,
        reason: str,
        *,
        skipped: bool = False,
    ) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(Problem(file, row, field_name, reason, skipped))
