"""ФНС «Сведения о среднесписочной численности работников организации» (data set
7707329152-sshr2019, yearly): `СведССЧР@КолРаб`."""

from __future__ import annotations

from enrich.registries.fns_yearly import yearly_parser

parse_sshr2019 = yearly_parser("СведССЧР", (("headcount", "КолРаб"),))
