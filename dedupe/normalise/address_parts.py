"""The parts of one address, filled from the events of its segments."""

from __future__ import annotations

from dataclasses import dataclass, field

from dedupe.normalise.address_scan import Event, read_segment
from dedupe.normalise.places import fold
from dedupe.normalise.postcodes import normalise_postcode

_SIX_DIGIT_COUNTRIES = frozenset({"RU", "BY", "KZ", "KG", "UZ", "TJ", "TM"})


@dataclass(slots=True)
class Parts:
    """The parts found so far in one address (mutable, per call)."""

    country: str
    postcode: str | None = None
    region: str | None = None
    district: str | None = None
    city: str | None = None
    city_label: str = "г."
    street_kind: str | None = None
    street_name: str | None = None
    street_marked: bool = False
    house: str | None = None
    buildings: list[tuple[str, str]] = field(default_factory=list)
    office: str | None = None
    rest: list[str] = field(default_factory=list)


def _city(parts: Parts, label: str, name: str) -> None:
    if parts.city is None:
        parts.city, parts.city_label = name, label
    elif fold(name) != fold(parts.city):
        parts.rest.append(f"{label} {name}")


def _street(parts: Parts, label: str, name: str) -> None:
    # An unmarked street is a guess; a marked one ("ул. ...") replaces it, as a
    # street replaces the microdistrict it lies in ("мкр Сходня, ул. Мира").
    weaker = not parts.street_marked or parts.street_kind == "мкр"
    if parts.street_name is None or (label and label != "мкр" and weaker):
        if parts.street_name is not None:
            kind = parts.street_kind
            parts.rest.append(
                f"{kind} {parts.street_name}" if kind else parts.street_name
            )
        parts.street_kind, parts.street_name = label or None, name
        parts.street_marked = bool(label)
    else:
        parts.rest.append(f"{label} {name}" if label else name)


def _number(parts: Parts, part: str, label: str, value: str) -> None:
    if part == "house" and parts.house is None:
        parts.house = value
    elif part == "building":
        parts.buildings.append((label, value))
    elif part == "office" and parts.office is None:
        parts.office = value
    elif part != "floor":
        parts.rest.append(f"{label} {value}")


def _bare(parts: Parts, number: str) -> None:
    if parts.postcode is None and parts.country in _SIX_DIGIT_COUNTRIES:
        postcode = normalise_postcode(number, parts.country)
        if postcode and len(number) == 6:
            parts.postcode = postcode
            return
    if parts.house is None:
        parts.house = number
    else:
        parts.rest.append(number)


def _apply(parts: Parts, event: Event) -> None:
    kind = event[0]
    if kind == "city":
        _city(parts, event[1], event[2])
    elif kind == "street":
        _street(parts, event[1], event[2])
    elif kind == "number":
        _number(parts, event[1], event[2], event[3])
    elif kind == "bare":
        _bare(parts, event[1])
    elif kind == "rest":
        parts.rest.append(event[1])
    elif kind == "region":
        if parts.region is None and event[1]:
            parts.region = event[1]
        elif not event[1] or fold(event[1]) != fold(parts.region or ""):
            parts.rest.append(event[2])
    elif parts.district is None:
        parts.district = event[1]
    else:
        parts.rest.append(event[1])


# Segment -> events per country, in front of read_segment's own cache: a plain
# dict answers the usual hit ("г. Москва", "д. 5") in half the time of an
# lru_cache, which keeps its entries in order. Emptied when full.
_SEEN: dict[str, dict[str, tuple[Event, ...]]] = {}
_SEEN_MAX = 1 << 17


def read_events(segments: list[str], country: str) -> tuple[Event, ...]:
    """Return the events of an address's comma-separated segments, in order."""
    seen = _SEEN.get(country)
    if seen is None or len(seen) >= _SEEN_MAX:
        seen = _SEEN[country] = {}
    events: list[Event] = []
    for segment in segments:
        found = seen.get(segment)
        if found is None:
            found = seen[segment] = read_segment(segment, country)
        events += found
    return tuple(events)


def read_parts(events: tuple[Event, ...], country: str) -> Parts:
    """Fill the parts of one address from its events."""
    parts = Parts(country)
    for event in events:
        _apply(parts, event)
    return parts
