"""ФНС «Сведения о суммах доходов и расходов по данным бухгалтерской отчётности»
(data set 7707329152-revexp, yearly): `СведДохРасх@СумДоход, @СумРасход`."""

from __future__ import annotations

from enrich.registries.fns_yearly import yearly_parser

parse_revexp = yearly_parser(
    "СведДохРасх", (("income", "СумДоход"), ("expenses", "СумРасход"))
)
