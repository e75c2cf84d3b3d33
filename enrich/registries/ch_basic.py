"""UK Companies House «BasicCompanyData» CSV (55 columns, dates DD/MM/YYYY).

Company numbers are 8 characters: digits zero-padded ("00445790") or a two-letter
prefix and padded digits ("SC123456", "NI000123", "OC301234", "FC012345").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from enrich.registries.csv_rows import iter_csv_rows
from enrich.registries.dates import parse_date
from enrich.registries.types import (
    ORGANISATION,
    Entity,
    Filters,
    ParseReport,
    SignalValue,
)

REQUIRED = ("CompanyName", "CompanyNumber")
ADDRESS = (
    "RegAddress.CareOf",
    "RegAddress.POBox",
    "RegAddress.AddressLine1",
    "RegAddress.AddressLine2",
    "RegAddress.PostTown",
    "RegAddress.County",
    "RegAddress.Country",
    "RegAddress.PostCode",
)
SIC_COLUMNS = tuple(f"SICCode.SicText_{i}" for i in range(1, 5))
NUMBER = re.compile(r"^([A-Z]{0,2})(\d{1,8})$")
NEW_WITHIN = timedelta(days=365)  # "newly created", as ФНС's flag roughly means
# Accounts.AccountCategory -> size band. FULL accounts are what large companies
# must file (small ones may choose them too); DORMANT companies do not trade.
SIZE_BANDS = {
    "MICRO ENTITY": "micro",
    "SMALL": "small",
    "TOTAL EXEMPTION SMALL": "small",
    "TOTAL EXEMPTION FULL": "small",
    "UNAUDITED ABRIDGED": "small",
    "AUDIT EXEMPTION SUBSIDIARY": "small",
    "FILING EXEMPTION SUBSIDIARY": "small",
    "PARTIAL EXEMPTION": "small",
    "MEDIUM": "medium",
    "FULL": "large",
    "GROUP": "large",
    "DORMANT": "dormant",
}


def normalise_company_number(text: str) -> str | None:
    """The 8-character company number, or None when it cannot be one.

    Examples:
        normalise_company_number("445790") == "00445790"
        normalise_company_number("sc 12345") == "SC012345"
    """
    compact = text.replace(" ", "").upper()
    match = NUMBER.match(compact)
    if not match:
        return None
    prefix, digits = match.groups()
    if len(prefix) + len(digits) > 8:
        return None
    return prefix + digits.zfill(8 - len(prefix))


def split_sic(text: str) -> tuple[str, str | None] | None:
    """("70229", "Management consultancy …") from one SIC cell; None when empty.

    Examples:
        split_sic("70229 - Management consultancy activities") == (
            "70229", "Management consultancy activities")
    """
    text = text.strip()
    if not text or text.lower() == "none supplied":
        return None
    code, _, name = text.partition(" - ")
    return code.strip(), (name.strip() or None)


def parse_ch_basic(
    path: Path, filters: Filters, report: ParseReport
) -> Iterator[Entity]:
    """Stream the companies that pass `filters` (only --okved applies: SIC codes)."""
    for member, number, row in iter_csv_rows(path, REQUIRED):
        report.documents += 1
        sics = [s for s in (split_sic(row.get(c, "")) for c in SIC_COLUMNS) if s]
        if filters.okved and not any(filters.keeps_activity(code) for code, _ in sics):
            report.filtered += 1
            continue
        company_number = normalise_company_number(row["CompanyNumber"])
        if company_number is None:
            report.problem(
                member,
                number,
                "CompanyNumber",
                f"{row['CompanyNumber']!r} is not a company number",
                skipped=True,
            )
            continue
        report.kept += 1
        yield _entity(member, number, row, company_number, sics, report)


def _entity(
    member: str,
    number: int,
    row: dict[str, str],
    company_number: str,
    sics: list[tuple[str, str | None]],
    report: ParseReport,
) -> Entity:
    def day(column: str) -> date | None:
        try:
            return parse_date(row.get(column), "dmy")
        except ValueError as exc:
            report.problem(member, number, column, str(exc))
            return None

    incorporated = day("IncorporationDate")
    category = row.get("Accounts.AccountCategory", "").strip().upper()
    band = SIZE_BANDS.get(category, "unknown") if category else None
    address = ", ".join(v for c in ADDRESS if (v := row.get(c, "").strip()))
    payload: dict[str, Any] = {
        "name": row["CompanyName"].strip(),
        "legal_form": row.get("CompanyCategory", "").strip() or None,
        "address": address or None,
        "city": row.get("RegAddress.PostTown", "").strip() or None,
        "region": row.get("RegAddress.County", "").strip() or None,
        "postcode": row.get("RegAddress.PostCode", "").strip() or None,
        "country": "GB",
        "industry": sics[0][1] if sics else None,
        "registry_company_number": company_number,
        "registry_sic": [code for code, _ in sics],
        "registry_status": row.get("CompanyStatus", "").strip() or None,
        "registry_incorporated_on": incorporated.isoformat() if incorporated else None,
        "registry_account_category": category or None,
        "registry_size_band": band,
    }
    dissolved = day("DissolutionDate")
    if dissolved:
        payload["registry_dissolved_on"] = dissolved.isoformat()
    release = report.release_date
    is_new = bool(incorporated and release and release - incorporated <= NEW_WITHIN)
    payload["registry_new"] = is_new
    signals = (SignalValue("size_band", text=band),) if band else ()
    return Entity(company_number, ORGANISATION, payload, is_new, False, signals, number)
