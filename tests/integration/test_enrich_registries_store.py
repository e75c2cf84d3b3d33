"""Registry releases in the database: idempotent re-import, first/last seen,
changed rows stored again, diff, new entities, stats, signals, suppression."""

from __future__ import annotations

import csv
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from enrich.registries.diff import diff_releases
from enrich.registries.new import select_new_entities
from enrich.registries.stats import registry_stats
from enrich.registries.store import import_release
from enrich.registries.types import Filters
from leadbase.audit import Actor
from leadbase.cli import cli
from leadbase.enums import CompanyStatus, SuppressionKind
from leadbase.errors import NotFoundError
from leadbase.models import (
    Company,
    Export,
    RawRecord,
    RegistryEntity,
    RegistryRelease,
    Signal,
    Suppression,
)
from leadbase.suppression import suppression_hash

DATA = Path(__file__).parents[1] / "data" / "registries"
ACTOR = Actor("test")


def org(
    inn: str, name: str, category: str = "2", new: str = "2", region: str = "77"
) -> str:
    return (
        f'<Документ ИдДок="{inn}" ДатаСост="{{state}}" ДатаВклМСП="10.08.2016" '
        f'ВидСубМСП="1" КатСубМСП="{category}" ПризНовМСП="{new}">'
        f'<ОргВклМСП НаимОрг="{name}" НаимОргСокр="{name}" ИННЮЛ="{inn}"/>'
        f'<СведМН КодРегион="{region}"/>'
        '<СвОКВЭД><СвОКВЭДОсн КодОКВЭД="62.01"/></СвОКВЭД></Документ>'
    )


def trader(inn: str, surname: str, new: str = "2") -> str:
    return (
        f'<Документ ИдДок="{inn}" ДатаСост="{{state}}" ДатаВклМСП="10.08.2016" '
        f'ВидСубМСП="2" КатСубМСП="1" ПризНовМСП="{new}">'
        f'<ИПВклМСП ИННФЛ="{inn}"><ФИОИП Фамилия="{surname}" Имя="ИВАН"/></ИПВклМСП>'
        '<СведМН КодРегион="50"/><СвОКВЭД><СвОКВЭДОсн КодОКВЭД="47.11"/></СвОКВЭД>'
        "</Документ>"
    )


A, B = org("7707083893", "ООО А"), org("5024002119", "АО Б")
A_CHANGED = org("7707083893", "ООО А", category="3")
C = trader("500100732259", "ИВАНОВ")
D = org("7736207543", "ООО Д", new="1")
E = trader("770100000001", "ПЕТРОВ", new="1")


def release(tmp_path: Path, day: str, *documents: str) -> Path:
    """A release ZIP named as ФНС names them, documents split over two files."""
    path = tmp_path / f"data-{day.replace('.', '')}-structure-10062025.zip"
    body = [d.replace("{state}", day) for d in documents]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for i, part in enumerate((body[::2], body[1::2]), start=1):
            xml = (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Файл ИдФайл="x" ВерсФорм="4.06" ТипИнф="РЕЕСТРМСП">'
                + "".join(part)
                + "</Файл>"
            )
            z.writestr(f"VO_RRMSPSV_{i}.xml", xml)
    return path


def two_releases(session: Session, tmp_path: Path) -> None:
    first = release(tmp_path, "10.10.2026", A, B, C)
    second = release(tmp_path, "10.11.2026", A_CHANGED, B, D, E)
    import_release(session, "rmsp", first, actor=ACTOR)
    import_release(session, "rmsp", second, actor=ACTOR)
    session.commit()


def count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_release_is_recorded_and_reimport_adds_nothing(
    session: Session, tmp_path: Path
) -> None:
    path = release(tmp_path, "10.10.2026", A, B, C)
    summary = import_release(session, "rmsp", path, actor=ACTOR)
    session.commit()
    assert (summary.counts.new, summary.report.kept) == (3, 3)
    [rel] = session.scalars(select(RegistryRelease)).all()
    assert (rel.register, rel.released_on, rel.rows) == ("rmsp", date(2026, 10, 10), 3)
    assert rel.structure_version == "ВерсФорм 4.06 / 2025-06-10"
    assert len(rel.sha256) == 64
    before = [count(session, m) for m in (RawRecord, RegistryEntity, RegistryRelease)]
    again = import_release(session, "rmsp", path, actor=ACTOR)
    session.commit()
    assert again.already is not None and again.already.id == rel.id
    assert [
        count(session, m) for m in (RawRecord, RegistryEntity, RegistryRelease)
    ] == before


