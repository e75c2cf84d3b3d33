"""The register parsers on small files written with the real element and column
names: mapping to lead fields, optional attributes, dates, personal data, filters."""

from __future__ import annotations

import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from dedupe.normalise.record import mapping_from_keys, normalise_record
from enrich.registries.ch_basic import (
    normalise_company_number,
    parse_ch_basic,
    split_sic,
)
from enrich.registries.dates import release_from_name
from enrich.registries.revexp import parse_revexp
from enrich.registries.rmsp import parse_rmsp
from enrich.registries.sirene_ul import parse_sirene_ul
from enrich.registries.sshr2019 import parse_sshr2019
from enrich.registries.types import Filters, ParseReport, RegistryFileError

DATA = Path(__file__).parents[1] / "data" / "registries"
NEW = DATA / "VO_RRMSPSV_0000_9965_20261110_new.xml"
OLD = DATA / "VO_RRMSPSV_0000_9965_20160810_old.xml"
CH = DATA / "BasicCompanyDataAsOneFile-2026-11-01.csv"
SIRENE = DATA / "StockUniteLegale_2026-11-01.csv"
LEAD_FIELDS = {
    "name",
    "legal_form",
    "inn",
    "ogrn",
    "address",
    "city",
    "region",
    "country",
    "okved",
    "industry",
    "contact_name",
    "postcode",
}


NO_FILTERS = Filters()


def rmsp(path: Path, filters: Filters = NO_FILTERS) -> tuple[dict, ParseReport]:
    report = ParseReport()
    return {e.national_id: e for e in parse_rmsp(path, filters, report)}, report


def test_new_structure_organisation_has_ogrn_headcount_and_lead_fields() -> None:
    found, report = rmsp(NEW)
    org = found["7707083893"]
    assert org.kind == "organisation" and not org.is_personal_data
    assert org.is_new
    assert org.payload["name"] == 'ООО "РОМАШКА СОФТ"'
    assert org.payload["ogrn"] == "1027700132195"
    assert org.payload["registry_headcount"] == 17
    assert org.payload["okved"] == "62.01"
    assert org.payload["registry_okved_other"] == ["63.11"]
    assert org.payload["region"] == "г Москва"
    assert org.payload["registry_included_on"] == "2026-10-10"
    assert org.payload["registry_category"] == "small"
    assert {(s.kind, s.value, s.text) for s in org.signals} == {
        ("sme_category", None, "small"),
        ("headcount", Decimal(17), None),
    }
    assert report.release_date == date(2026, 11, 10)
    assert report.structure_version == "ВерсФорм 4.06"


def test_document_with_only_a_reporting_okved_takes_it_as_main() -> None:
    found, _ = rmsp(NEW)
    vector = found["5024002119"].payload
    assert vector["okved"] == "46.90"
    assert vector["industry"] == "Торговля оптовая неспециализированная"
    assert "registry_okved_other" not in vector
    assert vector["city"] == "Красногорск"
    assert vector["address"] == "Московская обл, р-н Красногорский, г Красногорск"
    assert vector["registry_headcount"] is None  # no ССЧР on this document


def test_old_structure_sole_trader_without_ogrnip_is_personal_data() -> None:
    found, report = rmsp(OLD)
    trader = found["770100000001"]
    assert trader.kind == "sole_trader" and trader.is_personal_data
    assert "ogrn" not in trader.payload
    assert trader.payload["name"] == "ИП ПЕТРОВ ПЁТР"
    assert trader.payload["contact_name"] == "ПЕТРОВ ПЁТР"
    org = found["7736207543"]
    assert "ogrn" not in org.payload and org.payload["registry_headcount"] is None
    assert report.structure_version == "ВерсФорм 4.01"


def test_invalid_inclusion_date_is_reported_and_the_document_kept() -> None:
    found, report = rmsp(OLD)
    assert found["7736207543"].payload["registry_included_on"] is None
    [problem] = report.problems
    assert (problem.row, problem.field) == (2, "ДатаВклМСП")
    assert "32.13.2016" in problem.describe() and "kept" in problem.describe()


