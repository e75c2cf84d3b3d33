"""INN, OGRN/OGRNIP and KPP written next to their labels, checked by python-stdnum.

Only labelled numbers count: a bare ten-digit run on a page may be a phone, an
order number or anything else. "ИНН/КПП 7707083893/770701001" gives both.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from stdnum.exceptions import ValidationError
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from leadbase.reference.ids import KPP_PATTERN

__all__ = ["TaxIds", "tax_ids_in_text"]

_SEP = r"[\s:№#.\-–—]{0,6}"
_INN_KPP = re.compile(
    rf"(?:ИНН|INN|TIN)\s*/\s*(?:КПП|KPP){_SEP}(\d{{10}})\s*/\s*([0-9A-Z]{{9}})",
    re.IGNORECASE,
)
_INN = re.compile(rf"(?<![\w])(?:ИНН|INN|TIN){_SEP}(\d{{10}}|\d{{12}})(?!\d)", re.I)
_OGRN = re.compile(
    rf"(?<![\w])(?:ОГРНИП|ОГРН|OGRNIP|OGRN|PSRN){_SEP}(\d{{13}}|\d{{15}})(?!\d)", re.I
)
_KPP = re.compile(rf"(?<![\w])(?:КПП|KPP){_SEP}([0-9A-Z]{{9}})(?![\w])", re.I)


@dataclass(frozen=True, slots=True)
class TaxIds:
    """Valid ids found on a page; `rejected` lists labelled numbers that failed."""

    inn: str | None = None
    ogrn: str | None = None
    kpp: str | None = None
    rejected: tuple[str, ...] = ()


def _valid(module: Any, number: str) -> bool:
    try:
        module.validate(number)
    except ValidationError:
        return False
    return True


def tax_ids_in_text(text: str) -> TaxIds:
    """The first valid labelled INN, OGRN and KPP in visible text.

    Examples:
        >>> tax_ids_in_text("ИНН/КПП 7707083893/770701001, ОГРН 1027700132195")
        TaxIds(inn='7707083893', ogrn='1027700132195', kpp='770701001', rejected=())
    """
    inns: list[str] = []
    kpps: list[str] = []
    for pair in _INN_KPP.finditer(text):
        inns.append(pair.group(1))
        kpps.append(pair.group(2).upper())
    inns += [m.group(1) for m in _INN.finditer(text)]
    kpps += [m.group(1).upper() for m in _KPP.finditer(text)]
    ogrns = [m.group(1) for m in _OGRN.finditer(text)]
    rejected: list[str] = []
    inn = _first(inns, lambda n: _valid(stdnum_inn, n), rejected, "inn")
    ogrn = _first(ogrns, lambda n: _valid(stdnum_ogrn, n), rejected, "ogrn")
    kpp = _first(kpps, lambda n: bool(KPP_PATTERN.fullmatch(n)), rejected, "kpp")
    return TaxIds(inn, ogrn, kpp, tuple(rejected))


def _first(
    numbers: list[str], check: Callable[[str], bool], rejected: list[str], label: str
) -> str | None:
    chosen = None
    for number in numbers:
        if check(number):
            chosen = chosen or number
        else:
            rejected.append(f"{label}:{number}")
    return chosen
