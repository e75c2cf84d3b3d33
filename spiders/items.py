"""`CompanyItem`: the one item shape every spider yields.

Fields (all optional except `source_url` and `fetched_at`):

- `name`: company name as shown ("ООО «Ромашка»"); `legal_form` when written apart.
- `inn`, `ogrn`, `kpp`: found next to their labels, checksum-valid (KPP: pattern).
- `phones`: list, E.164 where parseable ("+74951234567"), else as written.
- `emails`: list of lower-case addresses.
- `website`: the company's own site (home page URL).
- `address`, `city`, `postcode`, `country` (ISO code where known), `industry`.
- `socials`: social-network and messenger links (vk.com, t.me, wa.me, ...).
- `persons`: named people ({"name", "role"}). Personal data: kept apart from the
  company fields and flagged by `has_personal_data`.
- `provenance`: field -> value -> URL of the page it came from.
- `flags`: what a reviewer should know ("tel_text_mismatch:...", "schema_org:...").
- `source_url`: the card (directory) or site (website spider) the item describes.
- `fetched_at`: ISO 8601 UTC time the item's last page was fetched.

Scrapy's feed exports write these as they are (`-O items.jsonl`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import scrapy

LIST_FIELDS = ("phones", "emails", "socials", "persons", "flags")
TEXT_FIELDS = (
    "name",
    "legal_form",
    "inn",
    "ogrn",
    "kpp",
    "website",
    "address",
    "city",
    "postcode",
    "country",
    "industry",
)


class CompanyItem(scrapy.Item):
    """A company as one page or one site shows it (see the module docstring)."""

    name = scrapy.Field()
    legal_form = scrapy.Field()
    inn = scrapy.Field()
    ogrn = scrapy.Field()
    kpp = scrapy.Field()
    phones = scrapy.Field()
    emails = scrapy.Field()
    website = scrapy.Field()
    address = scrapy.Field()
    city = scrapy.Field()
    postcode = scrapy.Field()
    country = scrapy.Field()
    industry = scrapy.Field()
    socials = scrapy.Field()
    persons = scrapy.Field()
    has_personal_data = scrapy.Field()
    provenance = scrapy.Field()
    flags = scrapy.Field()
    source_url = scrapy.Field()
    fetched_at = scrapy.Field()


def utc_now_text() -> str:
    """The current UTC time as ISO 8601 with seconds: the `fetched_at` format."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def new_company_item(source_url: str, **values: Any) -> CompanyItem:
    """A `CompanyItem` with empty lists and provenance filled in, then `values`."""
    item = CompanyItem(
        phones=[],
        emails=[],
        socials=[],
        persons=[],
        flags=[],
        provenance={},
        has_personal_data=False,
        source_url=source_url,
        fetched_at=utc_now_text(),
    )
    for key, value in values.items():
        item[key] = value
    return item


def add_value(item: CompanyItem, field: str, value: Any, url: str) -> None:
    """Add `value` to `field` (appended to lists, set for text) with its page URL.

    A text field keeps its first value: the first page that stated it wins.
    """
    if value in (None, "", [], {}):
        return
    provenance: dict[str, dict[str, str]] = item.setdefault("provenance", {})
    key = value if isinstance(value, str) else str(value)
    if field in LIST_FIELDS:
        values: list[Any] = item.setdefault(field, [])
        if value in values:
            return
        values.append(value)
    elif item.get(field):
        return
    else:
        item[field] = value
    provenance.setdefault(field, {}).setdefault(key, url)
    if field == "persons":
        item["has_personal_data"] = True
