"""Company and VAT ids of any country, canonical and checked with python-stdnum.

Covered: the 79 countries python-stdnum 2.2 gives a "vat" or "businessid" module
(the EU member states, GB, CH, NO, BY, AZ, TR, IL, IN, CN, JP, BR, CA, AU...), plus
the company registers stdnum has without those names: FR SIREN/SIRET, UA
EDRPOU/РНОКПП, PL REGON, SE/NO organisation numbers, AT Firmenbuch, CH UID,
RO CUI/ONRC, US EIN, MD IDNO, IN PAN.
Russia goes through tax_ids (INN, OGRN, OGRNIP). Without a stdnum module, two
formats are checked without a checksum (flag "format_only"): GB Companies House
numbers and KZ BIN/IIN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from stdnum.eu import vat as eu_vat
from stdnum.exceptions import (
    ValidationError,
)
from stdnum.util import get_cc_module

from dedupe.normalise.tax_ids import parse_tax_ids
from leadbase.reference.ids import (
    STDNUM_EXTRA_MODULES,
    STDNUM_FAILURE_ORDER,
    VAT_PREFIXES,
    failure_code,
)

if TYPE_CHECKING:
    from stdnum.util import NumberValidationModule

__all__ = ["NationalIdParse", "normalise_national_id", "parse_national_id"]

# Format-only ids (no stdnum module): GB Companies House, KZ BIN/IIN.
_FORMATS: dict[str, tuple[str, re.Pattern[str]]] = {
    "gb": ("company_number", re.compile(r"(?:[0-9]{2}|[A-Z]{2})[0-9]{6}", re.ASCII)),
    "kz": ("bin", re.compile(r"[0-9]{12}", re.ASCII)),
}
_SEPARATORS_RE = re.compile(r"[\s./-]+")
_PREFIX_RE = re.compile(r"([A-Z]{2})[0-9A-Z]", re.ASCII)
_RU_KINDS = ("inn", "ogrn", "ogrnip", "kpp")


@dataclass(frozen=True, slots=True)
class NationalIdParse:
    """A company, tax or VAT id of one country.

    Attributes:
        raw: the input, untouched.
        country: ISO 3166 alpha-2 code, upper case, of the id (a VAT prefix
            such as "DE" overrides the country passed in).
        kind: which id it is: the stdnum module name ("siren", "tva", "unp",
            "edrpou"...), "inn"/"ogrn"/"ogrnip"/"kpp" for Russia,
            "company_number" (GB), "bin" (KZ); None when nothing matched.
        value: the compact canonical id as stdnum compacts it; EU and UK VAT
            ids always with their prefix ("DE136695976", "EL094259216"), so
            the same id reads the same with or without it. None when it
            failed every check.
        is_valid: value passed the check (format and checksum where one exists).
        flags: snake_case codes: "bad_checksum", "bad_length", "bad_format",
            "bad_component", "format_only", "unsupported_country",
            "country_from_prefix", "junk".
    """

    raw: str | None
    country: str | None = None
    kind: str | None = None
    value: str | None = None
    is_valid: bool = False
    flags: tuple[str, ...] = ()


def _modules(cc: str) -> list[NumberValidationModule]:
    found: list[NumberValidationModule] = []
    for name in (*STDNUM_EXTRA_MODULES.get(cc, ()), "vat", "businessid"):
        module = get_cc_module(cc, name)
        if module is not None and module not in found:
            found.append(module)
    return found


def _check(module: NumberValidationModule, cc: str, text: str) -> tuple[str, str]:
    """Return (kind, compact valid id) or ("", failure code)."""
    try:
        value = module.compact(module.validate(text))
    except ValidationError as error:
        return "", failure_code(error)
    if module is get_cc_module(cc, "vat") and cc in VAT_PREFIXES:
        # EU VAT ids are canonical with their prefix, as VIES writes them, so an
        # id filed under another country (see _country_of) reads the same.
        prefix = VAT_PREFIXES[cc]
        value = value if value.startswith(prefix) else prefix + value
    return str(getattr(module, "__name__", "")).rsplit(".", 1)[-1], value


def _parse_russian(raw: str) -> NationalIdParse:
    parsed = parse_tax_ids(raw)
    for kind in _RU_KINDS:
        value = getattr(parsed, kind)
        if value:
            return NationalIdParse(
                raw, "RU", kind, value, parsed.is_valid, parsed.flags
            )
    return NationalIdParse(raw, "RU", None, None, False, parsed.flags)


def _parse_format(raw: str, cc: str, text: str) -> NationalIdParse | None:
    kind, pattern = _FORMATS[cc]
    compact = _SEPARATORS_RE.sub("", text)
    if cc == "gb" and compact.isdigit() and len(compact) < 8:
        compact = compact.zfill(8)  # lists drop the leading zeros of numbers
    if pattern.fullmatch(compact):
        return NationalIdParse(raw, cc.upper(), kind, compact, True, ("format_only",))
    return None


def _country_of(text: str, cc: str) -> tuple[str, bool]:
    # "DE136695976" filed under another country: the VAT prefix decides.
    match = _PREFIX_RE.match(text)
    if not match:
        return cc, False
    prefix = match.group(1).lower()
    prefix = "gr" if prefix == "el" else prefix
    if prefix != cc and prefix in VAT_PREFIXES and eu_vat.is_valid(text):
        return prefix, True
    return cc, False


@lru_cache(maxsize=16384)
def _parse(raw: str, country: str) -> NationalIdParse:
    text = raw.strip().upper()
    cc = country.strip().lower()
    if not any(ch.isascii() and ch.isalnum() for ch in text):
        return NationalIdParse(raw, cc.upper() or None, flags=("junk",) if text else ())
    cc, moved = _country_of(text, cc)
    if cc == "ru":
        return _parse_russian(raw)
    flags = ("country_from_prefix",) if moved else ()
    failures: list[str] = []
    for module in _modules(cc):
        kind, value = _check(module, cc, text)
        if kind:
            return NationalIdParse(raw, cc.upper(), kind, value, True, flags)
        failures.append(value)
    if cc in _FORMATS:
        parsed = _parse_format(raw, cc, text)
        if parsed is not None:
            return parsed
        failures.append("bad_format")
    if not failures:
        return NationalIdParse(raw, cc.upper() or None, flags=("unsupported_country",))
    worst = min(failures, key=STDNUM_FAILURE_ORDER.index)
    return NationalIdParse(raw, cc.upper(), None, None, False, (*flags, worst))


def parse_national_id(value: str | None, country: str | None) -> NationalIdParse:
    """Read a company, tax or VAT id of the given country.

    Each stdnum module of the country is tried, company registers first; the
    first that validates names the kind. An EU VAT prefix overrides country.

    Args:
        value: the id as written: "FR 40 303 265 045", "732 829 320 00074".
        country: ISO 3166 alpha-2 code of the record ("FR", "de"); None or ""
            when unknown (only a VAT prefix can then identify the id).

    Returns:
        A NationalIdParse; never raises.

    Examples:
        >>> p = parse_national_id("732 829 320", "FR")
        >>> p.kind, p.value, p.is_valid
        ('siren', '732829320', True)
    """
    if value is None:
        return NationalIdParse(raw=None, country=(country or "").upper() or None)
    return _parse(value, country or "")


def normalise_national_id(value: str | None, country: str | None) -> str | None:
    """Return the compact, valid id of the country, or None.

    Examples:
        >>> normalise_national_id("DE 136 695 976", "DE")
        'DE136695976'
    """
    return parse_national_id(value, country).value
