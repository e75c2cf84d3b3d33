"""The bulk statements of leadbase.db on SQLite and PostgreSQL: what goes in is what
comes back, whatever the row count and however the values are shaped."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

import leadbase.db
from leadbase.db import (
    bulk_insert_ignoring_conflicts,
    bulk_insert_integers,
    bulk_update_column,
    driver_rows,
    indexes_rebuilt_after,
    json_loads,
    reserve_ids,
)
from leadbase.enums import CompanyStatus, SourceKind
from leadbase.models import BlockingKey, Company, Source

START = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)


def company_rows(count: int) -> list[tuple[object, ...]]:
    """Rows with a NULL-only column (legal_form), a sometimes-NULL one (inn),
    booleans and times (one on a whole second: no fraction in its text)."""
    ids = range(1, count + 1)
    return [
        (
            i,
            f"Company {i}",
            None,
            None if i % 3 else f"{i:010d}",
            CompanyStatus.NEW.value,
            i % 2 == 0,
            f'{{"name": {{"records": [{i}]}}}}',
            (START + timedelta(seconds=i)).replace(tzinfo=None, microsecond=0),
            (START + timedelta(days=i)).replace(tzinfo=None),
            1,
        )
        for i in ids
    ]


COLUMNS = (
    "id",
    "name",
    "legal_form",
    "inn",
    "status",
    "is_personal_data",
    "provenance",
    "first_seen_at",
    "created_at",
    "version",
)


def test_bulk_insert_gives_back_every_value(session: Session) -> None:
    rows = company_rows(257)  # more than one statement's worth, and a remainder
    assert bulk_insert_ignoring_conflicts(session, Company, COLUMNS, rows) == 257
    found = {c.id: c for c in session.scalars(select(Company))}
    assert len(found) == 257
    for row in rows:
        company = found[row[0]]
        assert company.name == row[1] and company.legal_form is None
        assert company.inn == row[3]
        assert company.status is CompanyStatus.NEW
        assert company.is_personal_data is row[5]
        assert company.provenance == {"name": {"records": [row[0]]}}
        assert company.first_seen_at == row[7].replace(tzinfo=UTC)
        assert company.created_at == row[8].replace(tzinfo=UTC)


def test_bulk_insert_skips_rows_that_clash_and_counts_the_rest(
    session: Session,
) -> None:
    columns = ("name", "kind", "trust", "notes", "created_at")
    now = START.replace(tzinfo=None)
    first = [(f"source {i}", "crawl", 50, None, now) for i in range(150)]
    assert bulk_insert_ignoring_conflicts(session, Source, columns, first) == 150
    again = [(f"source {i}", "bought", 10, "x", now) for i in range(140, 160)]
    assert bulk_insert_ignoring_conflicts(session, Source, columns, again) == 10
    kinds = dict(session.execute(select(Source.name, Source.kind)).all())
    assert kinds["source 145"] is SourceKind.CRAWL  # the first one stays
    assert kinds["source 155"] is SourceKind.BOUGHT


def test_integer_rows_go_in_as_the_general_bulk_insert_puts_them(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The numpy path against the row path: the same rows in the table, the same
    count, rows already there (or twice in the load) skipped, whatever the chunk."""
    monkeypatch.setattr(leadbase.db, "INTEGER_CHUNK", 70)  # several chunks
    rng = np.random.default_rng(3)
    kind = rng.integers(1, 8, 500).astype(np.int16)
    key = rng.integers(-(2**63), 2**63 - 1, 500, dtype=np.int64)
    key[::5] = key[0]  # shared keys, and a whole row twice below
    record = rng.integers(1, 10**9, 500, dtype=np.int64)
    columns = ("kind", "key", "record_id")
    rows = list(zip(kind.tolist(), key.tolist(), record.tolist(), strict=True))
    assert bulk_insert_ignoring_conflicts(session, BlockingKey, columns, rows[:100])
    stored = select(BlockingKey.kind, BlockingKey.key, BlockingKey.record_id)
    expected = set(rows)
    twice = [np.append(a, a[150]) for a in (kind, key, record)]
    inserted = bulk_insert_integers(session, BlockingKey, columns, twice)
    assert inserted == len(expected) - len(set(rows[:100]))
    assert set(session.execute(stored).all()) == expected


