"""Phones: every number in a cell, as E.164 with its extension, type and validity.

Canonical form: E.164, with an extension written the RFC 3966 way, the only extension
syntax phonenumbers reads back: "+74951234567;ext=123". The extension stays out of
`PhoneParse.e164` (a switchboard is shared by all its extensions) but is part of
`normalise_phone`'s answer, so `normalise_phone` is idempotent.

How a cell is read: extension markers ("доб.", "доп.", "вн.", "ext", "#", "x") are
unified; labelled tax ids ("ИНН 7707083893") are set aside and flagged; the rest is
split at "," ";" "/" "|" new lines and "или"/"or". A piece made only of digits and
phone punctuation is parsed directly (Russian and Kazakh shapes without phonenumbers'
parser, which is the slow part); a run of full numbers separated by spaces is cut
greedily; a label before it ("тел.:", "факс") is read off. Any other piece with words
goes through `phonenumbers.PhoneNumberMatcher` with `Leniency.VALID`: free text holds
INNs, dates and prices, and only numbers the metadata knows are trusted there; phone-
shaped runs the matcher passed over are kept, flagged.

Speed: cells repeat, so both steps are cached per (cell, region). `normalise_phone`
needs no metadata; line type, validity and display form (the slow part of
phonenumbers) are worked out once per distinct number, only for `parse_phones`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

import phonenumbers as pn
from phonenumbers import Leniency, PhoneNumber, PhoneNumberMatcher, PhoneNumberType

from leadbase.reference.tables import JUNK_CELLS

__all__ = ["PhoneParse", "normalise_phone", "normalise_phones", "parse_phones"]

_KINDS = {
    PhoneNumberType.FIXED_LINE: "fixed",
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.VOIP: "voip",
}  # values of leadbase.enums.PhoneKind; the rest (shared cost, pager...) is "unknown"
_PARSE_ERRORS = {
    pn.NumberParseException.INVALID_COUNTRY_CODE: "bad_country_code",
    pn.NumberParseException.TOO_SHORT_NSN: "too_short",
    pn.NumberParseException.TOO_SHORT_AFTER_IDD: "too_short",
    pn.NumberParseException.TOO_LONG: "too_long",
}
_POSSIBLE_ERRORS = {
    pn.ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "no_area_code",
    pn.ValidationResult.TOO_SHORT: "too_short",
    pn.ValidationResult.TOO_LONG: "too_long",
    pn.ValidationResult.INVALID_LENGTH: "bad_length",
    pn.ValidationResult.INVALID_COUNTRY_CODE: "bad_country_code",
}
_TRUNK_7 = frozenset({"RU", "KZ"})  # +7: trunk prefix 8, ten-digit national numbers
_JUNK = JUNK_CELLS
_DASHES = str.maketrans("\u00a0\u2009\u202f\u2010\u2011\u2012\u2013\u2014\u2212＋（）",
                        "   ------+()")  # fmt: skip
_EXT = re.compile(
    r"\s*[,(]?\s*(?:(?<![^\W\d_])(?:добавочный|доб|доп|внутр|вн|extension|ext|x)"
    r"(?![^\W\d_])\.?|#|;\s*ext=)\s*[:.]?\s*([0-9]{1,7})\s*\)?",
    re.IGNORECASE,
)
_TAX_ID = re.compile(
    r"(?<![^\W\d_])(?:инн|огрнип|огрн|кпп|окпо|бик|р/с|к/с|inn|ogrn|kpp|bik)"
    r"(?![^\W\d_])\W{0,4}[0-9][0-9 ]{3,}[0-9](?:\s*/\s*[0-9]{9})?",
    re.IGNORECASE,
)
_SPLIT = re.compile(
    r"[,;\n\r|]+|(?<=[0-9])\s*/\s*(?=[0-9+(])|\s/\s|\s(?:или|or|и|and)\s", re.IGNORECASE
)
_PLAIN = re.compile(r"(\+?[0-9()\-. ]*[0-9][0-9()\-. ]*?)\s*(?: ext\. ([0-9]+))?")
_RUN = re.compile(r"\+?[0-9(][0-9()\-. ]*[0-9](?: ext\. [0-9]+)?")
_LOCAL = re.compile(r"[0-9]{2,3}-[0-9]{2}-[0-9]{2}")
_EXT_HINT = re.compile(r"[#;xXдДвВ]")  # every extension marker holds one of these
_LETTER = re.compile(r"[^\W\d_]")
_LABEL = re.compile(r"[^\W\d_][^0-9+(]*")
_FAX = re.compile(r"факс|fax", re.IGNORECASE)
_NOT_DIGIT = re.compile(r"[^0-9]")
_ANY_DIGIT = re.compile(r"\d")  # any script: phonenumbers reads "８４９５..." too
_SEQUENCES = (
    "01234567890 9876543210"  # "123-45-67", "(987) 654-32-10": typed to fill a form
)
# The usual cell (see _quick_numbers): digits, phone punctuation, "," and ";".
_QUICK_CELL = re.compile(r"[0-9()\-. +,;]+")
_QUICK_SPLIT = re.compile(r"[,;]+")
_QUICK_DIGIT = re.compile(r"[0-9]")
_ONLY_DIGITS = str.maketrans("", "", "()-. +")


@dataclass(frozen=True, slots=True)
class PhoneParse:
    """One number found in a phone cell.

    Attributes:
        raw: the cell; or the piece of it this number came from when it held several.
        e164: "+74951234567", or None when no full number could be made.
        extension: the extension digits ("123"), or None.
        kind: "fixed", "mobile", "toll_free", "voip" or "unknown" (PhoneKind values).
        is_valid: phonenumbers' metadata knows the number's range.
        region: ISO country of the number ("RU", "KZ", "GB"), or None.
        national: the number for display: "+7 495 123-45-67"; the bare digits
            ("1234567") of a local number whose area code is missing.
        flags: see `parse_phones`.
    """

    raw: str | None
    e164: str | None = None
    extension: str | None = None
    kind: str = "unknown"
    is_valid: bool = False
    region: str | None = None
    national: str | None = None
    flags: tuple[str, ...] = ()


@lru_cache(maxsize=131072)
def _describe(e164: str) -> tuple[str, bool, str | None, str]:
    # The metadata work (line type, country, display form) is the slow part of
    # phonenumbers: it runs once per number, and only for callers of parse_phones.
    if e164.startswith("+7"):
        number = PhoneNumber(country_code=7, national_number=int(e164[2:]))
    else:
        number = pn.parse(e164)  # cannot fail: _stable has read it back already
    line = pn.number_type(number)  # UNKNOWN exactly when is_valid_number is False
    code = number.country_code or 0
    region = pn.region_code_for_number(number) or pn.region_code_for_country_code(code)
    national = pn.format_number(number, pn.PhoneNumberFormat.INTERNATIONAL)
    return (
        _KINDS.get(line, "unknown"),
        line != PhoneNumberType.UNKNOWN,
        region,
        national,
    )


def _stable(e164: str, number: PhoneNumber, read_from: str) -> bool:
    # normalise_phone must be idempotent: an E.164 string that would read back as
    # another number (too long, a +7 number with a leading 0) is no canonical form.
    if len(e164) > 16:
        return False
    if number.country_code == 7:
        return len(e164) == 12 and e164[2] != "0"
    if e164 == read_from:  # parsed from this very string: it reads back the same
        return True
    try:
        again = pn.parse(e164)
    except pn.NumberParseException:
        return False
    return pn.format_number(again, pn.PhoneNumberFormat.E164) == e164


def _found(e164: str, ext: str | None, raw: str, flags: tuple[str, ...]) -> PhoneParse:
    tail = e164[2:] if e164.startswith("+7") else e164[-10:]
    if len(set(tail)) <= 1 or tail in _SEQUENCES:
        flags = (*flags, "placeholder")  # 999-99-99, 123-45-67-89
    return PhoneParse(raw, e164, ext or None, flags=flags)


def _from_number(
    number: PhoneNumber, raw: str, flags: tuple[str, ...], read_from: str = ""
) -> PhoneParse:
    e164 = pn.format_number(number, pn.PhoneNumberFormat.E164)
    if not _stable(e164, number, read_from):
        return PhoneParse(raw, flags=(*flags, "invalid"))
    return _found(e164, number.extension, raw, flags)


def _from_digits(
    digits: str, plus: bool, ext: str | None, region: str | None, raw: str
) -> PhoneParse:
    size = len(digits)
    if not plus and digits.startswith("00") and size > 9:
        plus, digits, size = True, digits[2:], size - 2  # 00 is the IDD of most lands
    if (plus and size == 11 and digits[0] == "7") or (
        region in _TRUNK_7
        and not plus
        and (size == 10 or (size == 11 and digits[0] in "78"))
    ):
        if digits[-10] == "0":  # no +7 range starts with 0: "8 (000) 123-45-67"
            return PhoneParse(raw, region=region, flags=("invalid",))
        return _found("+7" + digits[-10:], ext, raw, ())
    if region in _TRUNK_7 and not plus and 5 <= size <= 7:
        return PhoneParse(raw, region=region, national=digits, flags=("no_area_code",))
    if size < 5:
        return PhoneParse(raw, flags=("too_short",))
    return _parse_slow(("+" if plus else "") + digits, ext, region, raw)


def _parse_slow(
    candidate: str, ext: str | None, region: str | None, raw: str
) -> PhoneParse:
    number: PhoneNumber | None = None
    try:
        number = pn.parse(candidate, region)
        problem = _POSSIBLE_ERRORS.get(pn.is_possible_number_with_reason(number))
    except pn.NumberParseException as error:
        problem = _PARSE_ERRORS.get(error.error_type, "not_a_phone")
    valid = number is not None and problem is None and pn.is_valid_number(number)
    if region is not None and len(candidate) >= 11 and not valid:
        # "380441234567": an international number written without its "+" (only
        # guessed when a region was given and failed: otherwise every number would).
        try:
            guess = pn.parse("+" + candidate)
        except pn.NumberParseException:
            guess = None
        if guess is not None and pn.is_valid_number(guess):
            guess.extension = ext
            return _from_number(guess, raw, ("missing_plus",), "+" + candidate)
    if number is None or problem is not None:
        national = _NOT_DIGIT.sub("", candidate) if problem == "no_area_code" else None
        return PhoneParse(
            raw, region=region, national=national, flags=(problem or "not_a_phone",)
        )
    number.extension = ext
    return _from_number(number, raw, (), candidate)


def _complete(digits: str, plus: bool, region: str | None) -> bool:
    trunk_7 = region in _TRUNK_7 and not plus
    if (plus and digits[:1] == "7") or (trunk_7 and digits[:1] in ("7", "8")):
        return len(digits) == 11
    if trunk_7:
        return len(digits) == 10
    try:
        return pn.is_valid_number(pn.parse(("+" if plus else "") + digits, region))
    except pn.NumberParseException:
        return False


def _split_run(body: str, region: str | None) -> list[tuple[str, bool]]:
    """Cut "8 495 123-45-67 8 916 123-45-67" into full numbers at spaces, greedily."""
    pieces: list[tuple[str, bool]] = []
    digits, plus = "", False
    for token in body.split():
        if not digits:
            plus = token.startswith("+")
        digits += _NOT_DIGIT.sub("", token)
        if _complete(digits, plus, region):
            pieces.append((digits, plus))
            digits = ""
    if digits:
        pieces.append((digits, plus))
    return pieces


def _parse_plain(
    body: str, ext: str | None, region: str | None, raw: str
) -> list[PhoneParse]:
    digits = _NOT_DIGIT.sub("", body)
    plus = body.lstrip().startswith("+")
    whole = _from_digits(digits, plus, ext, region, raw)
    if len(digits) <= 12 or whole.e164 or " " not in body.strip():
        return [whole]
    pieces = _split_run(body, region)
    if len(pieces) == 1:
        return [whole]
    last = len(pieces) - 1  # an extension written after the run belongs to its end
    return [
        _from_digits(part, part_plus, ext if i == last else None, region, raw)
        for i, (part, part_plus) in enumerate(pieces)
    ]


def _parse_segment(segment: str, region: str | None) -> list[PhoneParse]:
    if not segment:
        return []
    plain = _PLAIN.fullmatch(segment)
    if plain:
        return _parse_plain(plain.group(1), plain.group(2), region, segment)
    # "тел.: 8 (495) ...", "факс 8 ...": a label and then only the number is common
    # enough to skip the matcher, which costs ten times a plain parse.
    label = _LABEL.match(segment)
    plain = _PLAIN.fullmatch(segment[label.end() :].strip()) if label else None
    if label and plain:
        flags = ("fax",) if _FAX.search(label.group()) else ()
        found = _parse_plain(plain.group(1), plain.group(2), region, segment)
        return [_add_flags(parsed, flags) for parsed in found]
    return _parse_text(segment, region)


def _phone_like(run: str, region: str | None) -> bool:
    # Free text also holds INNs, OGRNs, dates and prices: only phone shapes pass.
    digits = _NOT_DIGIT.sub("", run.split(" ext. ")[0])
    if _LOCAL.fullmatch(run):
        return True
    if digits == run:  # bare digits: only the lengths of a Russian phone
        return region in _TRUNK_7 and (
            (len(digits) == 11 and digits[0] in "78")
            or (len(digits) == 10 and digits[0] == "9")
        )
    return 10 <= len(digits) <= 15


def _parse_text(segment: str, region: str | None) -> list[PhoneParse]:
    flags = ("fax",) if _FAX.search(segment) else ()
    found: list[tuple[int, PhoneParse]] = []
    spans: list[tuple[int, int]] = []
    for match in PhoneNumberMatcher(segment, region, leniency=Leniency.VALID):
        spans.append((match.start, match.end))
        found.append((match.start, _from_number(match.number, match.raw_string, flags)))
    for run in _RUN.finditer(segment):
        if any(start < run.end() and run.start() < end for start, end in spans):
            continue
        text = run.group().strip()
        if _phone_like(text, region):
            plain = _PLAIN.fullmatch(text)
            body, ext = (plain.group(1), plain.group(2)) if plain else (text, None)
            for parsed in _parse_plain(body, ext, region, text):
                found.append((run.start(), _add_flags(parsed, flags)))
    return [parsed for _, parsed in sorted(found, key=lambda item: item[0])]


def _add_flags(parsed: PhoneParse, flags: tuple[str, ...]) -> PhoneParse:
    return replace(parsed, flags=(*parsed.flags, *flags)) if flags else parsed


def _region(region: str | None) -> str | None:
    code = (region or "").strip().upper()
    return code if code in pn.SUPPORTED_REGIONS else None


@lru_cache(maxsize=262144)
def parse_phones(
    value: str | None, region: str | None = "RU"
) -> tuple[PhoneParse, ...]:
    """Find every phone number in a cell.

    Args:
        value: the cell as read ("8 (495) 123-45-67 доб. 12, +7 916 123 45 67").
        region: ISO country assumed for numbers written without "+" (the source's
            `--region`); None or an unknown code means only "+" numbers are read.

    Returns:
        One `PhoneParse` per number found, in order; () for an empty cell. A cell with
        nothing usable gives one parse with e164 None. Flags: "junk" (no digits),
        "no_area_code" (local number, kept as digits in `national`), "too_short",
        "too_long", "bad_length", "bad_country_code", "not_a_phone", "invalid"
        (unknown range), "placeholder" ("999-99-99"), "missing_plus" ("380..."),
        "tax_id" (a labelled INN/OGRN/KPP/account in the cell), "fax" (labelled fax).

    Examples:
        >>> [p.e164 for p in parse_phones("8 (495) 123-45-67; 8-800-555-35-35")]
        ['+74951234567', '+78005553535']
    """
    return tuple(_with_metadata(parsed) for parsed in _extract(value, region))


def _with_metadata(parsed: PhoneParse) -> PhoneParse:
    if parsed.e164 is None:
        return parsed
    kind, valid, region, national = _describe(parsed.e164)
    flags = parsed.flags
    if "placeholder" in flags:
        valid = False
    elif not valid:
        flags = (*flags, "invalid")
    return replace(
        parsed, kind=kind, is_valid=valid, region=region, national=national, flags=flags
    )


@lru_cache(maxsize=262144)
def _extract(value: str | None, region: str | None) -> tuple[PhoneParse, ...]:
    # Numbers, extensions and parse flags: all normalise_phone needs, and cheap.
    if value is None or not value.strip():
        return ()
    text = value.translate(_DASHES).strip()
    if text.casefold() in _JUNK or not _ANY_DIGIT.search(text):
        return (PhoneParse(value, flags=("junk",)),)
    code = _region(region)
    if _EXT_HINT.search(text):  # most cells have no marker: skip the costly pattern
        text = _EXT.sub(r" ext. \1 ", text)
    tax_ids: list[PhoneParse] = []
    if _LETTER.search(text):
        tax_ids = [
            PhoneParse(m.group(), flags=("tax_id",)) for m in _TAX_ID.finditer(text)
        ]
        text = _TAX_ID.sub(";", text)
    found: list[PhoneParse] = []
    for segment in _SPLIT.split(text):
        found.extend(_parse_segment(segment.strip(), code))
    found.extend(tax_ids)
    if not found:
        return (PhoneParse(value, flags=("not_a_phone",)),)
    if len(found) == 1:
        return (_with_raw(found[0], value),)
    return tuple(found)


def _with_raw(p: PhoneParse, raw: str) -> PhoneParse:
    # A positional copy: dataclasses.replace costs several times as much, once a cell.
    return PhoneParse(
        raw, p.e164, p.extension, p.kind, p.is_valid, p.region, p.national, p.flags
    )


def _canonical(parsed: PhoneParse) -> str | None:
    if parsed.e164 is None or "placeholder" in parsed.flags:
        return None
    return f"{parsed.e164};ext={parsed.extension}" if parsed.extension else parsed.e164


def _quick_piece(piece: str, code: str | None) -> str | None:
    """One number of digits and punctuation, read as _from_digits reads it.

    Returns the E.164 number, "" when the piece gives no full number, or None
    when only the general path can tell ("+44 ...", "00 ...", other lengths).
    """
    digits = piece.translate(_ONLY_DIGITS)
    size = len(digits)
    if piece[:1] == "+":
        if size != 11 or digits[0] != "7":
            return None
    elif code not in _TRUNK_7:
        return "" if size < 5 else None
    elif (size == 11 and digits[0] in "78") or size == 10:
        if digits[:2] == "00":
            return None  # 00 is an international prefix: the general path
    elif size < 8:
        return ""  # a local number without its area code, or too short
    else:
        return None
    tail = digits[-10:]
    if tail[0] == "0" or len(set(tail)) <= 1 or tail in _SEQUENCES:
        return ""  # no +7 range starts with 0; placeholders are no numbers
    return "+7" + tail


def _quick_numbers(value: str, code: str | None) -> tuple[str, ...] | None:
    """normalise_phones of the usual cell, without parsing objects; None: not one.

    The usual cell holds only digits, phone punctuation and "," or ";" between
    numbers, each number written "+7 ..." or in the national form. Such cells make
    no PhoneParse at all: _extract would make two per number, and keep them cached.
    """
    if not _QUICK_CELL.fullmatch(value):
        return None
    numbers: list[str] = []
    for piece in _QUICK_SPLIT.split(value):
        piece = piece.strip(" ")
        if not piece:
            continue
        if "+" in piece[1:] or not _QUICK_DIGIT.search(piece):
            return None
        number = _quick_piece(piece, code)
        if number is None:
            return None
        if number:
            numbers.append(number)
    return tuple(dict.fromkeys(numbers))


def normalise_phones(value: str | None, region: str | None = "RU") -> tuple[str, ...]:
    """Canonical forms of every full number in a cell, duplicates dropped.

    Examples:
        >>> normalise_phones("8 495 123-45-67 / +7 (495) 123-45-67, 8 916 123 45 67")
        ('+74951234567', '+79161234567')
    """
    if value is None:
        return ()
    quick = _quick_numbers(value, _region(region))
    if quick is not None:
        return quick
    found = (_canonical(parsed) for parsed in _extract(value, region))
    return tuple(dict.fromkeys(number for number in found if number))


def normalise_phone(value: str | None, region: str | None = "RU") -> str | None:
    """Canonical form of the first full number in a cell: E.164 plus ";ext=N".

    Args:
        value: the cell as read.
        region: ISO country assumed for numbers written without "+".

    Returns:
        "+74951234567" or "+74951234567;ext=123"; None when the cell has no full
        number (local numbers without an area code and placeholders give None).

    Examples:
        >>> normalise_phone("8 (495) 123-45-67 доб. 123")
        '+74951234567;ext=123'
    """
    if value is not None:
        quick = _quick_numbers(value, _region(region))
        if quick is not None:
            return quick[0] if quick else None
    for parsed in _extract(value, region):
        canonical = _canonical(parsed)
        if canonical:
            return canonical
    return None
