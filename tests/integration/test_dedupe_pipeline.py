"""`run_dedupe` on a real database: companies, pairs, decisions, undo, incremental."""

from __future__ import annotations

import functools
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from dedupe_helpers import directory_arrives_later
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from dedupe import bulk_write, pipeline
from dedupe.engine import resolve
from dedupe.explain import explain_pair
from dedupe.golden import edited_by_person
from dedupe.merges import (
    capture,
    merge_records,
    outcome,
    split_record,
    undo_merge,
)
from dedupe.pipeline import count_records, run_dedupe
from dedupe.record_spool import RecordSpool
from dedupe.records import (
    GOLDEN_COLUMNS,
    load_base,
    load_columns,
    member_rows,
    normalise_pending,
    spooled_columns,
)
from dedupe.settings import DedupeSettings
from leadbase.audit import Actor, apply_edit, to_json
from leadbase.auth import add_user
from leadbase.db import make_engine, make_sessionmaker
from leadbase.enums import MergeKind, ReviewLabel, Role
from leadbase.models import (
    AuditLog,
    BlockingKey,
    CandidatePair,
    Company,
    DedupeRun,
    Email,
    MergeEvent,
    NormalisedRecord,
    Phone,
    RawRecord,
    ReviewDecision,
    Source,
    User,
)
from leadbase.sample import iter_sample_rows
from leadbase.sample_loader import load_sample

ACTOR = Actor.cli()
COMPANIES = 120


def partition(session: Session) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for record_id, company in session.execute(
        select(NormalisedRecord.raw_record_id, NormalisedRecord.company_id)
    ):
        groups.setdefault(company, set()).add(record_id)
    return {frozenset(g) for g in groups.values()}


def truth_partition(session: Session) -> set[frozenset[int]]:
    truth = {
        (f"sample-{r.source}", r.row_number): r.entity_id
        for r in iter_sample_rows(COMPANIES, 1)
    }
    groups: dict[str, set[int]] = {}
    for record_id, source, row in session.execute(
        select(RawRecord.id, Source.name, RawRecord.row_number).join(Source)
    ):
        groups.setdefault(truth[(source, row)], set()).add(record_id)
    return {frozenset(g) for g in groups.values()}


def state(session: Session) -> dict[str, Any]:
    session.flush()
    session.expire_all()

    def rows(model: Any) -> list[dict[str, Any]]:
        columns = [c.key for c in model.__table__.columns]
        return sorted(
            (
                {c: to_json(getattr(r, c)) for c in columns}
                for r in session.scalars(select(model))
            ),
            key=lambda r: r["id"] if "id" in r else r["raw_record_id"],
        )

    return {
        "companies": rows(Company),
        "phones": rows(Phone),
        "emails": rows(Email),
        "records": sorted(
            tuple(row)
            for row in session.execute(
                select(NormalisedRecord.raw_record_id, NormalisedRecord.company_id)
            )
        ),
    }


def test_first_run_builds_companies_close_to_the_truth(session: Session) -> None:
    load_sample(session, COMPANIES, 1, actor=ACTOR)
    summary = run_dedupe(session, actor=ACTOR)
    assert summary.kind == "full" and summary.records > COMPANIES
    found, truth = partition(session), truth_partition(session)
    merged_right = len(found & truth)
    assert merged_right >= 0.9 * len(truth)
    company = session.scalars(select(Company).where(Company.inn.is_not(None))).first()
    assert company is not None and "records" in company.provenance["inn"]
    assert session.scalar(select(CandidatePair.explanation).limit(1))["fields"]["name"][
        "level"
    ]
    again = run_dedupe(session, actor=ACTOR)
    assert again.run_id is None  # nothing new: nothing done


def _directory_arrives_later(session: Session) -> list[dict[str, Any]]:
    return directory_arrives_later(session, COMPANIES, ACTOR)


