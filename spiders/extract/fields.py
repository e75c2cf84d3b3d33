"""Turn values read by selectors or schema.org into CompanyItem values."""

from __future__ import annotations

from typing import Any

from stdnum.exceptions import ValidationError
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from leadbase.reference.ids import KPP_PATTERN
from spiders.extract.emails import emails_in_text, mailto_address
from spiders.extract.phones import e164, phones_in_text
from spiders.extract.socials import social_link

__all__ = ["clean_values"]

_ID_CHECKS: dict[str, Any] = {"inn": stdnum_inn, "ogrn": stdnum_ogrn}


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _tax_id(kind: str, texts: list[str]) -> tuple[str | None, list[str]]:
    rejected: list[str] = []
    for text in texts:
        if kind == "kpp":
            value = "".join(text.split()).upper()[-9:]
            if KPP_PATTERN.fullmatch(value):
                return value, rejected
        else:
            value = _digits(text)
            try:
                _ID_CHECKS[kind].validate(value)
                return value, rejected
            except ValidationError:
                pass
        rejected.append(f"{kind}:{text}")
    return None, rejected


def _phones(texts: list[str], region: str | None) -> list[str]:
    """E.164 where parseable; a selector's text that is not kept as written (a
    local number without its area code is still the company's), if it has digits."""
    found: list[str] = []
    for text in texts:
        numbers: list[str | None] = list(phones_in_text(text, region))
        if not numbers:
            numbers = [e164(text, region or "RU")]
        if numbers == [None] and len(_digits(text)) >= 5:
            numbers = [text]
        found.extend(n for n in numbers if n and n not in found)
    return found


def _emails(texts: list[str]) -> list[str]:
    found: list[str] = []
    for text in texts:
        address = mailto_address(text) if text.lower().startswith("mailto:") else None
        for value in [address] if address else emails_in_text(text):
            if value and value not in found:
                found.append(value)
    return found


def clean_values(
    field: str, texts: list[str], region: str | None
) -> tuple[Any, list[str]]:
    """The CompanyItem value of `field` read from `texts`, and rejected ids.

    Lists (phones, emails, socials, persons) keep every usable value; text fields
    keep the first; tax ids keep the first checksum-valid one.
    """
    texts = [t for t in (" ".join(str(x).split()) for x in texts) if t]
    if field in {"inn", "ogrn", "kpp"}:
        return _tax_id(field, texts)
    if field == "phones":
        return _phones(texts, region), []
    if field == "emails":
        return _emails(texts), []
    if field == "socials":
        return [s for s in (social_link(t) for t in texts) if s], []
    if field == "persons":
        return [{"name": t, "role": None} for t in texts], []
    return (texts[0] if texts else None), []
