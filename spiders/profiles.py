"""Directory profiles: one YAML file per site in `spiders/profiles/`, validated whole.

A profile names where to start, which links are company cards, how to page, and
(optionally) a selector per CompanyItem field. Selectors are CSS by default, XPath
with an "xpath:" prefix ("css:" is accepted too). Every problem in a file is
reported at once, each naming the file and the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from cssselect import SelectorError
from lxml import etree
from parsel import Selector

from leadbase.errors import LeadbaseError

__all__ = [
    "PROFILE_DIR",
    "Profile",
    "ProfileError",
    "list_profiles",
    "load_profile",
]

PROFILE_DIR = Path(__file__).with_name("profiles")
FIELD_NAMES = frozenset(
    [
        "name",
        "legal_form",
        "inn",
        "ogrn",
        "kpp",
        "phones",
        "emails",
        "website",
        "address",
        "city",
        "postcode",
        "country",
        "industry",
        "socials",
        "persons",
    ]
)
_TOP_KEYS = {
    "name": str,
    "source": str,
    "description": str,
    "start_urls": list,
    "sitemap": str,
    "allowed_domains": list,
    "country": str,
    "rdfa": bool,
    "listing": dict,
    "detail": dict,
    "politeness": dict,
}
_LISTING_KEYS = {"links": str, "next_page": str}
_DETAIL_KEYS = {"url_pattern": str, "fields": dict}
_POLITENESS = {
    "download_delay": (int, float),
    "concurrency": int,
    "autothrottle": bool,
    "max_pages": int,
}
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


class ProfileError(LeadbaseError):
    """Raised by `load_profile` for a missing, unreadable or invalid profile."""


@dataclass(frozen=True)
class Profile:
    """A validated directory profile (see the README for the format)."""

    name: str
    path: Path
    source: str
    start_urls: tuple[str, ...] = ()
    sitemap: str | None = None
    allowed_domains: tuple[str, ...] = ()
    country: str | None = None
    rdfa: bool = False
    links: str | None = None
    next_page: str | None = None
    url_pattern: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    politeness: dict[str, Any] = field(default_factory=dict)


def select(selector: Selector, expression: str) -> list[str]:
    """Run a profile selector ("css:...", "xpath:..." or bare CSS) on a page."""
    if expression.startswith("xpath:"):
        found = selector.xpath(expression[6:])
    else:
        found = selector.css(expression.removeprefix("css:"))
    return [" ".join(text.split()) for text in found.getall() if text.strip()]


def _selector_problem(expression: str) -> str | None:
    try:
        if expression.startswith("xpath:"):
            etree.XPath(expression[6:])
        else:
            Selector(text="<html></html>").css(expression.removeprefix("css:"))
    except (SelectorError, etree.XPathError, ValueError) as exc:
        return str(exc) or type(exc).__name__
    return None


def _check_keys(
    data: dict[str, Any], allowed: dict[str, Any], where: str, problems: list[str]
) -> None:
    for key, value in data.items():
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            problems.append(f"{where}{key}: unknown key (known: {known})")
        elif not isinstance(value, allowed[key]) or isinstance(value, bool) != (
            allowed[key] is bool
        ):
            kind = getattr(allowed[key], "__name__", "number")
            problems.append(f"{where}{key}: must be a {kind}, got {value!r}")


def _check_selector(expression: Any, where: str, problems: list[str]) -> None:
    if not isinstance(expression, str) or not expression.strip():
        problems.append(f"{where}: must be a CSS or xpath: selector")
        return
    problem = _selector_problem(expression)
    if problem:
        problems.append(f"{where}: bad selector {expression!r}: {problem}")


def _section(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _validate(data: dict[str, Any], problems: list[str]) -> None:
    _check_keys(data, _TOP_KEYS, "", problems)
    listing = _section(data, "listing")
    detail = _section(data, "detail")
    politeness = data.get("politeness")
    _check_keys(listing, _LISTING_KEYS, "listing.", problems)
    _check_keys(detail, _DETAIL_KEYS, "detail.", problems)
    if isinstance(politeness, dict):
        _check_keys(politeness, _POLITENESS, "politeness.", problems)
    for key in ("links", "next_page"):
        if key in listing:
            _check_selector(listing[key], f"listing.{key}", problems)
    fields = _section(detail, "fields")
    for name, expression in fields.items():
        if name not in FIELD_NAMES:
            problems.append(
                f"detail.fields.{name}: unknown field "
                f"(known: {', '.join(sorted(FIELD_NAMES))})"
            )
        _check_selector(expression, f"detail.fields.{name}", problems)
    starts = data.get("start_urls")
    if not starts and not data.get("sitemap"):
        problems.append("start_urls: missing (give start_urls or sitemap)")
    for url in starts if isinstance(starts, list) else []:
        if not (isinstance(url, str) and re.match(r"^https?://[^/\s]+", url)):
            problems.append(f"start_urls: {url!r} is not an http(s) URL")
    if "links" not in listing and "url_pattern" not in detail:
        problems.append("listing.links: missing (or give detail.url_pattern)")
    if isinstance(detail.get("url_pattern"), str):
        try:
            re.compile(detail["url_pattern"])
        except re.error as exc:
            problems.append(f"detail.url_pattern: bad regular expression: {exc}")


def profile_path(name_or_path: str) -> Path:
    """The file of a profile given by name ("demo") or path ("my/site.yaml")."""
    path = Path(name_or_path)
    if path.suffix in {".yaml", ".yml"}:
        return path
    return PROFILE_DIR / f"{name_or_path}.yaml"


def load_profile(name_or_path: str) -> Profile:
    """Read and validate a profile.

    Raises:
        ProfileError: the file is missing or unreadable, or every problem found in it.
    """
    path = profile_path(name_or_path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        known = ", ".join(list_profiles()) or "none"
        raise ProfileError(
            f"no profile {path}; write one (see README) or use one of: {known}"
        ) from exc
    except (OSError, yaml.YAMLError) as exc:
        raise ProfileError(f"{path}: cannot read the profile: {exc}") from exc
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: a profile must be a YAML mapping of keys")
    problems: list[str] = []
    _validate(data, problems)
    name = data.get("name", path.stem)
    if not (isinstance(name, str) and _NAME.match(name)):
        problems.append(f"name: {name!r} must be lower-case letters, digits, - or _")
    if problems:
        raise ProfileError(
            f"{path}: {len(problems)} problem(s):\n  " + "\n  ".join(problems)
        )
    listing, detail = data.get("listing", {}), data.get("detail", {})
    return Profile(
        name=name,
        path=path,
        source=str(data.get("source", name)),
        start_urls=tuple(data.get("start_urls", ())),
        sitemap=data.get("sitemap"),
        allowed_domains=tuple(data.get("allowed_domains", ())),
        country=data.get("country"),
        rdfa=data.get("rdfa", False),
        links=listing.get("links"),
        next_page=listing.get("next_page"),
        url_pattern=detail.get("url_pattern"),
        fields=dict(detail.get("fields", {})),
        politeness=dict(data.get("politeness", {})),
    )


def list_profiles(directory: Path = PROFILE_DIR) -> list[str]:
    """Names of the profiles in `spiders/profiles/`."""
    return sorted(path.stem for path in directory.glob("*.yaml"))