def _stored(session: Session) -> tuple[set[Any], set[frozenset[Any]]]:
    """Stored pairs and companies, records named by (source, row): ids differ
    between two loads on PostgreSQL, whose sequences ignore a rollback."""
    name = {
        record_id: (source, row)
        for record_id, source, row in session.execute(
            select(RawRecord.id, Source.name, RawRecord.row_number).join(Source)
        )
    }
    pairs = {
        (name[p.left_id], name[p.right_id], round(p.score, 9), p.status)
        for p in session.scalars(select(CandidatePair))
    }
    groups = {frozenset(name[r] for r in group) for group in partition(session)}
    return pairs, groups


def test_incremental_run_reads_only_the_neighbourhood_and_decides_as_the_whole_base(
    session: Session,
) -> None:
    directory = _directory_arrives_later(session)
    session.execute(insert(RawRecord), directory[:10])  # a small batch
    partial = run_dedupe(session, actor=ACTOR)
    assert partial.new_records == 10
    assert partial.loaded < partial.records  # not the whole base
    pairs, groups = _stored(session)
    assert pairs and len(groups) < partial.records
    session.rollback()

    # The same batch against the whole base loaded (a base whose last run left no
    # blocking keys behind is read whole): the same pairs, scores and companies.
    directory = _directory_arrives_later(session)
    session.execute(insert(RawRecord), directory[:10])
    last = session.scalars(select(DedupeRun).order_by(DedupeRun.id.desc())).first()
    assert last is not None and last.stats.pop("blocking_keys")
    flag_modified(last, "stats")
    whole = run_dedupe(session, actor=ACTOR)
    assert whole.loaded == whole.records
    assert _stored(session) == (pairs, groups)


def test_the_neighbourhood_holds_every_record_of_the_companies_it_touches(
    session: Session,
) -> None:
    """A company is re-clustered whole: records of it that share no key with the
    batch are read too (they hold it together, and its size decides its path)."""
    directory = _directory_arrives_later(session)
    session.execute(insert(RawRecord), directory[:10])
    normalise_pending(session)
    base = pipeline._load_neighbourhood(session, DedupeSettings())
    loaded = Counter(c for c in base.company_ids if c is not None)
    held = dict(
        session.execute(
            select(NormalisedRecord.company_id, func.count())
            .where(NormalisedRecord.company_id.in_(list(loaded)))
            .group_by(NormalisedRecord.company_id)
        ).all()
    )
    assert loaded and loaded == held
    assert sorted(base.ids) == base.ids and len(set(base.ids)) == len(base.ids)


def test_incremental_and_full_runs_agree(session: Session) -> None:
    directory = _directory_arrives_later(session)
    session.execute(insert(RawRecord), directory)
    summary = run_dedupe(session, actor=ACTOR)  # the directory arrives: incremental
    assert summary.kind == "incremental" and summary.new_records == len(directory)
    incremental = partition(session)
    run_dedupe(session, full=True, actor=ACTOR)
    assert partition(session) == incremental


def test_reviewer_decisions_survive_a_full_run(session: Session) -> None:
    load_sample(session, COMPANIES, 1, actor=ACTOR)
    run_dedupe(session, actor=ACTOR)
    merged = session.scalars(
        select(CandidatePair).where(CandidatePair.status == "auto_merged")
    ).first()
    assert merged is not None
    session.add(
        ReviewDecision(
            left_id=merged.left_id, right_id=merged.right_id, label=ReviewLabel.DISTINCT
        )
    )
    run_dedupe(session, full=True, actor=ACTOR)
    company = {
        record: owner
        for record, owner in session.execute(
            select(NormalisedRecord.raw_record_id, NormalisedRecord.company_id)
        )
    }
    assert company[merged.left_id] != company[merged.right_id]


