"""Email validator: email-validator's syntax check, offline unless a lookup is given."""

from __future__ import annotations

from collections.abc import Callable

from email_validator import EmailNotValidError, validate_email

from enrich.types import Check
from leadbase.reference.mail import DOMAIN_TYPOS, is_placeholder_address
from leadbase.reference.tables import JUNK_CELLS

__all__ = ["check_email"]

_JUNK = JUNK_CELLS | {"@"}


def check_email(
    value: str | None, has_mail_server: Callable[[str], bool] | None = None
) -> Check:
    """Validate one email address; deliverability only when a lookup is passed in.

    Args:
        value: one address ("Ivan.Petrov@Mail.RU").
        has_mail_server: optional callable taking the ASCII domain and telling whether
            it accepts mail (an MX lookup); None, the default, never touches the
            network.

    Returns:
        Check(True, address) with the address lower-cased and its domain in Unicode;
        otherwise ok False with reason "empty", "junk", "bad_syntax", "placeholder"
        ("test@test.ru"), "typo_domain" ("mail.ry") or "no_mail_server".

    Examples:
        >>> check_email("Ivan.Petrov@Mail.RU")
        Check(ok=True, value='ivan.petrov@mail.ru', reason=None)
    """
    if value is None or not value.strip():
        return Check(False, None, "empty")
    text = value.strip().lower()
    if text.casefold() in _JUNK:
        return Check(False, None, "junk")
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return Check(False, None, "bad_syntax")
    local, domain = checked.local_part.lower(), checked.domain.lower()
    address = f"{local}@{domain}"
    if is_placeholder_address(local, domain):
        return Check(False, address, "placeholder")
    if domain in DOMAIN_TYPOS:
        return Check(False, address, "typo_domain")
    if has_mail_server is not None and not has_mail_server(checked.ascii_domain):
        return Check(False, address, "no_mail_server")
    return Check(True, address)
