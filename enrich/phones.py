"""Phone validator: a thin wrapper around phonenumbers, returning a `Check`."""

from __future__ import annotations

import phonenumbers as pn

from enrich.types import Check

__all__ = ["check_phone"]

_PARSE_REASONS = {
    pn.NumberParseException.INVALID_COUNTRY_CODE: "bad_country_code",
    pn.NumberParseException.NOT_A_NUMBER: "not_a_number",
    pn.NumberParseException.TOO_SHORT_NSN: "too_short",
    pn.NumberParseException.TOO_SHORT_AFTER_IDD: "too_short",
    pn.NumberParseException.TOO_LONG: "too_long",
}
_POSSIBLE_REASONS = {
    pn.ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "no_area_code",
    pn.ValidationResult.TOO_SHORT: "too_short",
    pn.ValidationResult.TOO_LONG: "too_long",
    pn.ValidationResult.INVALID_LENGTH: "bad_length",
    pn.ValidationResult.INVALID_COUNTRY_CODE: "bad_country_code",
}


def check_phone(value: str | None, region: str | None = "RU") -> Check:
    """Validate one phone number against phonenumbers' metadata.

    Args:
        value: one number, canonical ("+74951234567;ext=12") or as written
            ("8 (495) 123-45-67 доб. 12"); several numbers in one value fail.
        region: ISO country assumed when the number has no "+".

    Returns:
        Check(True, "+74951234567[;ext=N]") for a number in a known range; otherwise
        ok False with reason "empty", "not_a_number", "bad_country_code",
        "too_short", "too_long", "bad_length", "no_area_code" or "invalid_number"
        (possible length, unknown range: value still holds the E.164 form).

    Examples:
        >>> check_phone("8 (495) 123-45-67")
        Check(ok=True, value='+74951234567', reason=None)
    """
    if value is None or not value.strip():
        return Check(False, None, "empty")
    code = (region or "").strip().upper()
    try:
        number = pn.parse(value, code if code in pn.SUPPORTED_REGIONS else None)
    except pn.NumberParseException as error:
        return Check(False, None, _PARSE_REASONS.get(error.error_type, "not_a_number"))
    reason = _POSSIBLE_REASONS.get(pn.is_possible_number_with_reason(number))
    if reason is not None:
        return Check(False, None, reason)
    canonical = pn.format_number(number, pn.PhoneNumberFormat.E164)
    if number.extension:
        canonical += f";ext={number.extension}"
    if not pn.is_valid_number(number):
        return Check(False, canonical, "invalid_number")
    return Check(True, canonical)