def test_split_record_keeps_it_apart_on_later_runs(session: Session) -> None:
    load_sample(session, COMPANIES, 1, actor=ACTOR)
    run_dedupe(session, actor=ACTOR)
    big = max(partition(session), key=len)
    record = max(big)
    company_id = session.get(NormalisedRecord, record).company_id
    new_id = split_record(session, company_id, record, ACTOR)
    assert session.get(NormalisedRecord, record).company_id == new_id
    run_dedupe(session, full=True, actor=ACTOR)
    after = session.get(NormalisedRecord, record).company_id
    others = {session.get(NormalisedRecord, r).company_id for r in big - {record}}
    assert after not in others


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(0, 10_000), merges=st.integers(1, 4))
def test_random_merges_then_undos_give_back_the_start(
    session: Session, seed: int, merges: int
) -> None:
    if session.scalar(select(Company.id).limit(1)) is None:
        load_sample(session, 40, 1, actor=ACTOR)
        run_dedupe(session, actor=ACTOR)
    start = state(session)
    rng = random.Random(seed)
    done = []
    for _ in range(merges):
        ids = sorted(session.scalars(select(Company.id)))
        chosen = rng.sample(ids, min(len(ids), rng.randint(2, 3)))
        records = list(
            session.scalars(
                select(NormalisedRecord.raw_record_id).where(
                    NormalisedRecord.company_id.in_(chosen)
                )
            )
        )
        rows = member_rows(session, records)
        done.append(
            merge_records(
                session, list(rows.values()), chosen, run_id=None, actor=ACTOR
            )
        )
    for company_id in reversed(done):
        undo_merge(session, company_id, ACTOR)
    assert state(session) == start


def test_events_that_hold_their_nulls_still_undo_exactly(session: Session) -> None:
    """Events written before snapshots left NULL columns out name every column."""
    load_sample(session, 40, 1, actor=ACTOR)
    run_dedupe(session, actor=ACTOR)
    start = state(session)
    chosen = sorted(session.scalars(select(Company.id)))[:3]
    records = _records_of(session, chosen)
    rows = member_rows(session, records)
    merged = merge_records(
        session, list(rows.values()), chosen, run_id=None, actor=ACTOR
    )
    event = session.scalars(select(MergeEvent).order_by(MergeEvent.id.desc())).first()
    assert event is not None
    before = event.before
    for model, kind in ((Phone, "phones"), (Email, "emails")):
        keys = [c.key for c in model.__table__.columns]
        before[kind] = [dict.fromkeys(keys) | row for row in before[kind]]
    keys = [c.key for c in Company.__table__.columns]
    before["companies"] = {
        k: None if row is None else dict.fromkeys(keys) | row
        for k, row in before["companies"].items()
    }
    assert any(None in row.values() for row in before["companies"].values())
    event.before = before
    flag_modified(event, "before")
    undo_merge(session, merged, ACTOR)
    assert state(session) == start


def test_train_learns_from_labels_and_orders_the_queue(session: Session) -> None:
    from dedupe.queue import review_queue

    load_sample(session, COMPANIES, 1, actor=ACTOR)
    run_dedupe(session, actor=ACTOR)
    queue = review_queue(session, limit=1000)
    assert queue, "the sample has pairs for review"
    priorities = [p.priority for p in queue]
    assert priorities == sorted(priorities, reverse=True) and priorities[0] > 0
    truth = {
        (f"sample-{r.source}", r.row_number): r.entity_id
        for r in iter_sample_rows(COMPANIES, 1)
    }
    entity = {
        record_id: truth[(source, row)]
        for record_id, source, row in session.execute(
            select(RawRecord.id, Source.name, RawRecord.row_number).join(Source)
        )
    }
    for pair in queue[:20]:  # a reviewer answers the top of the queue truthfully
        same = entity[pair.left_id] == entity[pair.right_id]
        session.add(
            ReviewDecision(
                left_id=pair.left_id,
                right_id=pair.right_id,
                label=ReviewLabel.MATCH if same else ReviewLabel.DISTINCT,
            )
        )
    summary = run_dedupe(session, train=True, actor=ACTOR)
    assert summary.kind == "train" and summary.labels == min(20, len(queue))
    assert summary.label_agreement["after"] >= summary.label_agreement["before"]
    found = partition(session)
    for pair in queue[:20]:  # every label holds in the companies
        together = any({pair.left_id, pair.right_id} <= group for group in found)
        assert together == (entity[pair.left_id] == entity[pair.right_id])


