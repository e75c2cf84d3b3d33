"""Russian tax ids (INN, KPP, OGRN, OGRNIP) as written in lists, and foreign ids."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from leadbase.reference.ids import KPP_PATTERN

__all__ = [
    "TaxIdParse",
    "normalise_inn",
    "normalise_kpp",
    "normalise_ogrn",
    "parse_tax_ids",
]

# Whole-cell numbers as Excel writes them: "7707083893.0", "7,707083893E+09".
_EXCEL_INT_RE = re.compile(r"([0-9]+)[.,]0+", re.ASCII)
_EXCEL_SCI_RE = re.compile(r"([0-9])(?:[.,]([0-9]*))?E\+?([0-9]{1,2})", re.ASCII)
# Anything but letters, digits, spaces and dashes separates ids ("/", ",", "№"...).
_CHUNK_SPLIT_RE = re.compile(r"[^0-9A-ZА-ЯЁ\s-]+")
_WORD_SPLIT_RE = re.compile(r"[\s-]+")
_HAS_DIGIT_RE = re.compile(r"[0-9]", re.ASCII)
_LABELS = frozenset(
    {"ИНН", "КПП", "ОГРН", "ОГРНИП", "ГРН", "ИП", "НОМЕР"}
    | {"INN", "KPP", "OGRN", "OGRNIP", "PSRN", "TIN", "N", "NO"}
)
_KPP_LABELS = frozenset({"КПП", "KPP"})
_ID_LENGTHS = frozenset({9, 10, 12, 13, 15})
# Cyrillic capitals that look like the Latin ones allowed in a KPP's reason code.
_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХ", "ABEKMHOPCTYX")
_FOREIGN_OFFICE = "9909"  # INNs of accredited foreign organisations start so
# "ИНН7707083893": a label glued to its number.
_GLUED_LABEL_RE = re.compile(r"(ИНН|КПП|ОГРНИП|ОГРН|INN|KPP|OGRNIP|OGRN)(?=[0-9])")
# Flags that make an id found in the cell fail its own check.
_BAD = frozenset({"bad_checksum", "bad_length", "bad_ogrn", "bad_kpp"})


class TaxIdParse(NamedTuple):
    """What a tax-id cell holds (a named tuple: one is made per cell read).

    Attributes:
        raw: the input, untouched.
        inn: checksum-valid INN (10 digits: organisation, 12: person) or None.
        kpp: KPP in canonical form (9 characters) or None.
        ogrn: checksum-valid 13-digit OGRN (organisation) or None.
        ogrnip: checksum-valid 15-digit OGRNIP (sole trader) or None.
        kind: "organisation", "sole_trader" or None, from the ids found.
        region_code: two digits: the KPP's office region when there is a KPP
            (a branch's KPP names its own region), else the INN's, else the
            OGRN's; None when no id was found.
        is_valid: at least one id was found and every id found passed its check.
        inn_unchecked: digits that look like an INN but failed (bad checksum or
            length), kept so a reviewer can see them; None otherwise.
        flags: what could not be read or does not agree, as snake_case codes.
    """

    raw: str | None
    inn: str | None = None
    kpp: str | None = None
    ogrn: str | None = None
    ogrnip: str | None = None
    kind: str | None = None
    region_code: str | None = None
    is_valid: bool = False
    inn_unchecked: str | None = None
    flags: tuple[str, ...] = ()


class _Found:
    """Mutable collector used while one cell is read (never leaves the module)."""

    __slots__ = ("flags", "inns", "kpp", "ogrn", "ogrnip", "unchecked")

    def __init__(self) -> None:
        self.inns: list[str] = []
        self.kpp: str | None = None
        self.ogrn: str | None = None
        self.ogrnip: str | None = None
        self.unchecked: str | None = None
        self.flags: list[str] = []

    def flag(self, code: str) -> None:
        if code not in self.flags:
            self.flags.append(code)


def _from_excel(text: str) -> str | None:
    """Return the digits of a whole-cell Excel number, or None if it is not one."""
    match = _EXCEL_INT_RE.fullmatch(text)
    if match:
        return match.group(1)
    match = _EXCEL_SCI_RE.fullmatch(text)
    if not match:
        return None
    digits = match.group(1) + (match.group(2) or "")
    width = int(match.group(3)) + 1
    # A mantissa longer than the exponent allows is not a whole number.
    return digits.ljust(width, "0") if len(digits) <= width else None


def _split_run(run: list[str]) -> list[str]:
    # "7707083893 770701001" holds two ids; "77 07 083893" one id typed in groups.
    if len(run) == 1 or all(len(t) in _ID_LENGTHS for t in run):
        return run
    joined = "".join(run)
    if len(joined) in _ID_LENGTHS and joined.isascii() and joined.isdigit():
        return [joined]
    return run


def _tokens(text: str, found: _Found) -> tuple[list[str], bool]:
    """Split a cell into id-like tokens; also say whether a KPP label was seen."""
    tokens: list[str] = []
    kpp_label = False
    for chunk in _CHUNK_SPLIT_RE.split(text):
        run: list[str] = []
        for word in _WORD_SPLIT_RE.split(chunk):
            if _HAS_DIGIT_RE.search(word):
                run.append(word)
                continue
            tokens.extend(_split_run(run) if run else ())
            run = []
            if word in _LABELS:
                kpp_label = kpp_label or word in _KPP_LABELS
            elif word:
                found.flag("unparsed_rest")
        tokens.extend(_split_run(run) if run else ())
    return tokens, kpp_label


def _inn_is_valid(digits: str) -> bool:
    # stdnum's own check digits, without its validate(): the digits are already
    # clean here, and validate() would clean them again at twice the cost.
    if len(digits) == 10:
        return stdnum_inn.calc_company_check_digit(digits) == digits[-1]
    return stdnum_inn.calc_personal_check_digits(digits) == digits[-2:]


def _take_inn(digits: str, found: _Found) -> None:
    if _inn_is_valid(digits):
        found.inns.append(digits)
        return
    found.flag("bad_checksum")
    found.unchecked = found.unchecked or digits


def _take_restored(digits: str, found: _Found) -> None:
    # Excel drops the leading zero of INNs of regions 01-09: restore it only when
    # the checksum then holds, otherwise the digits are simply of a bad length.
    if _inn_is_valid("0" + digits):
        found.inns.append("0" + digits)
        found.flag("leading_zero_restored")
        return
    found.flag("bad_length")
    found.unchecked = found.unchecked or digits


def _ogrn_is_valid(digits: str) -> bool:
    # stdnum's rules (first digit, check digit) without validate()'s cleaning:
    # the digits are clean here (13 or 15 ASCII digits).
    first_ok = digits[0] != "0" if len(digits) == 13 else digits[0] in "34"
    return first_ok and stdnum_ogrn.calc_check_digit(digits) == digits[-1]


def _take_ogrn(digits: str, found: _Found) -> None:
    if not _ogrn_is_valid(digits):
        found.flag("bad_ogrn")
    elif len(digits) == 13:
        found.ogrn = found.ogrn or digits
    else:
        found.ogrnip = found.ogrnip or digits


def _take_kpp(token: str, found: _Found) -> None:
    if len(token) == 8:  # a KPP of regions 01-09 that lost its leading zero
        token = "0" + token
        found.flag("leading_zero_restored")
    if KPP_PATTERN.fullmatch(token):
        found.kpp = found.kpp or token
    else:
        found.flag("bad_kpp")


def _classify(tokens: list[str], kpp_context: bool, found: _Found) -> None:
    for token in tokens:
        size = len(token)
        # isascii: str.isdigit() also passes "٣" and "３", which no id holds.
        if not (token.isascii() and token.isdigit()):
            kpp = token.translate(_LOOKALIKES)
            if size == 9 and KPP_PATTERN.fullmatch(kpp):
                _take_kpp(kpp, found)
            else:
                found.flag("unparsed_rest")
        elif size in (10, 12):
            _take_inn(token, found)
        elif size in (13, 15):
            _take_ogrn(token, found)
        elif size in (8, 9) and kpp_context:
            _take_kpp(token, found)
        elif size in (9, 11):
            _take_restored(token, found)
        else:
            found.flag("bad_length")
            found.unchecked = found.unchecked or token


def _kind(found: _Found, inn: str | None) -> str | None:
    organisation = bool(found.ogrn or found.kpp) or (inn is not None and len(inn) == 10)
    sole_trader = bool(found.ogrnip) or (inn is not None and len(inn) == 12)
    if organisation and sole_trader:
        # An OGRN with a personal INN: ids of two parties pasted into one cell.
        found.flag("kind_mismatch")
    if inn:
        return "organisation" if len(inn) == 10 else "sole_trader"
    if organisation or sole_trader:
        return "organisation" if organisation else "sole_trader"
    return None


def _assemble(raw: str, found: _Found) -> TaxIdParse:
    inn = found.inns[0] if found.inns else None
    if len(set(found.inns)) > 1:
        found.flag("multiple_inn")
    kind = _kind(found, inn)
    registration = found.ogrn or found.ogrnip
    if inn and registration and registration[3:5] != inn[:2]:
        # Branches and moves make this normal: a hint for a reviewer, no more.
        found.flag("region_mismatch")
    if inn and inn.startswith(_FOREIGN_OFFICE):
        found.flag("foreign_organisation")
    region = (found.kpp or inn or (registration or "")[3:5])[:2] or None
    anything = bool(inn or found.kpp or registration)
    return TaxIdParse(
        raw=raw,
        inn=inn,
        kpp=found.kpp,
        ogrn=found.ogrn,
        ogrnip=found.ogrnip,
        kind=kind,
        region_code=region,
        is_valid=anything and not _BAD.intersection(found.flags),
        inn_unchecked=None if inn else found.unchecked,
        flags=tuple(found.flags),
    )


def _lone_inn(raw: str, inn: str) -> TaxIdParse:
    # The usual INN cell, read as _classify and _assemble read it, directly.
    if not _inn_is_valid(inn):
        return TaxIdParse(raw=raw, inn_unchecked=inn, flags=("bad_checksum",))
    return TaxIdParse(
        raw=raw,
        inn=inn,
        kind="organisation" if len(inn) == 10 else "sole_trader",
        region_code=inn[:2],
        is_valid=True,
        flags=("foreign_organisation",) if inn.startswith(_FOREIGN_OFFICE) else (),
    )


@lru_cache(maxsize=32768)
def _parse(raw: str, expect: str | None) -> TaxIdParse:
    text = raw.strip().upper()
    if not text:
        return TaxIdParse(raw=raw)
    found = _Found()
    if text.isascii() and text.isdigit():
        if len(text) in (10, 12) and expect is None:
            return _lone_inn(raw, text)
        tokens, kpp_label = [text], False  # the usual clean cell: no tokenising
    else:
        excel = _from_excel(text)
        if excel is not None:
            found.flag("excel_number")
            text = excel
        tokens, kpp_label = _tokens(_GLUED_LABEL_RE.sub(r"\1 ", text), found)
    if not tokens:  # "нет", "-", "ИНН:" and the like: no number at all
        return TaxIdParse(raw=raw, flags=("junk",))
    has_inn = any(len(t) == 10 and t.isascii() and t.isdigit() for t in tokens)
    _classify(tokens, expect == "kpp" or kpp_label or has_inn, found)
    return _assemble(raw, found)


def parse_tax_ids(value: str | None, expect: str | None = None) -> TaxIdParse:
    """Read the INN, KPP, OGRN or OGRNIP written in one cell.

    A lone 9-digit number is an INN that lost its leading zero in Excel (kept
    only if the checksum then holds); it is a KPP after an INN, after a "КПП"
    label, or with expect="kpp".

    Args:
        value: the cell as written: "ИНН/КПП 7707083893 / 770701001",
            "7707083893.0", "ОГРН 1027700132195"...
        expect: "kpp" when the column holds KPPs, else None.

    Returns:
        A TaxIdParse; never raises.

    Examples:
        >>> p = parse_tax_ids("7707083893/770701001")
        >>> p.inn, p.kpp, p.kind, p.region_code
        ('7707083893', '770701001', 'organisation', '77')
    """
    if value is None:
        return TaxIdParse(raw=None)
    return _parse(value, expect)


def normalise_inn(value: str | None) -> str | None:
    """Return the checksum-valid INN in a cell, or None.

    Examples:
        >>> normalise_inn("ИНН 7707083893")
        '7707083893'
    """
    return parse_tax_ids(value).inn


def normalise_ogrn(value: str | None) -> str | None:
    """Return the checksum-valid OGRN (13 digits) or OGRNIP (15 digits), or None.

    Examples:
        >>> normalise_ogrn("ОГРН 1027700132195")
        '1027700132195'
    """
    if value is not None:
        digits = value.strip()
        if len(digits) in (13, 15) and digits.isascii() and digits.isdigit():
            return digits if _ogrn_is_valid(digits) else None  # the usual cell
    parsed = parse_tax_ids(value)
    return parsed.ogrn or parsed.ogrnip


def normalise_kpp(value: str | None) -> str | None:
    """Return the KPP in a KPP cell (9 characters), or None.

    Examples:
        >>> normalise_kpp("КПП: 770701001")
        '770701001'
    """
    if value is not None:
        kpp = value.strip()
        if len(kpp) == 9 and kpp.isascii() and kpp.isdigit():  # the usual cell
            return kpp if KPP_PATTERN.fullmatch(kpp) else None
    return parse_tax_ids(value, expect="kpp").kpp