def test_rmsp_payload_maps_to_lead_fields_and_normalises() -> None:
    found, _ = rmsp(NEW)
    payload = found["500100732259"].payload
    mapped = mapping_from_keys(payload)
    assert set(mapped) <= LEAD_FIELDS
    assert all(keys == [name] for name, keys in mapped.items())  # no extra key maps
    record = normalise_record(payload)
    assert record.inn == "500100732259"
    assert record.ogrn == "326500100012342"
    assert record.is_personal_data
    assert normalise_record(found["7707083893"].payload).inn == "7707083893"


@pytest.mark.parametrize(
    ("filters", "kept"),
    [
        (Filters(), {"7707083893", "5024002119", "500100732259"}),
        (Filters(okved=("62", "63")), {"7707083893"}),
        (Filters(okved=("6",)), set()),  # a prefix stops at the dot
        (Filters(regions=frozenset({"50"})), {"5024002119", "500100732259"}),
        (Filters(categories=frozenset({"2", "3"})), {"7707083893"}),
        (Filters(exclude_sole_traders=True), {"7707083893", "5024002119"}),
    ],
)
def test_rmsp_filters_apply_while_parsing(filters: Filters, kept: set[str]) -> None:
    found, report = rmsp(NEW, filters)
    assert set(found) == kept
    assert report.documents == 3 and report.filtered == 3 - len(kept)


def test_zip_of_many_xml_files_is_read_member_by_member(tmp_path: Path) -> None:
    archive = tmp_path / "data-10112026-structure-10062025.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(NEW, "VO_RRMSPSV_1.xml")
        z.write(OLD, "VO_RRMSPSV_2.xml")
        z.writestr("readme.txt", "not data")
    found, report = rmsp(archive)
    assert len(found) == 5 and report.documents == 5


def test_broken_xml_names_member_and_line(tmp_path: Path) -> None:
    archive = tmp_path / "data.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("VO_RRMSPSV_1.xml", NEW.read_text(encoding="utf-8")[:900])
    with pytest.raises(RegistryFileError, match=r"member VO_RRMSPSV_1.xml, line \d+"):
        rmsp(archive)


def test_revexp_zero_income_is_a_figure_and_sole_traders_are_skipped() -> None:
    report = ParseReport()
    found = {
        e.national_id: e for e in parse_revexp(DATA / "VO_REVEXP_2026.xml", report)
    }
    assert set(found) == {"7707083893", "5024002119"}
    vector = {s.kind: s for s in found["5024002119"].signals}
    assert vector["income"].value == Decimal(0)
    assert vector["expenses"].value == Decimal(15000)
    assert vector["income"].period == "2025"
    assert {s.value for s in found["7707083893"].signals} == {
        Decimal("12500000.50"),
        Decimal(9800000),
    }
    assert report.not_organisations == 1
    assert report.release_date == date(2026, 6, 1)


def test_sshr2019_headcount_signal() -> None:
    [entity] = parse_sshr2019(DATA / "VO_SSHR_2026.xml", ParseReport())
    [signal] = entity.signals
    assert (signal.kind, signal.value, signal.period) == ("headcount", 17, "2025")


def test_companies_house_csv() -> None:
    report = ParseReport(release_date=date(2026, 11, 1))
    found = {e.national_id: e for e in parse_ch_basic(CH, Filters(), report)}
    assert set(found) == {"00445790", "SC123456", "OC301234"}
    acme = found["00445790"].payload
    assert acme["name"] == 'ACME "WIDGETS" LTD'  # doubled quotes read back
    assert acme["postcode"] == "SW1A 2AA" and acme["city"] == "LONDON"
    assert acme["registry_sic"] == ["70229", "62020"]
    assert acme["industry"].startswith("Management consultancy")
    assert acme["registry_incorporated_on"] == "2019-02-01"
    assert acme["registry_size_band"] == "micro"
    assert not found["00445790"].is_new
    assert found["SC123456"].is_new  # incorporated 2026-09-15
    assert found["SC123456"].payload["registry_size_band"] == "unknown"
    old = found["OC301234"].payload
    assert old["registry_sic"] == [] and old["registry_size_band"] == "large"
    assert old["registry_incorporated_on"] is None
    [problem] = report.problems
    assert problem.field == "IncorporationDate" and problem.row == 4
    assert set(mapping_from_keys(acme)) <= LEAD_FIELDS


