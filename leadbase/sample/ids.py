"""Unique, checksum-valid tax ids (INN, OGRN, OGRNIP, KPP) and phone numbers."""

from __future__ import annotations

import random

from leadbase.sample.chance import between, one
from leadbase.sample.places import City

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_1 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_2 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
FOREIGN_OFFICE = "9909"  # INNs of accredited foreign organisations start so
FOREIGN_KPP = "774751001"


def _weighted(digits: str, weights: tuple[int, ...]) -> str:
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=True))
    return str(total % 11 % 10)


def complete_inn(body: str) -> str:
    """Append the check digit(s) to a 9-digit (organisation) or 10-digit body."""
    if len(body) == 9:
        return body + _weighted(body, _INN10_WEIGHTS)
    first = _weighted(body, _INN12_WEIGHTS_1)
    return body + first + _weighted(body + first, _INN12_WEIGHTS_2)


def complete_ogrn(body: str) -> str | None:
    """Append the check digit to a 12- or 14-digit body.

    Returns None for an OGRNIP body whose remainder mod 13 is 10 or more: such
    numbers are never issued, and python-stdnum rejects them.
    """
    if len(body) == 12:
        return body + str(int(body) % 11 % 10)
    remainder = int(body) % 13
    return body + str(remainder) if remainder < 10 else None


def _scatter(index: int, size: int, factor: int, offset: int) -> int:
    # A bijection of range(size) (factor is coprime with size): consecutive
    # companies get unrelated-looking, yet never repeated, serial numbers.
    return (index * factor + offset) % size


class TaxIdAllocator:
    """Hands out tax ids that never repeat within one generated sample."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._counters: dict[str, int] = {}

    def _next(self, key: str) -> int:
        index = self._counters.get(key, 0)
        self._counters[key] = index + 1
        return index

    def organisation(self, city: City) -> tuple[str, str, str]:
        """Return (INN, OGRN, KPP) of a new legal entity registered in city."""
        index = self._next("org:" + city.name)
        office = city.offices[index % len(city.offices)]
        serial = _scatter(index // len(city.offices), 100_000, 38_197, int(office) * 7)
        inn = complete_inn(f"{office}{serial:05d}")
        year = between(self._rng, 2, 25)
        first = "1" if self._rng.random() < 0.85 else "5"
        ogrn = complete_ogrn(f"{first}{year:02d}{city.region}{office[2:]}{serial:05d}")
        assert ogrn is not None
        return inn, ogrn, self.kpp(city, office)

    def kpp(self, city: City, office: str, reason: str = "01", number: int = 1) -> str:
        """Return a KPP; one firm in ten has moved to another office of its city."""
        if reason == "01" and len(city.offices) > 1 and self._rng.random() < 0.1:
            office = one(self._rng, city.offices)
        return f"{office}{reason}{number:03d}"

    def sole_trader(self, city: City) -> tuple[str, str]:
        """Return (INN, OGRNIP) of a new sole trader (ИП) of city."""
        index = self._next("ip:" + city.name)
        office = city.offices[index % len(city.offices)]
        serial = _scatter(index // len(city.offices), 10**6, 379_637, int(office) * 13)
        inn = complete_inn(f"{office}{serial:06d}")
        ogrnip = None
        while ogrnip is None:
            # Only the year varies, so (office, serial) keeps OGRNIPs unique.
            year = between(self._rng, 4, 25)
            body = f"3{year:02d}{city.region}{office[2:]}{serial:07d}"
            ogrnip = complete_ogrn(body)
        return inn, ogrnip

    def foreign(self) -> str:
        """Return the INN of an accredited foreign organisation."""
        serial = _scatter(self._next("foreign"), 100_000, 38_197, 977)
        return complete_inn(f"{FOREIGN_OFFICE}{serial:05d}")


class PhoneAllocator:
    """Hands out 10-digit national numbers that never repeat within a sample."""

    def __init__(self) -> None:
        self._counters: dict[str, int] = {}

    def number(self, code: str) -> str:
        """Return a new number with area or mobile code (3 or 4 digits)."""
        index = self._counters.get(code, 0)
        self._counters[code] = index + 1
        local_len = 10 - len(code)
        # Local numbers start with 2..9, as real ones do.
        size = 8 * 10 ** (local_len - 1)
        offset = int(code) * 104_729  # a different start for every code
        local = 2 * 10 ** (local_len - 1) + _scatter(index, size, 2_718_281, offset)
        return f"{code}{local}"