def by_records(session: Session) -> dict[frozenset[int], Any]:
    """Companies, phones, emails and merge events keyed by their records, not ids."""
    session.flush()
    session.expire_all()
    members: dict[int, set[int]] = {}
    for record_id, company_id in session.execute(
        select(NormalisedRecord.raw_record_id, NormalisedRecord.company_id)
    ):
        if company_id is not None:
            members.setdefault(company_id, set()).add(record_id)
    stamps = {"id", "created_at", "updated_at", "company_id"}
    found: dict[frozenset[int], Any] = {}
    for company in session.scalars(select(Company)):
        columns = Company.__table__.columns
        values = {c.key: to_json(getattr(company, c.key)) for c in columns}
        head = values["head_company_id"]  # an id, named by its records as well
        values["head_company_id"] = None if head is None else sorted(members[head])
        found[frozenset(members[company.id])] = {
            "company": {k: v for k, v in values.items() if k not in stamps},
            "phones": sorted(
                (
                    p.raw,
                    p.e164,
                    p.extension,
                    p.kind.value,
                    p.is_valid,
                    str(p.provenance),
                )
                for p in company.phones
            ),
            "emails": sorted(
                (e.address, e.is_valid, e.is_freemail, str(e.provenance))
                for e in company.emails
            ),
            "merge_events": sorted(
                (
                    event.kind.value,
                    sorted(event.before["records"].items()),
                    sorted(event.after["records"]),
                    len(event.before["phones"]),
                    len(event.before["emails"]),
                )
                for event in session.scalars(
                    select(MergeEvent).where(MergeEvent.company_id == company.id)
                )
            ),
        }
    return found


def arrive_at_different_times(session: Session) -> dict[int, datetime]:
    """Raw records as if received over some weeks, not in id order."""
    start = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    for raw in session.scalars(select(RawRecord)):
        raw.received_at = start + timedelta(hours=(raw.id * 37) % 500)
    session.flush()
    session.expire_all()
    return dict(session.execute(select(RawRecord.id, RawRecord.received_at)).all())


# One chunk, and many.
@pytest.mark.parametrize("chunk", [20_000, 9])
def test_bulk_written_companies_equal_one_by_one_and_undo_exactly(
    session: Session, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_write, "CHUNK", chunk)
    load_sample(session, COMPANIES, 1, actor=ACTOR)
    arrive_at_different_times(session)
    normalise_pending(session)
    base = load_base(session)
    labels = resolve(base.frame, DedupeSettings()).clustering.labels.tolist()
    groups: dict[int, list[int]] = {}
    for row, label in enumerate(labels):
        groups.setdefault(label, []).append(row)
    clusters = [[base.member(r) for r in rows] for rows in groups.values()]
    assert any(len(c) > 1 for c in clusters)
    start = state(session)

    nested = session.begin_nested()
    for members in clusters:
        merge_records(session, members, [], run_id=None, actor=ACTOR)
    one_by_one = by_records(session)
    nested.rollback()
    assert state(session) == start

    ids = bulk_write.write_new_companies(session, clusters, run_id=None, actor=ACTOR)
    assert len(ids) == len(clusters)
    assert by_records(session) == one_by_one
    assert_events_as_captured(session)

    merged = [i for i, c in zip(ids, clusters, strict=True) if len(c) > 1]
    before_undo = state(session)
    undo_merge(session, merged[0], ACTOR)
    after_undo = state(session)
    assert merged[0] not in {c["id"] for c in after_undo["companies"]}
    gone = {m.record_id for m in clusters[ids.index(merged[0])]}
    assert all(company is None for r, company in after_undo["records"] if r in gone)
    kept = [c for c in before_undo["companies"] if c["id"] != merged[0]]
    assert after_undo["companies"] == kept  # nothing else touched


