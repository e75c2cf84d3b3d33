"""Facts about company and tax ids shared by normalisers and validators."""

from __future__ import annotations

import re

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
