"""The registers leadbase knows: parser, what they hold, where they are published."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from enrich.registries.ch_basic import parse_ch_basic
from enrich.registries.revexp import parse_revexp
from enrich.registries.rmsp import parse_rmsp
from enrich.registries.sirene_ul import parse_sirene_ul
from enrich.registries.sshr2019 import parse_sshr2019
from enrich.registries.types import Entity, Filters, ParseReport
from leadbase.errors import ValidationError

FNS_LINK = re.compile(r"data-(\d{8})-structure-(\d{8})\.zip", re.IGNORECASE)
CH_LINK = re.compile(r"BasicCompanyDataAsOneFile-(\d{4}-\d{2}-\d{2})\.zip")


@dataclass(frozen=True)
class Register:
    """One official register.

    Attributes:
        name: the SOURCE argument of `leadbase registry ...`.
        holds_leads: its entities become raw records (revexp/sshr2019 only give
            signals about organisations already known by INN).
        filters: which of okved, region, category, exclude_ip apply.
        passport: the data set's page listing its releases (`registry fetch`).
        link: the pattern of a release's file name on that page.
        inn_ids: national ids are Russian INNs (signals link to companies by INN).
    """

    name: str
    title: str
    parse: Callable[[Path, Filters, ParseReport], Iterator[Entity]]
    holds_leads: bool
    filters: frozenset[str]
    passport: str | None
    link: re.Pattern[str] | None
    inn_ids: bool
    licence: str

    @property
    def source_name(self) -> str:
        return f"registry:{self.name}"


def _no_filters(
    parse: Callable[[Path, ParseReport], Iterator[Entity]],
) -> Callable[[Path, Filters, ParseReport], Iterator[Entity]]:
    def run(path: Path, _filters: Filters, report: ParseReport) -> Iterator[Entity]:
        return parse(path, report)

    return run


FNS_LICENCE = "ФНС России open data; reuse allowed with a link to nalog.gov.ru"
REGISTERS: dict[str, Register] = {
    r.name: r
    for r in (
        Register(
            "rmsp",
            "ФНС Единый реестр субъектов МСП (7707329152-rsmp)",
            parse_rmsp,
            True,
            frozenset({"okved", "region", "category", "exclude_ip"}),
            "https://www.nalog.gov.ru/opendata/7707329152-rsmp/",
            FNS_LINK,
            True,
            FNS_LICENCE,
        ),
        Register(
            "revexp",
            "ФНС доходы и расходы организаций (7707329152-revexp)",
            _no_filters(parse_revexp),
            False,
            frozenset(),
            "https://www.nalog.gov.ru/opendata/7707329152-revexp/",
            FNS_LINK,
            True,
            FNS_LICENCE,
        ),
        Register(
            "sshr2019",
            "ФНС среднесписочная численность (7707329152-sshr2019)",
            _no_filters(parse_sshr2019),
            False,
            frozenset(),
            "https://www.nalog.gov.ru/opendata/7707329152-sshr2019/",
            FNS_LINK,
            True,
            FNS_LICENCE,
        ),
        Register(
            "ch-basic",
            "UK Companies House BasicCompanyData",
            parse_ch_basic,
            True,
            frozenset({"okved"}),
            "https://download.companieshouse.gov.uk/en_output.html",
            CH_LINK,
            False,
            "UK Open Government Licence v3.0",
        ),
        Register(
            "sirene-ul",
            "INSEE SIRENE StockUniteLegale",
            parse_sirene_ul,
            True,
            frozenset({"okved", "exclude_ip"}),
            None,
            None,
            False,
            "Licence Ouverte / Etalab 2.0",
        ),
    )
}


def get_register(name: str) -> Register:
    """The register called `name`.

    Raises:
        ValidationError: unknown name, listing the known ones.
    """
    try:
        return REGISTERS[name]
    except KeyError:
        raise ValidationError(
            f"unknown register {name!r}; known: {', '.join(REGISTERS)}"
        ) from None


def check_filters(register: Register, filters: Filters) -> None:
    """Refuse filters a register cannot apply, rather than silently ignore them.

    Raises:
        ValidationError: naming the filters and the registers that take them.
    """
    used = {
        "okved": bool(filters.okved),
        "region": bool(filters.regions),
        "category": bool(filters.categories),
        "exclude_ip": filters.exclude_sole_traders,
    }
    wrong = sorted(k for k, on in used.items() if on and k not in register.filters)
    if wrong:
        options = ", ".join("--" + w.replace("_", "-") for w in wrong)
        takes = ", ".join(sorted(register.filters)) or "no filters"
        raise ValidationError(
            f"{register.name} cannot filter by {options}; it takes {takes}"
        )
