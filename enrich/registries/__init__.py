"""Official open registries as a lead source: parsers, releases, diffs, new companies.

One module per register (`rmsp`, `revexp`, `sshr2019`, `ch_basic`, `sirene_ul`)
turns a published file into `Entity` values, streamed; `store` records a release
and its entities; `diff`, `stats` and `new` read what was stored.
"""

from __future__ import annotations

from enrich.registries.new import NewEntity, select_new_entities
from enrich.registries.store import ImportSummary, import_release
from enrich.registries.types import Entity, Filters

__all__ = [
    "Entity",
    "Filters",
    "ImportSummary",
    "NewEntity",
    "import_release",
    "select_new_entities",
]