def type_name(session: Session, company_id: int, name: str) -> None:
    """A reviewer's edit of the name, made as the review app makes one."""
    company = session.get(Company, company_id)
    assert company is not None
    reviewer = session.scalars(select(User).where(User.username == "rita")).first()
    if reviewer is None:
        reviewer = add_user(
            session, "rita", "long-password", Role.REVIEWER, actor=ACTOR
        )
    apply_edit(
        session,
        company,
        {"name": name},
        actor=Actor.of(reviewer),
        expected_version=company.version,
    )
    session.flush()


def test_what_a_person_typed_after_a_merge_is_kept_or_reported_by_its_undo(
    session: Session,
) -> None:
    """A person's edit made after a merge survives its undo on a company that
    existed before it; on a company the merge made (a first run's), which the
    undo removes, the edit is reported with its value, not kept silently."""
    load_sample(session, COMPANIES, 1, actor=ACTOR)
    run_dedupe(session, actor=ACTOR)
    made = session.scalars(
        select(MergeEvent.company_id).where(MergeEvent.kind == MergeKind.MERGE)
    ).first()
    assert made is not None
    type_name(session, made, "Typed after the first run")
    undone = undo_merge(session, made, ACTOR)
    assert session.get(Company, made) is None
    assert undone.lost_edits == {"name": "Typed after the first run"}
    assert undone.kept_edits == {}
    entry = session.scalars(
        select(AuditLog).where(AuditLog.action == "company.unmerge")
    ).one()
    assert entry.after == {
        "kept_edits": [],
        "lost_edits": {"name": "Typed after the first run"},
    }

    two = sorted(session.scalars(select(Company.id)))[:2]
    records = session.scalars(
        select(NormalisedRecord.raw_record_id).where(
            NormalisedRecord.company_id.in_(two)
        )
    ).all()
    rows = member_rows(session, list(records))
    survivor = merge_records(
        session, list(rows.values()), two, run_id=None, actor=ACTOR
    )
    was = session.get(Company, survivor).name  # type: ignore[union-attr]
    type_name(session, survivor, "Typed after the merge")
    undone = undo_merge(session, survivor, ACTOR)
    restored = session.get(Company, survivor)
    assert restored is not None and restored.name == "Typed after the merge" != was
    assert undone.kept_edits == {"name": "Typed after the merge"}
    assert undone.lost_edits == {}
    # Still the person's after the undo: merged again, the company keeps it.
    session.expire_all()
    assert edited_by_person(restored.provenance, "name")
    rows = member_rows(session, list(records))
    again = merge_records(session, list(rows.values()), two, run_id=None, actor=ACTOR)
    assert session.get(Company, again).name == "Typed after the merge"  # type: ignore[union-attr]


def assert_events_as_captured(session: Session) -> None:
    """Each merge event's "after" is the `outcome` of what `capture` reads back
    from the rows it wrote, exactly; its row snapshots leave NULL columns out."""
    events = list(session.scalars(select(MergeEvent)))
    assert events
    for event in events:
        target = event.after["target"]
        records = [int(r) for r in event.after["records"]]
        read = outcome(capture(session, [target], records))
        assert event.after == {**read, "target": target}
        rows = event.after["companies"].values()
        assert all(None not in row.values() for row in rows), event.id


