"""One raw record's payload normalised into the fields dedupe compares.

The payload is the row exactly as received; `mapping` says which of its columns hold
which field (an import stores it; a crawled item's keys are the field names). Each
field goes through its own normaliser; what could not be read becomes None plus a
flag "<field>:<flag>", and the raw payload stays untouched in `raw_records`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from dedupe.normalise.addresses import (
    AddressParse,
    normalise_city,
    normalise_postcode,
    parse_address,
)
from dedupe.normalise.emails import normalise_emails
from dedupe.normalise.names import CompanyNameParse, parse_company_name
from dedupe.normalise.persons import parse_person_name
from dedupe.normalise.phones import normalise_phones
from dedupe.normalise.tax_ids import (
    TaxIdParse,
    normalise_kpp,
    normalise_ogrn,
    parse_tax_ids,
)
from dedupe.normalise.websites import first_site
from leadbase.imports.fields import fields_for_header

Mapping_ = Mapping[str, Sequence[str]]


class NormalisedFields(NamedTuple):
    """The comparable fields of one record (the `records` table's columns).

    A named tuple: one is made per record, and sent between processes as a tuple.
    """

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
    return normalise_records([(payload, mapping)], region)[0]


def normalise_records(
    items: Iterable[tuple[Mapping[str, Any], Mapping_ | None]], region: str = "RU"
) -> list[NormalisedFields]:
    """Normalise (payload, mapping) pairs as normalise_record does, field by field.

    Each normaliser runs over every row before the next one starts: its code and
    its caches stay hot in the processor, which takes a third less time than
    calling every normaliser row by row (bench/RESULTS.md). The results are the
    same: normalisers are pure.
    """
    rows = [_cells(payload, mapping) for payload, mapping in items]
    cells = [row[2] for row in rows]
    names = [parse_company_name(_first(p, f.get("name", ()))) for p, f, _ in rows]
    taxes = [parse_tax_ids(c.get("inn")) for c in cells]
    ogrns = [
        t.ogrn or t.ogrnip or normalise_ogrn(c.get("ogrn"))
        for t, c in zip(taxes, cells, strict=True)
    ]
    kpps = [
        t.kpp or normalise_kpp(c.get("kpp")) for t, c in zip(taxes, cells, strict=True)
    ]
    sites = [first_site(c.get("website")) for c in cells]
    addresses = [parse_address(c.get("address"), region) for c in cells]
    persons = [
        _persons(c.get("contact_name"), c.get("position"))
        + _listed_persons(p.get("persons"))
        for p, _, c in rows
    ]
    phones = [normalise_phones(c.get("phone"), region) for c in cells]
    emails = [normalise_emails(c.get("email")) for c in cells]
    postcodes = [normalise_postcode(c.get("postcode"), region) for c in cells]
    cities = [normalise_city(c.get("city"), region) for c in cells]
    return [
        _assemble(row, *values, region)
        for row, *values in zip(
            rows,
            names,
            taxes,
            ogrns,
            kpps,
            sites,
            addresses,
            persons,
            phones,
            emails,
            postcodes,
            cities,
            strict=True,
        )
    ]


def _cells(
    payload: Mapping[str, Any], mapping: Mapping_ | None
) -> tuple[Mapping[str, Any], Mapping_, dict[str, str | None]]:
    fields = mapping if mapping is not None else mapping_from_keys(payload)
    # Each mapped field's text once: several normalisers read the same cells.
    return (
        payload,
        fields,
        {f: _text(payload, columns) for f, columns in fields.items()},
    )


def _assemble(
    row: tuple[Mapping[str, Any], Mapping_, dict[str, str | None]],
    *values: Any,
) -> NormalisedFields:
    payload, fields, cells = row
    name: CompanyNameParse
    ids: TaxIdParse
    address: AddressParse
    (name, ids, ogrn, kpp, site, address, persons, phones, emails, postcode, city,
     region) = values  # fmt: skip
    cell = cells.get
    flags = [f"name:{f}" for f in name.flags]
    flags += [f"inn:{f}" for f in ids.flags]
    if address.raw:
        flags += [f"address:{f}" for f in address.flags]
    sole_trader = name.person is not None or name.legal_form == "ИП"
    return NormalisedFields(
        name=name.display,
        name_key=name.key,
        legal_form=name.legal_form or _first(payload, fields.get("legal_form", ())),
        inn=ids.inn,
        ogrn=ogrn,
        kpp=kpp,
        website=site[0] if site else None,
        domain=site[1] if site else None,
        phones=phones,
        emails=emails,
        postcode=postcode or address.postcode,
        country=(cell("country") or region or "").upper()[:2] or None,
        region=cell("region") or address.region,
        city=city or address.city,
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
