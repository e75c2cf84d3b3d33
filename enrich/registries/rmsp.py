"""ФНС «Единый реестр субъектов МСП» (data set 7707329152-rsmp): monthly ZIP of
`VO_RRMSPSV_*.xml`, one `Документ` per organisation or sole trader.

Old structures lack `ОргВклМСП@ОГРН`, `ИПВклМСП@ОГРНИП` and `Документ@ССЧР`; every
optional attribute is read with `.get`. Filters run on the raw attributes before
anything else is built, so a filtered-out document costs a few dictionary look-ups.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from enrich.registries.dates import parse_date
from enrich.registries.fns_xml import iter_documents
from enrich.registries.types import (
    FARM_HEAD,
    ORGANISATION,
    SOLE_TRADER,
    Entity,
    Filters,
    ParseReport,
    SignalValue,
)

CATEGORIES = {"1": "micro", "2": "small", "3": "medium"}
KINDS = {"1": ORGANISATION, "2": SOLE_TRADER, "3": FARM_HEAD}
# Region types written after the name: "Московская обл", not "обл Московская".
TYPE_AFTER_NAME = {"обл", "область", "край", "ао", "округ", "автономный округ"}
PLACE_PARTS = ("Регион", "Район", "Город", "НаселПункт")


def parse_rmsp(path: Path, filters: Filters, report: ParseReport) -> Iterator[Entity]:
    """Stream the register's subjects that pass `filters`.

    Examples:
        for entity in parse_rmsp(Path("data-10112026-structure-10062025.zip"),
                                 Filters(okved=("62",)), ParseReport()): ...
    """
    categories, regions = filters.categories, filters.regions
    no_sole_traders = filters.exclude_sole_traders
    for member, number, doc in iter_documents(path, report):
        report.documents += 1
        if report.release_date is None:
            _release_date(doc.get("ДатаСост"), report)
        # Element.get, not .attrib: no attribute proxy built per document.
        kind_code = doc.get("ВидСубМСП")
        if (no_sole_traders and kind_code in ("2", "3")) or (
            categories and doc.get("КатСубМСП") not in categories
        ):
            report.filtered += 1
            continue
        org = person = place = okveds = None
        for child in doc:
            tag = child.tag
            if tag == "ОргВклМСП":
                org = child
            elif tag == "ИПВклМСП":
                person = child
            elif tag == "СведМН":
                place = child
            elif tag == "СвОКВЭД":
                okveds = child
        region = place.get("КодРегион") if place is not None else None
        if (regions and region not in regions) or (
            no_sole_traders and person is not None
        ):
            report.filtered += 1
            continue
        main, others = _okveds(okveds)
        if filters.okved and not filters.keeps_activity(main[0] if main else None):
            report.filtered += 1
            continue
        entity = _entity(
            member, number, doc.attrib, org, person, place, main, others, report
        )
        if entity is not None:
            report.kept += 1
            yield entity


def _release_date(text: str | None, report: ParseReport) -> None:
    try:
        report.release_date = parse_date(text, "dmy")
    except ValueError:
        report.release_date = None


def _okveds(element: Any) -> tuple[tuple[str, str | None] | None, list[str]]:
    """(main code and name, other codes). A document without `СвОКВЭДОсн` (only a
    reporting or additional OKVED) takes its first other code as the main one."""
    if element is None:
        return None, []
    found = [
        (child.tag == "СвОКВЭДОсн", child.get("КодОКВЭД"), child.get("НаимОКВЭД"))
        for child in element
        if child.get("КодОКВЭД")
    ]
    if not found:
        return None, []
    main = next((f for f in found if f[0]), found[0])
    others = [code for f in found if f is not main for code in (f[1],)]
    return (main[1], main[2]), others


def _entity(
    member: str,
    number: int,
    attrib: Any,
    org: Any,
    person: Any,
    place: Any,
    main: tuple[str, str | None] | None,
    others: list[str],
    report: ParseReport,
) -> Entity | None:
    kind = KINDS.get(attrib.get("ВидСубМСП") or "")
    if person is not None:
        kind = kind if kind in (SOLE_TRADER, FARM_HEAD) else SOLE_TRADER
        payload = _sole_trader(person, kind)
    elif org is not None:
        kind = ORGANISATION
        payload = _organisation(org)
    else:
        report.problem(
            member, number, None, "neither ОргВклМСП nor ИПВклМСП", skipped=True
        )
        return None
    inn = payload.get("inn")
    if not inn:
        report.problem(member, number, "ИНН", "no ИННЮЛ / ИННФЛ", skipped=True)
        return None
    payload.update(_place(place))
    if main is not None:
        payload["okved"] = main[0]
        if main[1]:
            payload["industry"] = main[1]
    if others:
        payload["registry_okved_other"] = others
    category_code = attrib.get("КатСубМСП")
    is_new = attrib.get("ПризНовМСП") == "1"
    headcount = _headcount(attrib.get("ССЧР"), member, number, report)
    payload.update(
        registry_kind=kind,
        registry_category=CATEGORIES.get(category_code or ""),
        registry_category_code=category_code,
        registry_new=is_new,
        registry_included_on=_iso(attrib.get("ДатаВклМСП"), member, number, report),
        registry_headcount=headcount,
    )
    signals = [SignalValue("sme_category", text=CATEGORIES.get(category_code or ""))]
    if headcount is not None:
        signals.append(SignalValue("headcount", value=Decimal(headcount)))
    return Entity(
        national_id=inn,
        kind=kind,
        payload=payload,
        is_new=is_new,
        is_personal_data=kind != ORGANISATION,
        signals=tuple(signals),
        row_number=number,
    )


def _organisation(org: Any) -> dict[str, Any]:
    full, short = org.get("НаимОрг"), org.get("НаимОргСокр")
    payload: dict[str, Any] = {"name": short or full, "inn": org.get("ИННЮЛ")}
    if full and full != short:
        payload["registry_full_name"] = full
    if org.get("ОГРН"):
        payload["ogrn"] = org.get("ОГРН")
    return payload


def _sole_trader(person: Any, kind: str) -> dict[str, Any]:
    fio = person.find("ФИОИП")
    parts = (
        [fio.get("Фамилия"), fio.get("Имя"), fio.get("Отчество")]
        if fio is not None
        else []
    )
    full_name = " ".join(p for p in parts if p)
    prefix = "Глава КФХ" if kind == FARM_HEAD else "ИП"
    payload: dict[str, Any] = {
        "name": f"{prefix} {full_name}".strip(),
        "legal_form": "ИП",
        "inn": person.get("ИННФЛ"),
        "contact_name": full_name or None,
    }
    if person.get("ОГРНИП"):
        payload["ogrn"] = person.get("ОГРНИП")
    return payload


def _place(place: Any) -> dict[str, Any]:
    if place is None:
        return {"country": "RU"}
    found: dict[str, str] = {}
    for child in place:
        if child.tag in PLACE_PARTS and child.get("Наим"):
            found[child.tag] = _named(child.get("Тип"), child.get("Наим"))
    payload: dict[str, Any] = {
        "country": "RU",
        "registry_region_code": place.get("КодРегион"),
    }
    if "Регион" in found:
        payload["region"] = found["Регион"]
    city = place.find("Город")
    town = city if city is not None else place.find("НаселПункт")
    if town is not None and town.get("Наим"):
        payload["city"] = town.get("Наим")
    if found:
        payload["address"] = ", ".join(found[p] for p in PLACE_PARTS if p in found)
    return payload


def _named(kind: str | None, name: str) -> str:
    if not kind:
        return name
    if kind.lower() in TYPE_AFTER_NAME:
        return f"{name} {kind}"
    return f"{kind} {name}"


def _iso(text: str | None, member: str, number: int, report: ParseReport) -> str | None:
    try:
        value = parse_date(text, "dmy")
    except ValueError as exc:
        report.problem(member, number, "ДатаВклМСП", str(exc))
        return None
    return value.isoformat() if value else None


def _headcount(
    text: str | None, member: str, number: int, report: ParseReport
) -> int | None:
    if text is None or not text.strip():
        return None
    try:
        return int(text)
    except ValueError:
        report.problem(member, number, "ССЧР", f"{text!r} is not a whole number")
        return None
