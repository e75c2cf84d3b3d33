"""Renderings of a company's email addresses and website."""

from __future__ import annotations

import random

from leadbase.sample.chance import one
from leadbase.sample.companies import Company
from leadbase.sample.vocab import JUNK_VALUES

WEBSITE_STYLES = 6


def _case(rng: random.Random, text: str) -> str:
    # Upper case from old lists, or a capital letter typed by hand.
    return text.upper() if rng.random() < 0.5 else text.capitalize()


def render_email(
    rng: random.Random, c: Company, prefer_free: bool, case_p: float, junk_p: float
) -> str:
    """Return one email of the company as a source shows it, or "".

    Args:
        rng: the sample's random generator.
        c: the company.
        prefer_free: show the free-mail address when the firm has both.
        case_p: probability of a case variant ("INFO@ROMASHKA.RU").
        junk_p: probability of a junk value instead ("нет", "-").
    """
    if rng.random() < junk_p:
        return one(rng, JUNK_VALUES)
    corporate = f"{c.email_local}@{c.domain}" if c.email_local and c.domain else ""
    email = (c.free_email or corporate) if prefer_free else (corporate or c.free_email)
    return _case(rng, email) if email and rng.random() < case_p else email


def render_emails(rng: random.Random, c: Company) -> str:
    """Return all emails of a company in one cell, as a directory card lists them."""
    corporate = f"{c.email_local}@{c.domain}" if c.email_local and c.domain else ""
    emails = [e for e in (corporate, c.free_email) if e]
    return ", ".join(emails) if rng.random() < 0.5 else (emails[0] if emails else "")


def render_website(rng: random.Random, c: Company, style: int) -> str:
    """Return the company's site (or its vk.com page) in one of WEBSITE_STYLES ways."""
    if c.cyrillic_domain:
        return ("{}", "http://{}", "https://{}/")[style % 3].format(c.cyrillic_domain)
    if not c.domain:
        if c.vk_page and style % 2:
            return f"https://{c.vk_page}"
        return c.vk_page
    d = c.domain
    return (
        d, f"www.{d}", f"http://www.{d}/", f"https://{d}/contacts", f"https://{d}",
        _case(rng, d),
    )[style]  # fmt: skip
