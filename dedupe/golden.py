"""Golden records: one value per field chosen from a cluster's records, with provenance.

Survivorship, strongest first: a person's edit (never replaced by a run), a valid
value (the normaliser keeps only readable, checksum-valid values, so any value here
is), the more trusted source, the more recent record, the more frequent value. Phones
and emails are not chosen but unioned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Company column -> records column it is taken from.
GOLDEN_FIELDS: dict[str, str] = {
    "name": "name",
    "legal_form": "legal_form",
    "inn": "inn",
    "ogrn": "ogrn",
    "kpp": "kpp",
    "website": "website",
    "domain": "domain",
    "industry": "industry",
    "okved": "okved",
    "country": "country",
    "region": "region",
    "city": "city",
    "address": "address",
    "postcode": "postcode",
}
NO_NAME = "—"  # a company must have a name; shown when no record had one


@dataclass(frozen=True, slots=True)
class Member:
    """One record of a cluster, with what survivorship needs to know about it."""

    record_id: int
    trust: int  # its source's trust, 0-100
    values: Mapping[str, Any]  # records columns


@dataclass(frozen=True)
class Golden:
    values: dict[str, Any]
    provenance: dict[str, Any]
    phones: dict[str, list[int]]  # E.164 -> record ids
    emails: dict[str, list[int]]
    is_personal_data: bool


def edited_by_person(provenance: Mapping[str, Any], field: str) -> bool:
    entry = provenance.get(field)
    return isinstance(entry, dict) and entry.get("user_id") is not None


def golden_record(
    members: Sequence[Member], current: Mapping[str, Any] | None = None
) -> Golden:
    """Choose every field for a cluster; fields a person edited keep their value.

    Args:
        members: the cluster's records.
        current: the company as it is (values plus "provenance"), or None if new.
    """
    if current is None and len(members) == 1:
        return _lone(members[0])
    provenance_now: Mapping[str, Any] = (current or {}).get("provenance") or {}
    values: dict[str, Any] = {}
    provenance: dict[str, Any] = {}
    for field, column in GOLDEN_FIELDS.items():
        if current is not None and edited_by_person(provenance_now, field):
            values[field] = current.get(field)
            provenance[field] = provenance_now[field]
            continue
        value, sources = _survivor(members, column)
        values[field] = value
        if sources:
            provenance[field] = {"records": sources}
    if not values.get("name"):
        values["name"] = NO_NAME
    for field, entry in provenance_now.items():  # person-only fields (notes, category…)
        if field not in GOLDEN_FIELDS and edited_by_person(provenance_now, field):
            provenance[field] = entry
    return Golden(
        values=values,
        provenance=provenance,
        phones=_union(members, "phones"),
        emails=_union(members, "emails"),
        is_personal_data=any(m.values.get("is_personal_data") for m in members),
    )


def _lone(member: Member) -> Golden:
    """A new company of one record (most of them): its values, nothing to choose."""
    values: dict[str, Any] = {}
    provenance: dict[str, Any] = {}
    record = member.values
    for field, column in GOLDEN_FIELDS.items():
        value = record.get(column)
        if value in (None, ""):
            values[field] = None
        else:
            values[field] = value
            provenance[field] = {"records": [member.record_id]}
    if not values.get("name"):
        values["name"] = NO_NAME
    return Golden(
        values=values,
        provenance=provenance,
        phones=_union((member,), "phones"),
        emails=_union((member,), "emails"),
        is_personal_data=bool(record.get("is_personal_data")),
    )


def _survivor(members: Sequence[Member], column: str) -> tuple[Any, list[int]]:
    present = [m for m in members if m.values.get(column) not in (None, "")]
    if not present:
        return None, []
    if len(present) == 1:  # most clusters: nothing to choose between
        return present[0].values[column], [present[0].record_id]
    # Recency is the record id (later records are newer), which is unique: frequency,
    # last in the order of survivorship, can never decide, so it is not counted.
    best = max(present, key=lambda m: (m.trust, m.record_id))
    value = best.values[column]
    return value, sorted(m.record_id for m in present if m.values[column] == value)


def _union(members: Sequence[Member], column: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for member in sorted(members, key=lambda m: m.record_id):
        for value in member.values.get(column) or ():
            holders = found.setdefault(value, [])
            if not holders or holders[-1] != member.record_id:  # a record counts once
                holders.append(member.record_id)
    return found