def test_bulk_update_sets_each_row_by_its_key(session: Session) -> None:
    bulk_insert_ignoring_conflicts(session, Company, COLUMNS, company_rows(30))
    bulk_update_column(session, Company, "id", "inn", [(i, f"inn {i}") for i in (3, 7)])
    bulk_update_column(session, Company, "id", "inn", [(7, "again")])
    inns = dict(session.execute(select(Company.id, Company.inn)).all())
    assert inns[3] == "inn 3" and inns[7] == "again"
    assert inns[6] == f"{6:010d}" and inns[5] is None  # the others untouched


def plain_indexes(session: Session) -> set[str]:
    found = inspect(session.connection()).get_indexes("companies")
    return {index["name"] for index in found if not index["unique"]}


def test_indexes_come_back_after_a_bulk_load(session: Session) -> None:
    before = plain_indexes(session)
    assert "ix_companies_domain" in before
    with indexes_rebuilt_after(session, [Company], 100, in_order=("status",)):
        if session.get_bind().dialect.name == "sqlite":  # gone for the load
            # but for the one led by a column the load writes in order
            assert plain_indexes(session) == {"ix_companies_status_category"}
        bulk_insert_ignoring_conflicts(session, Company, COLUMNS, company_rows(100))
    assert plain_indexes(session) == before
    session.rollback()
    assert plain_indexes(session) == before


def test_an_update_of_one_column_rebuilds_only_its_index(session: Session) -> None:
    bulk_insert_ignoring_conflicts(session, Company, COLUMNS, company_rows(40))
    before = plain_indexes(session)
    with indexes_rebuilt_after(session, [Company], 40, only=("domain",)):
        if session.get_bind().dialect.name == "sqlite":
            assert plain_indexes(session) == before - {"ix_companies_domain"}
        bulk_update_column(session, Company, "id", "domain", [(3, "a.ru"), (9, "b.ru")])
    assert plain_indexes(session) == before
    found = select(Company.id).where(Company.domain == "b.ru")
    assert session.scalars(found).all() == [9]


def test_indexes_stay_for_a_load_much_smaller_than_the_table(
    session: Session,
) -> None:
    bulk_insert_ignoring_conflicts(session, Company, COLUMNS, company_rows(50))
    before = plain_indexes(session)
    with indexes_rebuilt_after(session, [Company], 10):
        assert plain_indexes(session) == before


def test_reserved_ids_are_fresh_and_driver_rows_read_them_back(
    session: Session,
) -> None:
    assert reserve_ids(session, Company, 5) == [1, 2, 3, 4, 5]
    bulk_insert_ignoring_conflicts(session, Company, COLUMNS, company_rows(5))
    assert reserve_ids(session, Company, 3) == [6, 7, 8]
    rows = list(driver_rows(session, "SELECT id, name FROM companies ORDER BY id"))
    assert rows == [(i, f"Company {i}") for i in range(1, 6)]


def test_json_columns_read_back_what_was_written(session: Session) -> None:
    written = {"name": {"records": [1, 2]}, "n": [1, 2.5, None, True, "Ромашка"]}
    company = Company(name="ООО «Ромашка»", provenance=written)
    session.add(company)
    session.flush()
    session.expire_all()
    assert session.get(Company, company.id).provenance == written  # type: ignore[union-attr]


def test_json_text_orjson_refuses_is_read_by_json() -> None:
    assert json_loads('{"a": [1, "б"], "b": 2.5}') == {"a": [1, "б"], "b": 2.5}
    assert math.isnan(json_loads('{"a": NaN}')["a"])  # json.dumps writes NaN
    huge = {"inn": 10**30, "n": -(2**64), "x": 0.12345678901234567891}
    assert json_loads(json.dumps(huge)) == json.loads(json.dumps(huge))  # not floats
    assert isinstance(json_loads(json.dumps(huge))["inn"], int)
