"""One spider per profile in `spiders/profiles/`, so `scrapy crawl NAME` works.

Each profile file becomes a `DirectorySpider` subclass named after it; its
politeness overrides become the spider's custom settings. A profile that fails
validation gets no spider here (`leadbase crawl NAME` reports its problems).
"""

from __future__ import annotations

import logging
from typing import Any

from spiders.profiles import ProfileError, list_profiles, load_profile
from spiders.sources.directory import DirectorySpider

logger = logging.getLogger(__name__)


def _custom_settings(politeness: dict[str, Any]) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    if "download_delay" in politeness:
        settings["DOWNLOAD_DELAY"] = float(politeness["download_delay"])
    if "concurrency" in politeness:
        settings["CONCURRENT_REQUESTS_PER_DOMAIN"] = int(politeness["concurrency"])
    if "autothrottle" in politeness:
        settings["AUTOTHROTTLE_ENABLED"] = bool(politeness["autothrottle"])
    if "max_pages" in politeness:
        settings["CLOSESPIDER_PAGECOUNT"] = int(politeness["max_pages"])
    return settings


def _profile_spiders() -> dict[str, type[DirectorySpider]]:
    spiders: dict[str, type[DirectorySpider]] = {}
    for name in list_profiles():
        try:
            profile = load_profile(name)
        except ProfileError as exc:  # `leadbase crawl NAME` prints every problem
            logger.warning("Profile %s has no spider: %s", name, exc)
            continue
        if profile.name in {"directory", "website"}:
            continue  # never shadow the built-in spiders
        class_name = "".join(
            p.title() for p in profile.name.replace("-", "_").split("_")
        )
        spiders[class_name + "Spider"] = type(
            class_name + "Spider",
            (DirectorySpider,),
            {
                "__module__": __name__,
                "name": profile.name,
                "profile_name": name,
                "custom_settings": _custom_settings(profile.politeness),
            },
        )
    return spiders


globals().update(_profile_spiders())
