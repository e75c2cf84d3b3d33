"""The ФНС yearly sets about organisations (revexp, sshr2019): one `Документ` per
organisation with `СведНП@ИННЮЛ, @НаимОрг` and one element of figures. They become
signals on the company with that INN, not leads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from enrich.registries.dates import parse_date
from enrich.registries.fns_xml import iter_documents
from enrich.registries.types import ORGANISATION, Entity, ParseReport, SignalValue

# (signal kind, attribute) pairs read from the figures element.
Figures = tuple[tuple[str, str], ...]


def parse_yearly(
    path: Path, report: ParseReport, element: str, figures: Figures
) -> Iterator[Entity]:
    """Organisations with their figures for the period (the year of `ДатаСост`)."""
    for member, number, doc in iter_documents(path, report):
        report.documents += 1
        attrib = doc.attrib
        period = _period(attrib.get("ДатаСост"), member, number, report)
        if report.release_date is None:
            _release_date(attrib.get("ДатаДок"), report)
        taxpayer = doc.find("СведНП")
        inn = taxpayer.get("ИННЮЛ") if taxpayer is not None else None
        if not inn:
            # Only organisations are published; anything else is counted, not kept.
            report.not_organisations += 1
            continue
        values = doc.find(element)
        if values is None:
            report.problem(member, number, element, f"no {element}", skipped=True)
            continue
        signals = tuple(
            SignalValue(
                kind,
                value=_amount(values.get(attr), attr, member, number, report),
                period=period,
            )
            for kind, attr in figures
        )
        payload: dict[str, Any] = {
            "name": taxpayer.get("НаимОрг"),
            "inn": inn,
            "registry_period": period,
        }
        payload.update(
            {s.kind: None if s.value is None else str(s.value) for s in signals}
        )
        report.kept += 1
        yield Entity(inn, ORGANISATION, payload, signals=signals, row_number=number)


def yearly_parser(element: str, figures: Figures) -> Callable[..., Iterator[Entity]]:
    def parse(path: Path, report: ParseReport) -> Iterator[Entity]:
        return parse_yearly(path, report, element, figures)

    return parse


def _period(
    text: str | None, member: str, number: int, report: ParseReport
) -> str | None:
    try:
        value = parse_date(text, "dmy")
    except ValueError as exc:
        report.problem(member, number, "ДатаСост", str(exc))
        return None
    return str(value.year) if value else None


def _release_date(text: str | None, report: ParseReport) -> None:
    try:
        report.release_date = parse_date(text, "dmy")
    except ValueError:
        report.release_date = None


def _amount(
    text: str | None, field: str, member: str, number: int, report: ParseReport
) -> Decimal | None:
    # "0" is a real figure (a company with no income), distinct from a missing one.
    if text is None or not text.strip():
        return None
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        report.problem(member, number, field, f"{text!r} is not a number")
        return None
