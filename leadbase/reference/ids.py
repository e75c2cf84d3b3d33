"""Facts about company and tax ids shared by normalisers and validators."""

from __future__ import annotations

import re

from stdnum.eu import vat as eu_vat
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidLength,
    ValidationError,
)

# KPP: tax office (4 digits), reason (2 digits, or Latin capitals since the 2019
# rules), serial (3 digits). python-stdnum has no KPP module.
KPP_PATTERN = re.compile(r"[0-9]{4}[0-9A-Z]{2}[0-9]{3}", re.ASCII)

# Company registers python-stdnum has but does not name "vat" or "businessid"; tried
# before those, most specific first.
STDNUM_EXTRA_MODULES: dict[str, tuple[str, ...]] = {
    "at": ("businessid",),
    "ch": ("uid",),
    "fr": ("siret", "siren"),
    "in": ("pan",),
    "md": ("idno",),
    "no": ("orgnr",),
    "pl": ("regon",),
    "ro": ("cui", "onrc"),
    "se": ("orgnr",),
    "ua": ("edrpou", "rntrc"),
    "us": ("ein",),
}

# VAT prefixes of the EU member states and the UK, as VIES writes them (Greece: EL).
VAT_PREFIXES: dict[str, str] = {
    cc: cc.upper() for cc in eu_vat.MEMBER_STATES - {"xi"}
} | {"gr": "EL", "gb": "GB"}

# python-stdnum's failures, most telling first: a wrong checksum says more than a
# wrong length. Each maps to the flag / reason code normalisers and validators use.
STDNUM_FAILURES: tuple[tuple[type[ValidationError], str], ...] = (
    (InvalidChecksum, "bad_checksum"),
    (InvalidComponent, "bad_component"),
    (InvalidLength, "bad_length"),
    (ValidationError, "bad_format"),
)
STDNUM_FAILURE_ORDER: tuple[str, ...] = tuple(code for _, code in STDNUM_FAILURES)


def failure_code(error: ValidationError) -> str:
    """The code of a python-stdnum validation error: "bad_checksum", "bad_length"…"""
    return next(code for kind, code in STDNUM_FAILURES if isinstance(error, kind))
