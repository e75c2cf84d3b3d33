"""Tests of the sample-data generator: files, truth, realism, determinism, memory."""

from __future__ import annotations

import csv
import gc
import json
import random
import re
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

import leadbase.sample
from leadbase.sample import (
    SOURCES,
    SampleRow,
    SampleSummary,
    iter_sample_rows,
    write_sample,
)
from leadbase.sample.companies import Company, CompanyFactory

COMPANIES = 1500
SEED = 42
Key = tuple[str, int]


def read_directory(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            yield number, json.loads(line)


def read_bought(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    workbook = load_workbook(path, read_only=True)  # holds the file open until closed
    try:
        rows = workbook["База"].iter_rows(values_only=True)
        title, header = next(rows), next(rows)
        assert title[0] and str(title[0]).startswith("База компаний")
        for number, values in enumerate(rows, start=3):
            # Read-only sheets drop trailing empty cells; numbers are Excel numbers.
            cells = ["" if v is None else str(v) for v in values]
            cells += [""] * (len(header) - len(cells))
            yield number, dict(zip(header, cells, strict=True))
    finally:
        workbook.close()
    workbook.close()


def read_crm(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(encoding="cp1251", newline="") as file:
        reader = csv.reader(file, delimiter=";")
        header = next(reader)
        for number, values in enumerate(reader, start=2):
            yield number, dict(zip(header, values, strict=True))


READERS = {"directory": read_directory, "bought": read_bought, "crm": read_crm}


def read_payloads(out_dir: Path) -> dict[Key, dict[str, str]]:
    payloads = {}
    for source, reader in READERS.items():
        for number, payload in reader(out_dir / SOURCES[source]):
            payloads[(source, number)] = payload
    return payloads


def read_truth(out_dir: Path) -> list[dict[str, str]]:
    with (out_dir / "truth.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("sample")
    write_sample(out_dir, COMPANIES, seed=SEED)
    return out_dir


@pytest.fixture(scope="module")
def rows() -> list[SampleRow]:
    return list(iter_sample_rows(COMPANIES, seed=SEED))


@pytest.fixture(scope="module")
def companies() -> list[Company]:
    return list(CompanyFactory(random.Random(SEED)).iter_companies(5000))


def shown_inn(row: SampleRow) -> str:
    p = row.payload
    text = p.get("inn") or p.get("ИНН") or p.get("ИНН/КПП", "")
    return re.split(r"\s*[/\\]\s*", text)[0]


def shown_phones(row: SampleRow) -> set[str]:
    """Return 10-digit national numbers of the row's phone cell."""
    p = row.payload
    cell = p.get("phones") or p.get("Телефон") or p.get("Телефоны", "")
    numbers = set()
    for part in re.split(r"[,;]", cell):
        digits = re.sub(r"\D", "", re.split(r"доб|вн\.|ext|\(доб", part)[0])
        if len(digits) == 11 and digits[0] in "78":
            numbers.add(digits[1:])
        elif len(digits) == 10:
            numbers.add(digits)
    return numbers


def normalise_name(name: str) -> str:
    name = re.sub(r"[«»\"']", " ", name.lower())
    name = re.sub(
        r"\b(ооо|ао|пао|зао|оао|ooo|ao|общество с ограниченной ответственн"
        r"остью|акционерное общество)\b",
        " ",
        name,
    )
    return " ".join(name.split())


def test_public_api_is_exactly_the_contract() -> None:
    assert sorted(leadbase.sample.__all__) == sorted(
        ["SOURCES", "SampleRow", "SampleSummary", "iter_sample_rows", "write_sample"]
    )
    assert SOURCES == {
        "directory": "directory.jsonl",
        "bought": "bought.xlsx",
        "crm": "crm_export.csv",
    }


def test_summary_counts_match_generated_rows(
    tmp_path: Path, rows: list[SampleRow]
) -> None:
    summary = write_sample(tmp_path / "new" / "dir", COMPANIES, seed=SEED)
    assert isinstance(summary, SampleSummary)
    assert summary.rows_by_source == Counter(row.source for row in rows)
    assert all(path.is_file() for path in summary.files.values())
    assert "truth.csv" in summary.files["readme"].read_text(encoding="utf-8")


def test_truth_lists_every_row_of_every_file_exactly_once(sample_dir: Path) -> None:
    truth_keys = [(t["source"], int(t["row_number"])) for t in read_truth(sample_dir)]
    assert len(truth_keys) == len(set(truth_keys))
    assert set(truth_keys) == set(read_payloads(sample_dir))


def test_files_hold_exactly_the_generated_payloads(
    sample_dir: Path, rows: list[SampleRow]
) -> None:
    generated = {(row.source, row.row_number): row.payload for row in rows}
    assert read_payloads(sample_dir) == generated


def test_truth_matches_generated_entities(
    sample_dir: Path, rows: list[SampleRow]
) -> None:
    truth = {
        (t["source"], int(t["row_number"])): (t["entity_id"], t["organisation_id"])
        for t in read_truth(sample_dir)
    }
    assert truth == {
        (r.source, r.row_number): (r.entity_id, r.organisation_id) for r in rows
    }


def test_row_numbers_are_consecutive_per_source(rows: list[SampleRow]) -> None:
    first = {"directory": 1, "bought": 3, "crm": 2}
    for source in SOURCES:
        numbers = [row.row_number for row in rows if row.source == source]
        assert numbers == list(range(first[source], first[source] + len(numbers)))


def test_true_companies_have_valid_unique_tax_ids(companies: list[Company]) -> None:
    inn_owner: dict[str, str] = {}
    for c in companies:
        assert stdnum_inn.is_valid(c.inn), c
        assert len(c.inn) == (12 if c.is_sole_trader else 10)
        assert inn_owner.setdefault(c.inn, c.organisation_id) == c.organisation_id
        if c.is_sole_trader:
            assert len(c.ogrn) == 15 and c.kpp == ""
        if c.ogrn:
            assert stdnum_ogrn.is_valid(c.ogrn), c
        if c.kpp:
            assert re.fullmatch(r"\d{9}", c.kpp)
    plain = [c for c in companies if c.kpp and not c.is_foreign and not c.is_branch]
    same_office = sum(c.kpp[:4] == c.inn[:4] for c in plain)
    assert same_office / len(plain) > 0.8


def test_region_codes_agree_with_city(companies: list[Company]) -> None:
    for c in companies:
        if not (c.is_foreign or c.is_branch):
            assert c.inn[:2] == c.address.city.region, c
            assert c.ogrn[3:5] == c.address.city.region, c


def test_branches_share_inn_and_differ_in_kpp_and_city(
    companies: list[Company],
) -> None:
    by_organisation: dict[str, list[Company]] = defaultdict(list)
    for c in companies:
        by_organisation[c.organisation_id].append(c)
    with_branches = [cs for cs in by_organisation.values() if len(cs) > 1]
    assert 0.015 < len(with_branches) / len(by_organisation) < 0.05
    for group in with_branches:
        assert len({c.inn for c in group}) == 1
        assert len({c.kpp for c in group}) == len(group)
        assert len({c.entity_id for c in group}) == len(group)
        head_city = group[0].address.city
        assert all(c.address.city != head_city for c in group[1:])


def test_only_holdings_share_a_domain(companies: list[Company]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for c in companies:
        if c.domain:
            owners[c.domain].add(c.organisation_id)
    shared = {domain for domain, ids in owners.items() if len(ids) > 1}
    assert shared and all(re.search(r"-holding\d*\.ru$", d) for d in shared)
    sharing = sum(1 for c in companies if c.domain in shared)
    assert sharing < 0.01 * len(companies)


def test_only_business_centres_share_a_phone(companies: list[Company]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for c in companies:
        for number in (*c.phones, c.old_phone):
            owners[number].add(c.organisation_id)
    shared = {number for number, ids in owners.items() if len(ids) > 1}
    sharing = [c for c in companies if c.phones[0] in shared]
    assert shared and len(sharing) < 0.02 * len(companies)
    assert all(c.extension for c in sharing)  # a switchboard needs an extension


def test_female_contacts_use_female_forms(companies: list[Company]) -> None:
    for c in companies:
        p = c.person
        assert p.patronymic.endswith("на" if p.female else "ич")
        if p.female:
            assert not p.surname.endswith(("ов", "ев", "ин", "ский"))


def test_shown_tax_ids_are_valid_except_rare_typos(rows: list[SampleRow]) -> None:
    valid_inn: dict[str, set[str]] = defaultdict(set)
    typos = []
    for row in rows:
        inn = shown_inn(row)
        if inn and stdnum_inn.is_valid(inn):
            valid_inn[row.organisation_id].add(inn)
        elif inn:
            typos.append((row.organisation_id, inn))
        ogrn = row.payload.get("ogrn") or row.payload.get("ОГРН")
        assert not ogrn or stdnum_ogrn.is_valid(ogrn)
    shown = len(typos) + sum(1 for row in rows if shown_inn(row))
    assert 0 < len(typos) <= 0.01 * shown
    assert all(len(inns) == 1 for inns in valid_inn.values())
    for organisation_id, typo in typos:
        for inn in valid_inn.get(organisation_id, ()):  # a one-digit slip
            assert len(typo) == len(inn)
            assert sum(a != b for a, b in zip(typo, inn, strict=True)) == 1
    owners = Counter(inn for inns in valid_inn.values() for inn in inns)
    assert owners.most_common(1)[0][1] == 1  # no two organisations share an INN


def test_bought_list_shows_branch_kpps(rows: list[SampleRow]) -> None:
    kpps: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row.source == "bought" and row.payload["КПП"]:
            assert re.fullmatch(r"\d{9}", row.payload["КПП"])
            kpps[row.payload["ИНН"]].add(row.payload["КПП"])
    assert any(len(values) > 1 for inn, values in kpps.items() if inn)


def test_duplicates_across_and_within_sources(rows: list[SampleRow]) -> None:
    sources: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        sources[row.entity_id].add(row.source)
    repeated = len(rows) - len(sources)
    assert 0.2 <= repeated / len(rows) <= 0.35
    assert sum(len(s) >= 2 for s in sources.values()) > 0.2 * len(sources)
    per_source = Counter((row.source, row.entity_id) for row in rows)
    assert {source for (source, _), n in per_source.items() if n > 1} == set(SOURCES)


def test_namesakes_are_different_organisations(rows: list[SampleRow]) -> None:
    organisations: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row.source == "directory":
            organisations[normalise_name(row.payload["name"])].add(row.organisation_id)
    assert sum(len(ids) > 1 for ids in organisations.values()) >= 10


def test_switchboard_phones_are_shared_by_different_firms(
    rows: list[SampleRow],
) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for number in shown_phones(row):
            owners[number].add(row.organisation_id)
    shared = [number for number, ids in owners.items() if len(ids) > 1]
    assert shared
    assert len(shared) < 0.01 * len(owners)


def test_renderings_vary_like_real_lists(rows: list[SampleRow]) -> None:
    names = [
        row.payload.get("name") or row.payload.get("Наименование") or "" for row in rows
    ]
    assert any("«" in n for n in names) and any(n.isupper() for n in names)
    assert any(n.startswith("ИП ") for n in names)
    assert any(n.startswith("Общество с ограниченной") for n in names)
    phones = " ".join(row.payload.get("phones", "") for row in rows)
    assert "+7 (" in phones and "доб." in phones
    emails = {row.payload.get("Почта") for row in rows}
    assert emails & {"нет", "-", "нет данных"}


def test_crm_export_is_cp1251_with_quoted_newlines(sample_dir: Path) -> None:
    raw = (sample_dir / SOURCES["crm"]).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    header = raw.split(b"\r\n", 1)[0].decode("cp1251")
    assert header.split(";")[:2] == ["Название организации", "ИНН/КПП"]
    comments = [p["Комментарий"] for _, p in read_crm(sample_dir / SOURCES["crm"])]
    assert any("\n" in comment for comment in comments)


def test_bought_workbook_has_info_sheet(sample_dir: Path) -> None:
    workbook = load_workbook(sample_dir / SOURCES["bought"], read_only=True)
    assert workbook.sheetnames == ["База", "Инфо"]
    lines = [row[0] for row in workbook["Инфо"].iter_rows(values_only=True)]
    workbook.close()
    assert any("Записей" in str(line) for line in lines)


def test_same_seed_gives_identical_files(sample_dir: Path, tmp_path: Path) -> None:
    write_sample(tmp_path, COMPANIES, seed=SEED)
    for name in ("directory.jsonl", "crm_export.csv", "truth.csv"):
        assert (tmp_path / name).read_bytes() == (sample_dir / name).read_bytes()
    assert list(read_bought(tmp_path / "bought.xlsx")) == list(
        read_bought(sample_dir / "bought.xlsx")
    )


def test_different_seed_gives_different_rows(rows: list[SampleRow]) -> None:
    other = list(iter_sample_rows(COMPANIES, seed=SEED + 1))
    assert [r.payload for r in other[:50]] != [r.payload for r in rows[:50]]


def test_stream_keeps_no_rows() -> None:
    # 2,000 companies make some 2,900 rows, ~3.7 MB if kept; a stream peaks ~0.2 MB.
    tracemalloc.start()
    for _ in iter_sample_rows(2000, seed=SEED):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 1_500_000


def test_stream_of_20000_companies_holds_few_objects() -> None:
    def live(kind: type) -> int:
        return sum(isinstance(o, kind) for o in gc.get_objects())

    rows_before, companies_before = live(SampleRow), live(Company)
    for seen, _ in enumerate(iter_sample_rows(20_000, seed=SEED)):
        if seen in (10_000, 25_000):
            assert live(SampleRow) - rows_before < 10
            # Only the companies waiting to be listed again are kept.
            assert live(Company) - companies_before < 200