def test_a_company_is_first_seen_when_its_earliest_record_arrived(
    session: Session,
) -> None:
    load_sample(session, COMPANIES, 1, actor=ACTOR)
    arrived = arrive_at_different_times(session)

    def check() -> list[int]:
        session.expire_all()
        members: dict[int, list[int]] = {}
        for record_id, company_id in session.execute(
            select(NormalisedRecord.raw_record_id, NormalisedRecord.company_id)
        ):
            members.setdefault(company_id, []).append(record_id)
        for company in session.scalars(select(Company)):
            earliest = min(arrived[r] for r in members[company.id])
            assert company.first_seen_at == earliest, company.id
        return sorted(members, key=lambda c: len(members[c]))

    run_dedupe(session, actor=ACTOR)  # new companies: the bulk path
    by_size = check()
    assert any(arrived[r] != arrived[min(arrived)] for r in arrived)
    merged = merge_records(  # one by one: two companies become one
        session,
        list(member_rows(session, _records_of(session, by_size[-2:])).values()),
        by_size[-2:],
        run_id=None,
        actor=ACTOR,
    )
    check()
    event = session.scalars(select(MergeEvent).order_by(MergeEvent.id.desc())).first()
    assert event is not None and event.company_id == merged
    company = session.get(Company, merged)
    assert event.after["companies"][str(merged)]["first_seen_at"] == to_json(
        company.first_seen_at
    )


def _records_of(session: Session, companies: list[int]) -> list[int]:
    return list(
        session.scalars(
            select(NormalisedRecord.raw_record_id).where(
                NormalisedRecord.company_id.in_(companies)
            )
        )
    )


def test_records_normalised_again_stay_in_their_companies(session: Session) -> None:
    load_sample(session, COMPANIES, 1, actor=ACTOR)
    run_dedupe(session, actor=ACTOR)
    before = partition(session)
    companies = {c.id for c in session.scalars(select(Company))}
    # As if a newer normaliser came out: every record is pending again.
    keys = set(session.execute(select(BlockingKey.__table__)).all())
    session.query(NormalisedRecord).update({"normaliser_version": 0})
    summary = run_dedupe(session, actor=ACTOR)
    assert summary.normalised == sum(len(group) for group in before)
    assert partition(session) == before
    assert {c.id for c in session.scalars(select(Company))} == companies
    # Their blocking keys went with the old rows and came back with the new ones.
    assert keys and set(session.execute(select(BlockingKey.__table__)).all()) == keys