def test_entities_are_raw_records_of_the_registry_source(
    session: Session, tmp_path: Path
) -> None:
    import_release(session, "rmsp", release(tmp_path, "10.10.2026", A, C), actor=ACTOR)
    session.commit()
    raws = session.scalars(select(RawRecord).order_by(RawRecord.source_key)).all()
    assert [r.source.name for r in raws] == ["registry:rmsp"] * 2
    assert {r.source_key: r.payload["inn"] for r in raws} == {
        "500100732259": "500100732259",
        "7707083893": "7707083893",
    }
    entities = {e.national_id: e for e in session.scalars(select(RegistryEntity)).all()}
    assert entities["500100732259"].is_personal_data
    assert not entities["7707083893"].is_personal_data
    assert {e.raw_record_id for e in entities.values()} == {r.id for r in raws}


def test_first_and_last_seen_and_only_changed_rows_stored_again(
    session: Session, tmp_path: Path
) -> None:
    two_releases(session, tmp_path)
    dates = dict(
        session.execute(select(RegistryRelease.id, RegistryRelease.released_on)).all()
    )
    seen = {
        e.national_id: (dates[e.first_release_id], dates[e.last_release_id])
        for e in session.scalars(select(RegistryEntity))
    }
    october, november = date(2026, 10, 10), date(2026, 11, 10)
    assert seen == {
        "7707083893": (october, november),
        "5024002119": (october, november),
        "500100732259": (october, october),
        "7736207543": (november, november),
        "770100000001": (november, november),
    }
    keys = sorted(session.scalars(select(RawRecord.source_key)))
    # A twice (it changed), B once (unchanged), C, D, E once each.
    assert keys == sorted(
        [
            "7707083893",
            "7707083893",
            "5024002119",
            "500100732259",
            "7736207543",
            "770100000001",
        ]
    )


def test_diff_counts_and_file_without_personal_data(
    session: Session, tmp_path: Path
) -> None:
    two_releases(session, tmp_path)
    out = tmp_path / "diff.csv"
    result = diff_releases(
        session, "rmsp", date(2026, 10, 10), date(2026, 11, 10), actor=ACTOR, out=out
    )
    session.commit()
    assert (result.new, result.gone, result.changed) == (2, 1, 1)
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert {(r["change"], r["national_id"]) for r in rows} == {
        ("new", "7736207543"),
        ("changed", "7707083893"),
    }
    assert result.personal_left_out == 2
    [export] = session.scalars(select(Export)).all()
    assert export.rows == 2 and export.filters["include_personal"] is False
    everything = diff_releases(
        session,
        "rmsp",
        date(2026, 10, 10),
        date(2026, 11, 10),
        actor=ACTOR,
        out=tmp_path / "all.csv",
        include_personal=True,
    )
    assert everything.written == 4


def test_diff_refuses_unknown_release(session: Session, tmp_path: Path) -> None:
    two_releases(session, tmp_path)
    with pytest.raises(NotFoundError, match="known releases: 2026-10-10, 2026-11-10"):
        diff_releases(
            session, "rmsp", date(2026, 9, 10), date(2026, 11, 10), actor=ACTOR
        )


def test_new_entities_flagged_or_first_seen(session: Session, tmp_path: Path) -> None:
    two_releases(session, tmp_path)
    found = select_new_entities(session, "rmsp", date(2026, 11, 1), Filters())
    assert {e.national_id for e in found} == {"7736207543", "770100000001"}
    raw_ids = set(session.scalars(select(RawRecord.id)))
    assert all(e.raw_record_id in raw_ids for e in found)
    companies = select_new_entities(
        session, "rmsp", date(2026, 11, 1), Filters(exclude_sole_traders=True)
    )
    assert [e.payload["inn"] for e in companies] == ["7736207543"]
    assert (
        select_new_entities(
            session, "rmsp", date(2026, 11, 1), Filters(regions=frozenset({"50"}))
        )[0].national_id
        == "770100000001"
    )
    # After the first release alone nothing is "first seen": everything is.
    assert select_new_entities(session, "rmsp", date(2026, 12, 1)) == []


def test_stats_shape(session: Session, tmp_path: Path) -> None:
    two_releases(session, tmp_path)
    stats = registry_stats(session)
    assert list(stats) == ["rmsp", "revexp", "sshr2019", "ch-basic", "sirene-ul"]
    assert stats["rmsp"] == {
        "releases": 2,
        "entities": 5,
        "organisations": 3,
        "sole_traders": 2,
        "new": 2,
    }
    assert stats["ch-basic"] == dict.fromkeys(stats["rmsp"], 0)


