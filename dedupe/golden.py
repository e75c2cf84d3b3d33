"""Golden records: one value per field chosen from a cluster's records, with provenance.

Survivorship, strongest first: a person's edit (never replaced by a run), a valid
value (the normaliser keeps only readable, checksum-valid values, so any value here
is), the more trusted source, the more recent record, the more frequent value. Phones
and emails are not chosen but unioned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

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
_NAME = list(GOLDEN_FIELDS).index("name")
_pick = itemgetter(*GOLDEN_FIELDS.values())


class Member(NamedTuple):
    """One record of a cluster, with what survivorship needs to know about it.

    A named tuple: a first run makes one per record, a million of them.
    """

    record_id: int
    trust: int  # its source's trust, 0-100
    values: Mapping[str, Any]  # records columns


class Golden(NamedTuple):
    """A cluster's company as survivorship chose it."""

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
    if current is None:
        return _dressed(choose(members))
    provenance_now: Mapping[str, Any] = current.get("provenance") or {}
    values: dict[str, Any] = {}
    provenance: dict[str, Any] = {}
    for field, column in GOLDEN_FIELDS.items():
        if edited_by_person(provenance_now, field):
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


class Choice(NamedTuple):
    """A new company's golden record in plain form, before it becomes dicts or rows.

    Which records hold each chosen value is a bit mask over `record_ids`: bit i set
    when `record_ids[i]` holds it, 0 when no record has a value. Clusters of the
    same size and masks have provenance of one shape (the bulk writer renders it
    from one template).
    """

    values: tuple[Any, ...]  # in GOLDEN_FIELDS order; the name is never empty
    masks: tuple[int, ...]  # in GOLDEN_FIELDS order
    record_ids: list[int]  # ascending
    phones: dict[str, list[int]]  # E.164 -> record ids
    emails: dict[str, list[int]]
    is_personal_data: bool

    def sources(self, mask: int) -> list[int]:
        """The record ids a mask stands for."""
        return [rid for i, rid in enumerate(self.record_ids) if mask >> i & 1]


def choose(members: Sequence[Member]) -> Choice:
    """The golden record of a cluster no company holds yet: `_survivor`'s choice.

    Each member's fields are read once, as a tuple. A field's value is the first
    present one in survivorship order, its sources the records holding that value
    (usually all of them: records of one company mostly agree).
    """
    if len(members) == 1:
        return _lone(members[0])
    by_id = sorted(members, key=_record_id)
    everyone = (1 << len(by_id)) - 1
    columns = zip(*(_golden_values(m.values) for m in by_id), strict=True)
    ranked = sorted(range(len(by_id)), key=lambda i: _rank(by_id[i]), reverse=True)
    values: list[Any] = []
    masks: list[int] = []
    for column in columns:
        for i in ranked:
            value = column[i]
            if value:  # golden fields are text: present means not None, not ""
                break
        else:
            values.append(None)
            masks.append(0)
            continue
        values.append(value)
        if column.count(value) == len(column):
            masks.append(everyone)
        else:
            masks.append(sum(1 << i for i, v in enumerate(column) if v == value))
    if not values[_NAME]:
        values[_NAME] = NO_NAME
    return Choice(
        values=tuple(values),
        masks=tuple(masks),
        record_ids=[m.record_id for m in by_id],
        phones=_union(by_id, "phones", ordered=True),
        emails=_union(by_id, "emails", ordered=True),
        is_personal_data=any(m.values.get("is_personal_data") for m in members),
    )


def _lone(member: Member) -> Choice:
    """A new company of one record (most of them): its values, nothing to choose."""
    record = member.values
    ids = [member.record_id]
    values, masks = lone_values(record)
    return Choice(
        values=values,
        masks=masks,
        record_ids=ids,
        phones=dict.fromkeys(record.get("phones") or (), ids),
        emails=dict.fromkeys(record.get("emails") or (), ids),
        is_personal_data=bool(record.get("is_personal_data")),
    )


def lone_values(record: Mapping[str, Any]) -> tuple[tuple[Any, ...], tuple[int, ...]]:
    """The golden values and masks of a company of this one record: its own values
    (empty ones None, the name never empty), mask 1 (True) where it has one."""
    values = _golden_values(record)
    if "" in values:
        values = tuple(value or None for value in values)
    masks = tuple(map(bool, values))
    if not values[_NAME]:
        values = (*values[:_NAME], NO_NAME, *values[_NAME + 1 :])
    return values, masks


def _dressed(choice: Choice) -> Golden:
    """A choice as the dicts of a Golden (fresh lists: nothing shared)."""
    return Golden(
        values=dict(zip(GOLDEN_FIELDS, choice.values, strict=True)),
        provenance={
            field: {"records": choice.sources(mask)}
            for field, mask in zip(GOLDEN_FIELDS, choice.masks, strict=True)
            if mask
        },
        phones={value: list(ids) for value, ids in choice.phones.items()},
        emails={value: list(ids) for value, ids in choice.emails.items()},
        is_personal_data=choice.is_personal_data,
    )


def _golden_values(record: Mapping[str, Any]) -> tuple[Any, ...]:
    """The record's golden-field columns, in GOLDEN_FIELDS order."""
    try:
        values: tuple[Any, ...] = _pick(record)
    except KeyError:  # a record without some columns (hand-made members)
        return tuple(record.get(column) for column in GOLDEN_FIELDS.values())
    return values


def _record_id(member: Member) -> int:
    return member.record_id


def _rank(member: Member) -> tuple[int, int]:
    return member.trust, member.record_id


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


def _union(
    members: Sequence[Member], column: str, *, ordered: bool = False
) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for member in members if ordered else sorted(members, key=_record_id):
        for value in member.values.get(column) or ():
            holders = found.setdefault(value, [])
            if not holders or holders[-1] != member.record_id:  # a record counts once
                holders.append(member.record_id)
    return found
