"""Every contact a page states about its own company, each with the page URL."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spiders.extract.addresses import FoundAddress, address_block, addresses_in_text
from spiders.extract.emails import (
    decode_cloudflare,
    emails_in_script,
    emails_in_text,
    mailto_address,
)
from spiders.extract.phones import phones_in_text, resolve_tel_link
from spiders.extract.socials import social_link
from spiders.extract.tax_ids import TaxIds, tax_ids_in_text
from spiders.extract.text import visible_elements, visible_links, visible_text

__all__ = ["PageContacts", "contacts_on_page"]


@dataclass
class PageContacts:
    """What one page says. `flags` note what a reviewer should see."""

    url: str
    text: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    socials: list[str] = field(default_factory=list)
    tax_ids: TaxIds = field(default_factory=TaxIds)
    addresses: list[FoundAddress] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def _add(values: list[str], value: str | None) -> None:
    if value and value not in values:
        values.append(value)


def _links(page: PageContacts, root: Any, region: str | None) -> None:
    for link in visible_links(root):
        href = (link.get("href") or "").strip()
        scheme = href.split(":", 1)[0].lower()
        if scheme == "mailto":
            _add(page.emails, mailto_address(href))
        elif scheme == "tel":
            resolved = resolve_tel_link(href, link.text_content(), region)
            _add(page.phones, resolved.phone)
            if resolved.conflict:
                linked, shown = resolved.conflict
                page.flags.append(f"tel_text_mismatch:{linked}:{shown}")
        elif "/cdn-cgi/l/email-protection" in href:
            _add(page.emails, decode_cloudflare(href))
        else:
            _add(page.socials, social_link(href))


def _addresses(page: PageContacts, root: Any) -> None:
    found = {a.text: a for a in addresses_in_text(page.text)}
    for element in visible_elements(root, "address"):
        block = address_block(visible_text(element))
        if block is not None:
            found.setdefault(block.text, block)
    page.addresses = list(found.values())


def contacts_on_page(root: Any, url: str, region: str | None) -> PageContacts:
    """Emails, phones, socials, tax ids and addresses of the page's own company.

    Args:
        root: the page parsed by lxml (Scrapy's `response.selector.root`).
        url: the page URL, recorded as the provenance of every value.
        region: ISO country for phones written without "+".
    """
    page = PageContacts(url)
    for node in root.iter():
        encoded = node.get("data-cfemail") if isinstance(node.tag, str) else None
        if encoded:
            _add(page.emails, decode_cloudflare(encoded))
    for script in root.iter("script"):
        if script.text and "@" in script.text:
            for address in emails_in_script(script.text):
                _add(page.emails, address)
    _links(page, root, region)
    page.text = visible_text(root)
    for address in emails_in_text(page.text):
        _add(page.emails, address)
    for phone in phones_in_text(page.text, region):
        _add(page.phones, phone)
    page.tax_ids = tax_ids_in_text(page.text)
    _addresses(page, root)
    return page