def test_revexp_becomes_signals_on_the_company_with_that_inn(
    session: Session, tmp_path: Path
) -> None:
    company = Company(name="ООО Ромашка", inn="7707083893", status=CompanyStatus.NEW)
    session.add(company)
    session.flush()
    path = tmp_path / "data-20260601-structure-20180801.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.write(DATA / "VO_REVEXP_2026.xml", "VO_REVEXP_1.xml")
    summary = import_release(session, "revexp", path, actor=ACTOR)
    session.commit()
    assert summary.counts.raw_stored == 0 and count(session, RawRecord) == 0
    signals = session.scalars(
        select(Signal).order_by(Signal.national_id, Signal.kind)
    ).all()
    assert [(s.national_id, s.kind, s.value, s.period) for s in signals] == [
        ("5024002119", "expenses", 15000, "2025"),
        ("5024002119", "income", 0, "2025"),
        ("7707083893", "expenses", 9800000, "2025"),
        ("7707083893", "income", 12500000.5, "2025"),
    ]
    assert {s.company_id for s in signals if s.national_id == "7707083893"} == {
        company.id
    }
    assert all(s.release_id == summary.release_id for s in signals)


def test_suppressed_inn_is_not_imported(session: Session, tmp_path: Path) -> None:
    salt = "pepper"
    session.add(
        Suppression(
            kind=SuppressionKind.INN,
            value_hash=suppression_hash(SuppressionKind.INN, "500100732259", salt),
        )
    )
    session.flush()
    path = release(tmp_path, "10.10.2026", A, C)
    summary = import_release(session, "rmsp", path, actor=ACTOR, suppression_salt=salt)
    session.commit()
    assert summary.counts.suppressed == 1
    assert list(session.scalars(select(RegistryEntity.national_id))) == ["7707083893"]
    assert "500100732259" not in set(session.scalars(select(RawRecord.source_key)))


def test_cli_import_stats_and_reimport(db_url: str, tmp_path: Path) -> None:
    path = release(tmp_path, "10.10.2026", A, B, C)
    runner = CliRunner()
    done = runner.invoke(
        cli,
        ["--db", db_url, "registry", "import", "rmsp", str(path), "--okved", "62"],
        catch_exceptions=False,
    )
    assert done.exit_code == 0, done.output
    assert "3 read, 1 filtered out, 2 kept: 2 new" in done.output
    again = runner.invoke(
        cli, ["--db", db_url, "registry", "import", "rmsp", str(path)]
    )
    assert "already imported" in again.output and again.exit_code == 0
    stats = runner.invoke(cli, ["--db", db_url, "registry", "stats", "--json"])
    assert json.loads(stats.output)["rmsp"]["entities"] == 2
    wrong = runner.invoke(
        cli,
        ["--db", db_url, "registry", "import", "revexp", str(path), "--okved", "62"],
    )
    assert wrong.exit_code == 1
    assert "revexp cannot filter by --okved" in wrong.output


def test_cli_sirene_without_release_date_asks_for_it(
    db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "StockUniteLegale_utf8.csv"
    path.write_bytes((DATA / "StockUniteLegale_2026-11-01.csv").read_bytes())
    runner = CliRunner()
    refused = runner.invoke(
        cli, ["--db", db_url, "registry", "import", "sirene-ul", str(path)]
    )
    assert refused.exit_code == 1 and "pass --release-date" in refused.output
    done = runner.invoke(
        cli,
        [
            "--db",
            db_url,
            "registry",
            "import",
            "sirene-ul",
            str(path),
            "--release-date",
            "2026-11-01",
        ],
    )
    assert done.exit_code == 0, done.output
    assert "1 not published (statutDiffusion P), not imported" in done.output
    assert "dateCreationUniteLegale: '2026-02-30'" in done.output


def test_cli_diff_and_new(db_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    for path in (
        release(tmp_path, "10.10.2026", A, B, C),
        release(tmp_path, "10.11.2026", A_CHANGED, B, D, E),
    ):
        done = runner.invoke(
            cli, ["--db", db_url, "registry", "import", "rmsp", str(path)]
        )
        assert done.exit_code == 0, done.output
    out = tmp_path / "diff.csv"
    diff = runner.invoke(
        cli,
        [
            "--db",
            db_url,
            "registry",
            "diff",
            "rmsp",
            "--from",
            "2026-10-10",
            "--to",
            "2026-11-10",
            "--out",
            str(out),
        ],
    )
    assert diff.exit_code == 0, diff.output
    assert "2 new, 1 gone, 1 changed" in diff.output
    assert "Wrote 2 rows" in diff.output and "2 sole traders left out" in diff.output
    new = runner.invoke(
        cli, ["--db", db_url, "registry", "new", "rmsp", "--since", "2026-11-01"]
    )
    assert new.exit_code == 0, new.output
    assert "7736207543" in new.output and "770100000001" not in new.output
    assert "2 new in rmsp since 2026-11-01" in new.output
    assert "1 sole traders not shown" in new.output
    wrong = runner.invoke(cli, ["--db", db_url, "registry", "new", "revexp"])
    assert wrong.exit_code == 1 and "not leads" in wrong.output
