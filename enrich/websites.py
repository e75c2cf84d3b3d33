"""Website validator: is this the company's own site? Offline unless told to fetch."""

from __future__ import annotations

from collections.abc import Callable

from enrich.types import Check
from leadbase.reference.web import (
    SHORTENER_HOSTS,
    is_directory_page,
    is_ip_host,
    registered_domain,
    social_network,
    split_url,
)

__all__ = ["check_website"]


def check_website(
    value: str | None, is_reachable: Callable[[str], bool] | None = None
) -> Check:
    """Validate one website address as the company's own site.

    Args:
        value: one address ("www.romashka.ru", "https://пример.рф/contacts").
        is_reachable: optional callable taking the canonical URL and telling whether
            it answers (an HTTP request); None, the default, never touches the network.

    Returns:
        Check(True, "https://romashka.ru") with the canonical URL (scheme kept or
        "https", host lower-case Unicode without "www.", no query, no trailing slash);
        otherwise ok False with reason "empty", "bad_url", "bad_scheme", "no_host",
        "bad_host", "email_not_url", "social_page", "directory_page", "shortener",
        "ip_address", "unknown_tld" or "unreachable".

    Examples:
        >>> check_website("WWW.Romashka.RU/")
        Check(ok=True, value='https://romashka.ru', reason=None)
    """
    if value is None or not value.strip():
        return Check(False, None, "empty")
    parts, problem = split_url(value)
    if parts is None:
        return Check(False, None, problem)
    reason: str | None = None
    if social_network(parts.host) is not None:
        reason = "social_page"
    elif parts.host in SHORTENER_HOSTS:
        reason = "shortener"
    elif is_directory_page(parts.host, parts.path):
        reason = "directory_page"
    elif is_ip_host(parts.host):
        reason = "ip_address"
    elif registered_domain(parts.host) is None:
        reason = "unknown_tld"
    elif is_reachable is not None and not is_reachable(parts.url):
        reason = "unreachable"
    return Check(reason is None, parts.url, reason)
