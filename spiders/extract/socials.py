"""Social-network and messenger links (vk.com, t.me, wa.me, ...), canonical."""

from __future__ import annotations

from urllib.parse import urlsplit

from leadbase.reference.web import canonical_host, social_network

__all__ = ["social_link"]


def social_link(href: str) -> str | None:
    """The link in canonical form when it points to a profile on a social network.

    A bare network home page ("https://vk.com/") is nobody's profile and is None.

    Examples:
        >>> social_link("https://www.vk.com/romashka_msk?from=site")
        'https://vk.com/romashka_msk'
        >>> social_link("https://api.whatsapp.com/send?phone=79161234567")
        'https://wa.me/79161234567'
    """
    parts = urlsplit(href.strip())
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    host = canonical_host(parts.hostname)
    found = social_network(host) if host else None
    if found is None:
        return None
    network, canonical = found
    path = parts.path.rstrip("/")
    if network == "whatsapp" and "phone=" in parts.query:
        phone = parts.query.split("phone=", 1)[1].split("&", 1)[0]
        path = "/" + phone.lstrip("+")
    if not path:
        return None
    return f"https://{canonical}{path}"
