"""Validators of tax ids: INN, OGRN/OGRNIP, KPP and other countries' company ids.

Thin wrappers around python-stdnum. They judge one value already in canonical
form (a golden record's field); reading messy cells is dedupe's normaliser's job.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdnum.eu import vat as eu_vat
from stdnum.exceptions import (
    ValidationError,
)
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn
from stdnum.util import get_cc_module

from enrich.types import Check
from leadbase.reference.ids import (
    KPP_PATTERN,
    STDNUM_EXTRA_MODULES,
    STDNUM_FAILURE_ORDER,
    VAT_PREFIXES,
    failure_code,
)

if TYPE_CHECKING:
    from stdnum.util import NumberValidationModule

__all__ = ["check_inn", "check_kpp", "check_national_id", "check_ogrn"]

_SEPARATORS_RE = re.compile(r"[\s./-]+")
_DIGITS_RE = re.compile(r"[0-9]+", re.ASCII)
# Without a stdnum module: format only (GB Companies House, KZ BIN/IIN).
_FORMATS: dict[str, re.Pattern[str]] = {
    "gb": re.compile(r"(?:[0-9]{2}|[A-Z]{2})[0-9]{6}", re.ASCII),
    "kz": re.compile(r"[0-9]{12}", re.ASCII),
}


def _compact(value: str | None) -> str:
    return _SEPARATORS_RE.sub("", value or "").upper()


def _russian(value: str | None, module: NumberValidationModule) -> Check:
    number = _compact(value)
    if not number:
        return Check(False, None, "empty")
    if not _DIGITS_RE.fullmatch(number):
        return Check(False, None, "not_digits")
    try:
        return Check(True, module.validate(number))
    except ValidationError as error:
        return Check(False, None, failure_code(error))


def check_inn(value: str | None) -> Check:
    """Check an INN: 10 digits (organisation) or 12 (person), checksum included.

    Args:
        value: the INN; spaces and dashes are ignored.

    Returns:
        Check(ok, canonical INN or None, reason): reason is "empty",
        "not_digits", "bad_length" or "bad_checksum".

    Examples:
        >>> check_inn("7707083893")
        Check(ok=True, value='7707083893', reason=None)
    """
    return _russian(value, stdnum_inn)


def check_ogrn(value: str | None) -> Check:
    """Check an OGRN (13 digits) or OGRNIP (15 digits), checksum included.

    Returns:
        Check(ok, canonical number or None, reason): reason is "empty",
        "not_digits", "bad_length", "bad_component" (a first digit no such
        number has) or "bad_checksum".

    Examples:
        >>> check_ogrn("1027700132195").ok
        True
    """
    return _russian(value, stdnum_ogrn)


def check_kpp(value: str | None) -> Check:
    """Check a KPP: 4-digit tax office, 2-character reason, 3-digit serial.

    There is no checksum; the reason code may hold Latin capitals (2019 rules).

    Returns:
        Check(ok, KPP or None, reason): reason is "empty", "bad_length" or
        "bad_format".

    Examples:
        >>> check_kpp("7701AB001")
        Check(ok=True, value='7701AB001', reason=None)
    """
    kpp = _compact(value)
    if not kpp:
        return Check(False, None, "empty")
    if len(kpp) != 9:
        return Check(False, None, "bad_length")
    if not KPP_PATTERN.fullmatch(kpp):
        return Check(False, None, "bad_format")
    return Check(True, kpp)


def _modules(cc: str) -> list[NumberValidationModule]:
    found: list[NumberValidationModule] = []
    for name in (*STDNUM_EXTRA_MODULES.get(cc, ()), "vat", "businessid"):
        module = get_cc_module(cc, name)
        if module is not None and module not in found:
            found.append(module)
    return found


def check_national_id(value: str | None, country: str | None) -> Check:
    """Check a company, tax or VAT id of a country with python-stdnum.

    Every stdnum module of the country is tried (company registers, VAT,
    business id); the id passes if one accepts it. Russia: INN or OGRN/OGRNIP.

    Args:
        value: the id ("FR40303265045", "732829320", "DE136695976").
        country: ISO 3166 alpha-2 code, any case.

    Returns:
        Check(ok, the compact id (EU VAT ids with their prefix), reason): reason
        is "empty", "bad_checksum", "bad_component", "bad_length",
        "bad_format" or "unsupported_country" (stdnum knows no id of it).

    Examples:
        >>> check_national_id("732 829 320", "FR")
        Check(ok=True, value='732829320', reason=None)
    """
    cc = (country or "").strip().lower()
    text = (value or "").strip().upper()
    if not text:
        return Check(False, None, "empty")
    if cc == "ru":
        inn = check_inn(text)
        return inn if inn.ok or len(_compact(text)) in (10, 12) else check_ogrn(text)
    if text[:2].isalpha() and eu_vat.is_valid(text):
        return Check(True, eu_vat.compact(text))
    reasons: list[str] = []
    for module in _modules(cc):
        try:
            number = module.compact(module.validate(text))
        except ValidationError as error:
            reasons.append(failure_code(error))
            continue
        return Check(True, _with_prefix(module, cc, number))
    if cc in _FORMATS:
        if _FORMATS[cc].fullmatch(_compact(text)):
            return Check(True, _compact(text))
        reasons.append("bad_format")
    if not reasons:
        return Check(False, None, "unsupported_country")
    return Check(False, None, min(reasons, key=STDNUM_FAILURE_ORDER.index))


def _with_prefix(module: NumberValidationModule, cc: str, number: str) -> str:
    if module is not get_cc_module(cc, "vat") or cc not in VAT_PREFIXES:
        return number
    prefix = VAT_PREFIXES[cc]
    return number if number.startswith(prefix) else prefix + number
