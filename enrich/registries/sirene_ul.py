"""France INSEE SIRENE «StockUniteLegale» CSV: one row per legal unit (siren).

`statutDiffusionUniteLegale = P` means the person asked not to be published: such
rows are counted and never imported. Natural persons (`categorieJuridique` 1000,
entrepreneurs individuels) are personal data.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from enrich.registries.csv_rows import iter_csv_rows
from enrich.registries.dates import parse_date
from enrich.registries.types import (
    ORGANISATION,
    SOLE_TRADER,
    Entity,
    Filters,
    ParseReport,
    SignalValue,
)

REQUIRED = ("siren", "statutDiffusionUniteLegale")
NATURAL_PERSON = "1000"
NEW_WITHIN = timedelta(days=365)
LEGAL_FORMS = {
    "1000": "EI",
    "5499": "SARL",
    "5498": "EURL",
    "5599": "SA",
    "5710": "SAS",
    "5720": "SASU",
    "6540": "SCI",
    "9220": "Association",
}
SIZE_BANDS = {"PME": "sme", "ETI": "mid", "GE": "large"}
HEADCOUNT_BANDS = {
    "00": "0",
    "01": "1-2",
    "02": "3-5",
    "03": "6-9",
    "11": "10-19",
    "12": "20-49",
    "21": "50-99",
    "22": "100-199",
    "31": "200-249",
    "32": "250-499",
    "41": "500-999",
    "42": "1000-1999",
    "51": "2000-4999",
    "52": "5000-9999",
    "53": "10000+",
}


def parse_sirene_ul(
    path: Path, filters: Filters, report: ParseReport
) -> Iterator[Entity]:
    """Stream published legal units that pass `filters` (--okved on NAF codes,
    --exclude-ip on natural persons)."""
    for member, number, row in iter_csv_rows(path, REQUIRED):
        report.documents += 1
        if row["statutDiffusionUniteLegale"].strip() == "P":
            report.not_published += 1
            continue
        person = row.get("categorieJuridiqueUniteLegale", "").strip() == NATURAL_PERSON
        activity = row.get("activitePrincipaleUniteLegale", "").strip() or None
        if (filters.exclude_sole_traders and person) or not filters.keeps_activity(
            activity
        ):
            report.filtered += 1
            continue
        siren = row["siren"].strip()
        if len(siren) != 9 or not siren.isdigit():
            report.problem(
                member, number, "siren", f"{siren!r} is not 9 digits", skipped=True
            )
            continue
        report.kept += 1
        yield _entity(member, number, row, siren, person, activity, report)


def _entity(
    member: str,
    number: int,
    row: dict[str, str],
    siren: str,
    person: bool,
    activity: str | None,
    report: ParseReport,
) -> Entity:
    column = "dateCreationUniteLegale"
    try:
        created = parse_date(row.get(column), "ymd")
    except ValueError as exc:
        report.problem(member, number, column, str(exc))
        created = None
    category = row.get("categorieJuridiqueUniteLegale", "").strip()
    size = SIZE_BANDS.get(row.get("categorieEntreprise", "").strip())
    headcount = HEADCOUNT_BANDS.get(row.get("trancheEffectifsUniteLegale", "").strip())
    payload: dict[str, Any] = {
        "name": _name(row, person),
        "legal_form": LEGAL_FORMS.get(category),
        "country": "FR",
        "industry": activity,
        "registry_siren": siren,
        "registry_legal_category": category or None,
        "registry_status": {"A": "active", "C": "ceased"}.get(
            row.get("etatAdministratifUniteLegale", "").strip()
        ),
        "registry_created_on": created.isoformat() if created else None,
        "registry_size_band": size,
        "registry_headcount_band": headcount,
    }
    if person:
        payload["contact_name"] = payload["name"]
    release = report.release_date
    is_new = bool(created and release and release - created <= NEW_WITHIN)
    payload["registry_new"] = is_new
    signals = tuple(
        SignalValue(kind, text=text)
        for kind, text in (("size_band", size), ("headcount_band", headcount))
        if text
    )
    kind = SOLE_TRADER if person else ORGANISATION
    return Entity(siren, kind, payload, is_new, person, signals, number)


def _name(row: dict[str, str], person: bool) -> str | None:
    if not person:
        return row.get("denominationUniteLegale", "").strip() or None
    first = row.get("prenomUsuelUniteLegale", "") or row.get("prenom1UniteLegale", "")
    last = row.get("nomUsageUniteLegale", "") or row.get("nomUniteLegale", "")
    return " ".join(p.strip() for p in (first, last) if p.strip()) or None