def test_companies_house_sic_filter() -> None:
    report = ParseReport(release_date=date(2026, 11, 1))
    kept = [e.national_id for e in parse_ch_basic(CH, Filters(okved=("62",)), report)]
    assert kept == ["00445790"]


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("445790", "00445790"),
        ("SC123456", "SC123456"),
        ("ni 123", "NI000123"),
        ("OC1", "OC000001"),
        ("123456789", None),
        ("", None),
        ("ABC12", None),
    ],
)
def test_company_numbers_are_padded_after_their_prefix(
    raw: str, number: str | None
) -> None:
    assert normalise_company_number(raw) == number


def test_sic_split() -> None:
    assert split_sic("62020 - Information technology consultancy activities") == (
        "62020",
        "Information technology consultancy activities",
    )
    assert split_sic("None Supplied") is None
    assert split_sic("99999 - Dormant Company") == ("99999", "Dormant Company")


def test_sirene_not_published_units_are_counted_not_imported() -> None:
    report = ParseReport(release_date=date(2026, 11, 1))
    found = {e.national_id: e for e in parse_sirene_ul(SIRENE, Filters(), report)}
    assert set(found) == {"552032534", "912345678", "834567891"}
    assert report.not_published == 1 and report.documents == 4
    danone = found["552032534"]
    assert danone.payload["name"] == "DANONE" and danone.payload["legal_form"] == "SA"
    assert danone.payload["registry_size_band"] == "large"
    assert danone.payload["registry_headcount_band"] == "10000+"
    person = found["834567891"]
    assert person.is_personal_data and person.payload["name"] == "JEANNE DUPONT"
    assert person.is_new


def test_sirene_invalid_date_is_reported_clearly() -> None:
    report = ParseReport(release_date=date(2026, 11, 1))
    found = {e.national_id: e for e in parse_sirene_ul(SIRENE, Filters(), report)}
    assert found["912345678"].payload["registry_created_on"] is None
    [problem] = report.problems
    assert problem.describe() == (
        "StockUniteLegale_2026-11-01.csv, row 3, dateCreationUniteLegale: "
        "'2026-02-30' is not a date written YYYY-MM-DD (kept without this value)"
    )


def test_missing_columns_are_refused_naming_them(tmp_path: Path) -> None:
    bad = tmp_path / "StockUniteLegale.csv"
    bad.write_text("siret,nom\n1,2\n", encoding="utf-8")
    with pytest.raises(RegistryFileError, match="no column siren, statutDiffusion"):
        list(parse_sirene_ul(bad, Filters(), ParseReport()))


@pytest.mark.parametrize(
    ("name", "release", "structure"),
    [
        ("data-10112026-structure-10062025.zip", date(2026, 11, 10), date(2025, 6, 10)),
        ("data-20260601-structure-20180801.zip", date(2026, 6, 1), date(2018, 8, 1)),
        ("BasicCompanyDataAsOneFile-2026-11-01.zip", date(2026, 11, 1), None),
        ("StockUniteLegale_utf8.zip", None, None),
    ],
)
def test_release_dates_from_file_names(
    name: str, release: date | None, structure: date | None
) -> None:
    assert release_from_name(name) == (release, structure)


def test_windows_1251_xml_is_read_by_its_declaration(tmp_path: Path) -> None:
    # Some ФНС yearly sets are published in windows-1251, declared in the prolog.
    text = (DATA / "VO_SSHR_2026.xml").read_text(encoding="utf-8")
    path = tmp_path / "VO_SSHR_cp1251.xml"
    path.write_bytes(text.replace("UTF-8", "windows-1251").encode("cp1251"))
    [entity] = parse_sshr2019(path, ParseReport())
    assert entity.payload["name"] == 'ООО "РОМАШКА СОФТ"'
