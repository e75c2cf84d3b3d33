"""schema.org Organization / LocalBusiness data read with extruct.

JSON-LD, microdata and OpenGraph are read from the tree Scrapy already parsed (no
second parse); RDFa only when asked, from the HTML text (it needs its own DOM and
costs 30-40 times more per page). The first organisation found wins: JSON-LD, then
microdata, then RDFa; OpenGraph's title only names a page nothing else names.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import extruct
from extruct.jsonld import JsonLdExtractor
from extruct.opengraph import OpenGraphExtractor
from extruct.uniform import _umicrodata_microformat
from extruct.w3cmicrodata import MicrodataExtractor

__all__ = ["ORGANISATION_TYPES", "organisation_fields"]

# Organization, LocalBusiness and the subtypes directories use most.
ORGANISATION_TYPES = frozenset(
    [
        "Organization",
        "Corporation",
        "LocalBusiness",
        "OnlineBusiness",
        "NGO",
        "GovernmentOrganization",
        "EducationalOrganization",
        "MedicalOrganization",
        "SportsOrganization",
        "NewsMediaOrganization",
        "ProfessionalService",
        "LegalService",
        "AccountingService",
        "FinancialService",
        "AutomotiveBusiness",
        "AutoRepair",
        "AutoDealer",
        "Store",
        "HomeAndConstructionBusiness",
        "GeneralContractor",
        "Electrician",
        "Plumber",
        "RoofingContractor",
        "FoodEstablishment",
        "Restaurant",
        "CafeOrCoffeeShop",
        "LodgingBusiness",
        "Hotel",
        "HealthAndBeautyBusiness",
        "MedicalBusiness",
        "Dentist",
        "RealEstateAgent",
        "TravelAgency",
        "EmploymentAgency",
        "InternetCafe",
        "Library",
        "RecyclingCenter",
        "SelfStorage",
        "ShoppingCenter",
        "EntertainmentBusiness",
        "TouristInformationCenter",
        "AnimalShelter",
        "ChildCare",
        "DryCleaningOrLaundry",
        "EmergencyService",
        "Airline",
        "Consortium",
    ]
)


def _types(node: dict[str, Any]) -> set[str]:
    raw = node.get("@type") or node.get("type") or []
    names = raw if isinstance(raw, list) else [raw]
    return {str(name).rsplit("/", 1)[-1] for name in names}


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for child in node:
            yield from _walk(child)
    elif isinstance(node, dict):
        yield node
        for key in ("@graph", "mainEntity", "itemListElement", "item", "about"):
            if key in node:
                yield from _walk(node[key])


def _texts(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    if isinstance(value, dict):
        for key in ("@value", "name", "url", "@id"):
            if key in value:
                return _texts(value[key])
        return []
    text = " ".join(str(value).split())
    return [text] if text else []


def _first(value: Any) -> str | None:
    texts = _texts(value)
    return texts[0] if texts else None


def _address(value: Any) -> dict[str, str]:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str):
        return {"address": " ".join(value.split())}
    if not isinstance(value, dict):
        return {}
    parts = {
        "address": _first(value.get("streetAddress")),
        "city": _first(value.get("addressLocality")),
        "postcode": _first(value.get("postalCode")),
        "country": _first(value.get("addressCountry")),
    }
    return {key: text for key, text in parts.items() if text}


def _persons(node: dict[str, Any]) -> list[dict[str, str]]:
    people = []
    for role in ("founder", "employee", "member", "contactPoint"):
        for person in _as_list(node.get(role) or []):
            if isinstance(person, dict) and "Person" in _types(person):
                name = _first(person.get("name"))
                if name:
                    job = _first(person.get("jobTitle")) or role
                    people.append({"name": name, "role": job})
    return people


def _fields(node: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": _first(node.get("legalName")) or _first(node.get("name")),
        "website": _first(node.get("url")),
        "inn": _first(node.get("taxID")),
        "industry": _first(node.get("industry")) or _first(node.get("naics")),
        "phones": _texts(node.get("telephone")),
        "emails": [e.removeprefix("mailto:") for e in _texts(node.get("email"))],
        "socials": _texts(node.get("sameAs")),
        "persons": _persons(node),
    }
    fields.update(_address(node.get("address")))
    return {key: value for key, value in fields.items() if value}


def _as_list(node: Any) -> list[Any]:
    return node if isinstance(node, list) else [node]


def _short_keys(node: Any) -> Any:
    # RDFa names properties by full IRI ("http://schema.org/name"): shorten them.
    if isinstance(node, list):
        return [_short_keys(child) for child in node]
    if isinstance(node, dict):
        return {
            key.rsplit("/", 1)[-1] if key.startswith("http") else key: _short_keys(v)
            for key, v in node.items()
        }
    return node


def _organisations(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in items:
        for node in _walk(item):
            if _types(node) & ORGANISATION_TYPES:
                yield node


def organisation_fields(
    tree: Any, html: str, base_url: str, *, rdfa: bool = False
) -> tuple[dict[str, Any], str | None]:
    """CompanyItem fields from the page's schema.org organisation, and the syntax.

    Args:
        tree: the page parsed by lxml (Scrapy's `response.selector.root`).
        html: the page's text, used only for RDFa.
        base_url: the page URL, to resolve relative links.
        rdfa: also read RDFa (slow).

    Returns:
        (fields, syntax): fields named as CompanyItem's, values as written; syntax is
        "json-ld", "microdata", "rdfa" or "opengraph", or None when nothing was found.
    """
    jsonld = JsonLdExtractor().extract_items(tree, base_url=base_url)
    for node in _organisations(list(jsonld)):
        return _fields(node), "json-ld"
    microdata = MicrodataExtractor().extract_items(tree, base_url)
    for node in _organisations(_umicrodata_microformat(list(microdata), "microdata")):
        return _fields(node), "microdata"
    if rdfa:
        found = extruct.extract(
            html, base_url=base_url, syntaxes=["rdfa"], uniform=True, errors="ignore"
        )
        for node in _organisations(_short_keys(found.get("rdfa", []))):
            return _fields(node), "rdfa"
    for graph in OpenGraphExtractor().extract_items(tree, base_url=base_url):
        properties = dict(graph.get("properties", []))
        title = properties.get("og:title")
        if title:
            return {"name": " ".join(str(title).split())}, "opengraph"
    return {}, None
