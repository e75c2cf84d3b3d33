"""One raw record's payload normalised into the fields dedupe compares.

The payload is the row exactly as received; `mapping` says which of its columns hold
which field (an import stores it; a crawled item's keys are the field names). Each
field goes through its own normaliser; what could not be read becomes None plus a
flag "<field>:<flag>", and the raw payload stays untouched in `raw_records`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dedupe.normalise.addresses import normalise_city, normalise_postcode, parse_address
from dedupe.normalise.emails import normalise_emails
from dedupe.normalise.names import parse_company_name
from dedupe.normalise.persons import parse_person_name
from dedupe.normalise.phones import normalise_phones
from dedupe.normalise.tax_ids import normalise_kpp, normalise_ogrn, parse_tax_ids
from dedupe.normalise.websites import parse_websites
from leadbase.imports.fields import fields_for_header

Mapping_ = Mapping[str, Sequence[str]]


@dataclass(frozen=True, slots=True)
class NormalisedFields:
    """The comparable fields of one record (the `records` table's columns)."""

    name: str | None
    name_key: str | None
    legal_form: str | None
    inn: str | None
    ogrn: str | None
    kpp: str | None
    website: str | None
    domain: str | None
    phones: tuple[str, ...]
    emails: tuple[str, ...]
    postcode: str | None
    country: str | None
    region: str | None
    city: str | None
    address: str | None
    address_key: str | None
    industry: str | None
    okved: str | None
    persons: tuple[dict[str, str | None], ...]
    is_personal_data: bool
    flags: tuple[str, ...]


def mapping_from_keys(payload: Mapping[str, Any]) -> dict[str, list[str]]:
    """field -> columns for a payload without a stored mapping (crawled items)."""
    mapping: dict[str, list[str]] = {}
    for key in payload:
        for name in fields_for_header(key):
            mapping.setdefault(name, []).append(key)
    return mapping


def _text(payload: Mapping[str, Any], columns: Sequence[str]) -> str | None:
    if len(columns) == 1:  # the usual case, without the lists below
        value = payload.get(columns[0])
        return None if value is None or value == "" else str(value).strip() or None
    # Several columns for one field (two phone columns) are read as one cell.
    parts = [
        str(payload[c]).strip() for c in columns if payload.get(c) not in (None, "")
    ]
    joined = "; ".join(p for p in parts if p)
    return joined or None


def _first(payload: Mapping[str, Any], columns: Sequence[str]) -> str | None:
    for column in columns:
        value = payload.get(column)
        if value not in (None, "") and str(value).strip():
            return str(value).strip()
    return None


def normalise_record(
    payload: Mapping[str, Any], mapping: Mapping_ | None = None, region: str = "RU"
) -> NormalisedFields:
    """Normalise every mapped field of one payload; never raises on its values.

    Args:
        payload: column -> cell, as received.
        mapping: field -> columns; derived from the payload's keys when None.
        region: ISO country for phones and addresses written without one.

    Examples:
        normalise_record({"Наименование": "ООО «Ромашка»", "ИНН": "7707083893"}).inn
        == "7707083893"
    """
    fields = mapping if mapping is not None else mapping_from_keys(payload)
    # Each mapped field's text once: several normalisers read the same cells.
    cells = {name: _text(payload, columns) for name, columns in fields.items()}
    cell = cells.get

    flags: list[str] = []
    name = parse_company_name(_first(payload, fields.get("name", ())))
    flags += [f"name:{f}" for f in name.flags]
    ids = _tax_ids(cell, flags)
    site = next((w for w in parse_websites(cell("website")) if w.domain), None)
    address = parse_address(cell("address"), region)
    flags += [f"address:{f}" for f in address.flags if address.raw]
    persons = _persons(cell("contact_name"), cell("position"))
    persons += _listed_persons(payload.get("persons"))
    sole_trader = name.person is not None or name.legal_form == "ИП"
    return NormalisedFields(
        name=name.display,
        name_key=name.key,
        legal_form=name.legal_form or _first(payload, fields.get("legal_form", ())),
        inn=ids[0],
        ogrn=ids[1],
        kpp=ids[2],
        website=site.url if site else None,
        domain=site.domain if site else None,
        phones=normalise_phones(cell("phone"), region),
        emails=normalise_emails(cell("email")),
        postcode=normalise_postcode(cell("postcode"), region) or address.postcode,
        country=(cell("country") or region or "").upper()[:2] or None,
        region=cell("region") or address.region,
        city=normalise_city(cell("city"), region) or address.city,
        address=address.display,
        address_key=address.key,
        industry=cell("industry"),
        okved=cell("okved"),
        persons=persons,
        is_personal_data=sole_trader
        or bool(persons)
        or payload.get("has_personal_data") is True,
        flags=tuple(flags),
    )


def _tax_ids(cell: Any, flags: list[str]) -> tuple[str | None, str | None, str | None]:
    parsed = parse_tax_ids(cell("inn"))
    flags += [f"inn:{f}" for f in parsed.flags]
    ogrn = parsed.ogrn or parsed.ogrnip or normalise_ogrn(cell("ogrn"))
    kpp = parsed.kpp or normalise_kpp(cell("kpp"))
    return parsed.inn, ogrn, kpp


def _persons(
    names: str | None, position: str | None
) -> tuple[dict[str, str | None], ...]:
    if not names:
        return ()
    person = parse_person_name(names)
    if person.key is None:
        return ()
    return (
        {
            "name": person.display,
            "key": person.key,
            "gender": person.gender,
            "position": position,
        },
    )


def _listed_persons(listed: Any) -> tuple[dict[str, str | None], ...]:
    """People of a crawled item: its `persons` list of {"name", "role"}."""
    if not isinstance(listed, list):
        return ()
    found: list[dict[str, str | None]] = []
    for entry in listed:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        role = entry.get("role")
        found += _persons(entry["name"], role if isinstance(role, str) else None)
    return tuple(found)