def test_explaining_a_pair_reads_two_records_and_gives_its_stored_score(
    session: Session,
) -> None:
    directory = _directory_arrives_later(session)
    session.execute(insert(RawRecord), directory)
    run = run_dedupe(session, actor=ACTOR).run_id  # incremental
    pairs = list(
        session.scalars(
            select(CandidatePair)
            .where(CandidatePair.run_id == run)  # scored with today's frequencies
            .order_by(CandidatePair.id)
        )
    )
    assert len(pairs) > 20
    for pair in pairs[:: len(pairs) // 20]:
        explained = explain_pair(session, pair.left_id, pair.right_id)
        assert explained["probability"] == pytest.approx(pair.score, abs=1e-6)


def test_removing_a_source_takes_its_blocking_keys(session: Session) -> None:
    from leadbase.sources import remove_source

    load_sample(session, COMPANIES, 1, actor=ACTOR)
    run_dedupe(session, actor=ACTOR)
    keyed = select(BlockingKey.record_id).distinct()
    assert set(session.scalars(keyed)) <= set(
        session.scalars(select(NormalisedRecord.raw_record_id))
    )
    remove_source(session, "sample-directory", actor=ACTOR)
    left = set(session.scalars(select(NormalisedRecord.raw_record_id)))
    assert left and set(session.scalars(keyed)) <= left  # no keys of gone records


def test_pairs_written_in_chunks_are_the_pairs_written_at_once(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_sample(session, 40, 1, actor=ACTOR)
    run_dedupe(session, actor=ACTOR)
    at_once, _ = _stored(session)
    monkeypatch.setattr(pipeline, "PAIR_CHUNK", 7)
    run_dedupe(session, full=True, actor=ACTOR)
    in_chunks, _ = _stored(session)
    assert len(at_once) > 7 and in_chunks == at_once


@pytest.mark.postgres
def test_a_full_run_on_postgresql_leaves_planner_statistics(
    postgres_server: Any,
) -> None:
    """An incremental run right after a first one must not be planned blind."""
    url = postgres_server.new_database()
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            load_sample(session, 40, 1, actor=ACTOR)
            run_dedupe(session, actor=ACTOR)
            session.commit()
        with engine.connect() as connection:
            rows = dict(
                connection.exec_driver_sql(
                    "SELECT relname, reltuples FROM pg_class "
                    "WHERE relname IN ('blocking_keys', 'records', 'companies')"
                ).all()
            )
        assert len(rows) == 3 and all(count > 0 for count in rows.values()), rows
    finally:
        engine.dispose()
        postgres_server.drop(url)


def test_a_lean_base_reads_its_golden_values_only_if_the_records_are_unchanged(
    session: Session,
) -> None:
    load_sample(session, 20, 1, actor=ACTOR)
    normalise_pending(session)
    lean = load_base(session, lean=True)
    assert set(lean.columns) == {"raw_record_id", "company_id"}
    assert len(lean.frame) == len(lean)
    whole = load_base(session)
    lean.load_golden(session)
    assert list(lean.columns) == GOLDEN_COLUMNS  # not the frame's keys
    assert lean.columns == {c: whole.columns[c] for c in GOLDEN_COLUMNS}
    with pytest.raises(RuntimeError, match="released"):
        lean.frame  # noqa: B018 - the frame made way for the golden values
    again = load_base(session, lean=True)
    session.execute(
        NormalisedRecord.__table__.delete().where(
            NormalisedRecord.raw_record_id == again.ids[0]
        )
    )
    with pytest.raises(RuntimeError, match="changed between"):
        again.load_golden(session)


def test_a_first_run_writes_what_it_wrote_before_its_records_were_spooled(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first run keeps its records in a spool and stores them with their
    companies; storing them first and setting their companies afterwards (the
    path of every later run) gives the same rows, golden values and events."""
    load_sample(session, COMPANIES, 1, actor=ACTOR)
    arrive_at_different_times(session)
    session.commit()
    # Several chunks on two workers, so the spool holds several, written with
    # several chunks of companies.
    chunked = functools.partial(normalise_pending, processes=2, chunk_size=16)
    monkeypatch.setattr(pipeline, "normalise_pending", chunked)
    monkeypatch.setattr(bulk_write, "CHUNK", 7)
    written: list[int] = []  # spooled chunks written by each write that wrote some
    insert_records = bulk_write._insert_records

    def spy(session: Session, records: list[Any]) -> None:
        if records:
            written.append(len(records))
        insert_records(session, records)

    monkeypatch.setattr(bulk_write, "_insert_records", spy)

    first = run_dedupe(session, actor=ACTOR)
    assert len(written) > 3 and first.records > COMPANIES  # between the companies
    written.clear()
    spooled = (by_records(session), record_rows_by_id(session), _stored(session))
    session.rollback()

    assert normalise_pending(session) == first.records  # stored before the run
    again = run_dedupe(session, actor=ACTOR)
    assert not written  # nothing spooled this time
    assert (again.records, again.clusters) == (first.records, first.clusters)
    stored = (by_records(session), record_rows_by_id(session), _stored(session))
    assert spooled == stored


def test_spooled_records_read_back_as_the_base_reads_them(session: Session) -> None:
    load_sample(session, 40, 1, actor=ACTOR)
    session.commit()
    with RecordSpool(session.get_bind().dialect.name == "sqlite") as spool:
        normalise_pending(session, processes=2, chunk_size=16, spool=spool)
        assert len(spool) > 40 and count_records(session) == 0
        from_spool = spooled_columns(session, spool)
    session.rollback()
    normalise_pending(session)
    assert from_spool == load_columns(session, None, GOLDEN_COLUMNS)


def record_rows_by_id(session: Session) -> dict[int, dict[str, Any]]:
    """Every `records` row but its company and time, by record id."""
    session.expire_all()
    skip = {"company_id", "normalised_at"}
    columns = [c for c in NormalisedRecord.__table__.columns if c.key not in skip]
    return {
        row.raw_record_id: row._asdict() for row in session.execute(select(*columns))
    }
