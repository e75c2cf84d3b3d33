"""`leadbase crawl websites` picks companies by structured filters, never by SQL."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbase.audit import Actor
from leadbase.cli import cli
from leadbase.crawl_targets import WebsiteFilters, select_websites
from leadbase.enums import Category, CompanyStatus, SourceKind
from leadbase.errors import LeadbaseError
from leadbase.models import Company, Email, NormalisedRecord, Phone, RawRecord
from leadbase.raw import RawRow, ensure_source, store_raw_records


@pytest.fixture
def base(session: Session) -> Session:
    def company(name: str, site: str | None, **values: object) -> Company:
        row = Company(name=name, website=site, country="RU", **values)
        session.add(row)
        session.flush()
        return row

    moscow = company("Ромашка", "https://romashka.ru", city="Москва",
                     category=Category.A)  # fmt: skip
    company("Лютик", "https://lutik.ru", city="Санкт-Петербург", category=Category.B,
            status=CompanyStatus.VERIFIED)  # fmt: skip
    company("Без сайта", None, city="Москва")
    called = company("Василёк", "https://vasilek.ru", city="Москва")
    session.add(Email(company_id=called.id, address="info@vasilek.ru"))
    session.add(Phone(company_id=called.id, raw="+74951234567"))
    source = ensure_source(session, "bought", SourceKind.BOUGHT, actor=Actor("t"))
    store_raw_records(session, source, [RawRow({"name": "Ромашка"}, "row-1")])
    raw_id = session.scalars(
        select(RawRecord.id).where(RawRecord.source_id == source.id)
    ).one()
    session.add(NormalisedRecord(raw_record_id=raw_id, company_id=moscow.id))
    session.commit()
    return session


def sites(session: Session, **filters: object) -> list[str]:
    chosen = select_websites(session, WebsiteFilters(**filters))  # type: ignore[arg-type]
    return [website for website, _ in chosen]


def test_every_company_with_a_website_by_default(base: Session) -> None:
    assert sites(base) == [
        "https://romashka.ru", "https://lutik.ru", "https://vasilek.ru",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"cities": ("Москва",)}, ["https://romashka.ru", "https://vasilek.ru"]),
        ({"categories": (Category.B,)}, ["https://lutik.ru"]),
        ({"statuses": (CompanyStatus.VERIFIED,)}, ["https://lutik.ru"]),
        ({"missing": ("email",)}, ["https://romashka.ru", "https://lutik.ru"]),
        ({"missing": ("email", "phone"), "cities": ("Москва",)},
         ["https://romashka.ru"]),
        ({"source": "bought"}, ["https://romashka.ru"]),
        ({"limit": 1}, ["https://romashka.ru"]),
        ({"cities": ("x' OR '1'='1",)}, []),  # a value, never SQL
    ],
)  # fmt: skip
def test_filters(
    base: Session, filters: dict[str, object], expected: list[str]
) -> None:
    assert sites(base, **filters) == expected


def test_a_typed_city_is_matched_in_the_base_form(base: Session) -> None:
    chosen = select_websites(
        base, WebsiteFilters(cities=("moscow",)), city_key=lambda c: "Москва"
    )
    assert [w for w, _ in chosen] == ["https://romashka.ru", "https://vasilek.ru"]


def test_an_unknown_source_is_named(base: Session) -> None:
    with pytest.raises(LeadbaseError, match="no source called 'nope'"):
        sites(base, source="nope")


def test_raw_sql_is_refused_with_the_replacement(db_url: str) -> None:
    result = CliRunner().invoke(
        cli, ["--db", db_url, "crawl", "websites", "--where", "1=1; DROP TABLE x"]
    )
    assert result.exit_code == 1
    assert "--where (raw SQL) is gone; filter with --city" in result.output


def test_no_match_is_said_plainly(db_url: str) -> None:
    result = CliRunner().invoke(
        cli, ["--db", db_url, "crawl", "websites", "--city", "Казань"]
    )
    assert result.exit_code == 1
    assert "no company in the base has a website and matches the filters" in (
        result.output
    )
