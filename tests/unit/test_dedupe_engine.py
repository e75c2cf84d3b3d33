"""The engine in memory: hard rules, anti-chaining, capped blocks, reviewer labels."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from dedupe.blocking import RULES, candidate_pairs
from dedupe.cluster import INN_CONFLICT, OTHER_PLACE, WEAK_LINK, cluster
from dedupe.engine import Labels, resolve
from dedupe.evaluate import accuracy
from dedupe.frame import RecordRow, build_frame, frame_of_columns
from dedupe.normalise.record import normalise_record
from dedupe.settings import DedupeSettings
from leadbase.errors import LeadbaseError
from leadbase.sample import iter_sample_rows

SETTINGS = DedupeSettings(random_pairs=200_000)


def background(count: int, start: int = 1000) -> list[RecordRow]:
    """Distinct firms that give the model something to learn chance agreement from."""
    rows = []
    for n in range(count):
        rows.append(
            RecordRow(
                id=start + n,
                name_key=f"firma{n} {['alfa', 'beta', 'gamma', 'delta'][n % 4]}",
                legal_form="ООО",
                phones=(f"+7495{n:07d}",),
                emails=(f"info@firma{n}.ru",),
                domain=f"firma{n}.ru",
                city=["Москва", "Казань", "Омск", "Тула"][n % 4],
                region=["Москва", "Татарстан", "Омская", "Тульская"][n % 4],
                address_key=f"ul lenina d{n}",
            )
        )
    return rows


def twins(
    first_id: int, inn_a: str | None, inn_b: str | None, **extra: object
) -> list[RecordRow]:
    common = dict(
        name_key="romashka",
        legal_form="ООО",
        phones=("+74951234567",),
        emails=("info@romashka.ru",),
        domain="romashka.ru",
        city="Москва",
        region="Москва",
        address_key="moskva ul tverskaia d1",
    )
    common.update(extra)  # type: ignore[arg-type]
    return [
        RecordRow(id=first_id, inn=inn_a, **common),  # type: ignore[arg-type]
        RecordRow(id=first_id + 1, inn=inn_b, **common),  # type: ignore[arg-type]
    ]


def clusters_of(rows: list[RecordRow], labels: Labels | None = None) -> dict[int, int]:
    rows = sorted(rows, key=lambda r: r.id)
    frame = build_frame(rows)
    result = resolve(frame, SETTINGS, labels=labels)
    return {r.id: int(result.clustering.labels[i]) for i, r in enumerate(rows)}


def test_identical_records_with_the_same_inn_merge() -> None:
    found = clusters_of(twins(1, "7707083893", "7707083893") + background(300))
    assert found[1] == found[2]


def test_two_different_valid_inns_never_merge_however_alike() -> None:
    found = clusters_of(twins(1, "7707083893", "7736207543") + background(300))
    assert found[1] != found[2]


def test_same_inn_with_different_kpp_are_branches_not_one_company() -> None:
    rows = [
        RecordRow(
            id=1,
            inn="7707083893",
            kpp="770701001",
            name_key="romashka",
            city="Москва",
            region="Москва",
        ),
        RecordRow(
            id=2,
            inn="7707083893",
            kpp="770743001",
            name_key="romashka",
            city="Москва",
            region="Москва",
        ),
    ]
    found = clusters_of(rows + background(300))
    assert found[1] != found[2]


def test_a_reviewers_distinct_is_never_overridden() -> None:
    rows = twins(1, "7707083893", "7707083893") + background(300)
    frame_rows = sorted(rows, key=lambda r: r.id)
    labels = Labels(distinct=[(0, 1)])  # rows 0 and 1 are records 1 and 2
    found = clusters_of(frame_rows, labels)
    assert found[1] != found[2]


def test_a_reviewers_match_joins_what_the_model_would_not() -> None:
    rows = [
        RecordRow(id=1, name_key="vostok", city="Омск", region="Омская"),
        RecordRow(id=2, name_key="zapad", city="Омск", region="Омская"),
        *background(300),
    ]
    assert clusters_of(rows)[1] != clusters_of(rows)[2]
    found = clusters_of(rows, Labels(match=[(0, 1)]))
    assert found[1] == found[2]


def test_a_weak_link_between_two_strong_groups_does_not_join_them() -> None:
    # Rows 0-2 and 3-5 are two fully linked groups; one edge 2-3 bridges them.
    group = [(0, 1), (0, 2), (1, 2), (3, 4), (3, 5), (4, 5)]
    left = np.asarray([a for a, _ in group] + [2], dtype=np.int64)
    right = np.asarray([b for _, b in group] + [3], dtype=np.int64)
    weight = np.asarray([20.0] * 6 + [12.0])  # above the threshold, but the weakest
    none = np.full(6, -1, dtype=np.int64)
    result = cluster(6, left, right, weight, inn=none, ogrn=none, kpp=none, region=none)
    labels = result.labels.tolist()
    assert len({labels[0], labels[1], labels[2]}) == 1
    assert len({labels[3], labels[4], labels[5]}) == 1
    assert labels[0] != labels[3]
    assert result.refused[(2, 3)] == WEAK_LINK


def test_connected_components_would_chain_but_a_conflicting_inn_splits() -> None:
    # A~B and B~C strongly, but A and C hold different INNs: B joins one side only.
    left = np.asarray([0, 1], dtype=np.int64)
    right = np.asarray([1, 2], dtype=np.int64)
    inn = np.asarray([5, -1, 7], dtype=np.int64)
    none = np.full(3, -1, dtype=np.int64)
    result = cluster(
        3,
        left,
        right,
        np.asarray([10.0, 9.0]),
        inn=inn,
        ogrn=none,
        kpp=none,
        region=none,
    )
    labels = result.labels.tolist()
    assert labels[0] == labels[1] != labels[2]


def test_a_switchboard_shared_by_400_firms_is_capped_and_does_not_merge_them() -> None:
    rows = [
        RecordRow(
            id=n,
            name_key=f"firm{n} {'abcdefghij'[n % 10]}",
            phones=("+74959999999",),
            city="Москва",
            region="Москва",
            emails=(f"office@firm{n}.ru",),
        )
        for n in range(1, 401)
    ] + background(400, start=5000)
    frame = build_frame(sorted(rows, key=lambda r: r.id))
    candidates = candidate_pairs(frame, max_block=50, window=4)
    assert candidates.oversized["phone"] == 1
    assert candidates.found["phone"] <= 400 * 4  # name-order neighbours, not 79,800
    assert len(candidates) < 6000
    result = resolve(frame, SETTINGS)
    sizes = np.bincount(result.clustering.labels)
    assert sizes.max() <= 2


def test_sample_accuracy_without_labels() -> None:
    rows = list(iter_sample_rows(1500, 3))
    records = [
        RecordRow.of(i, normalise_record(r.payload))
        for i, r in enumerate(rows, start=1)
    ]
    frame = build_frame(records)
    result = resolve(frame, SETTINGS)
    score = accuracy(result.clustering.labels.tolist(), [r.entity_id for r in rows])
    assert score.f1 >= 0.95, score.line()
    assert score.bcubed_f1 >= 0.97, score.line()


def test_settings_are_checked_and_round_trip() -> None:
    settings = DedupeSettings(auto_merge=0.9, review_lower=0.2)
    assert DedupeSettings.from_json(settings.to_json()) == settings
    with pytest.raises(LeadbaseError, match="review_lower"):
        DedupeSettings(auto_merge=0.2, review_lower=0.5)
    with pytest.raises(LeadbaseError, match="unknown keys thresh"):
        DedupeSettings.from_json({"thresh": 1})


@pytest.mark.parametrize("count", [1, 2])
def test_a_tiny_base_with_empty_fields_resolves(count: int) -> None:
    frame = build_frame([RecordRow(id=n, name_key=f"firm{n}") for n in range(count)])
    result = resolve(frame, SETTINGS)
    assert len(set(result.clustering.labels.tolist())) == count


def test_pairs_alone_in_their_component_still_obey_the_hard_rules() -> None:
    # Three strong pairs, none touching another: decided at once, not one by one.
    left = np.asarray([0, 2, 4], dtype=np.int64)
    right = np.asarray([1, 3, 5], dtype=np.int64)
    inn = np.asarray([5, 5, 6, 7, -1, -1], dtype=np.int64)
    region = np.asarray([1, 1, -1, -1, 1, 2], dtype=np.int64)
    none = np.full(6, -1, dtype=np.int64)
    result = cluster(
        6,
        left,
        right,
        np.asarray([9.0, 9.0, 9.0]),
        inn=inn,
        ogrn=none,
        kpp=none,
        region=region,
    )
    labels = result.labels.tolist()
    assert labels[0] == labels[1]
    assert labels[2] != labels[3] and labels[4] != labels[5]
    assert result.refused == {(2, 3): INN_CONFLICT, (4, 5): OTHER_PLACE}


def test_candidates_come_once_in_row_order_credited_to_the_first_rule() -> None:
    rows = [
        RecordRow(id=1, name_key="alfa", inn="7707083893", phones=("+74951111111",)),
        RecordRow(id=2, name_key="alfa", inn="7707083893", phones=("+74951111111",)),
        RecordRow(id=3, name_key="beta", phones=("+74951111111",)),
    ]
    candidates = candidate_pairs(build_frame(rows), window=1)
    pairs = list(zip(candidates.left.tolist(), candidates.right.tolist(), strict=True))
    assert pairs == [(0, 1), (0, 2), (1, 2)]
    assert [RULES[r] for r in candidates.rule.tolist()] == ["inn", "phone", "phone"]


def test_the_frame_keeps_four_distinct_phones_and_derives_lines_and_domains() -> None:
    phones = ("+74951234567;ext=1", "+74951234567;ext=2", "+74951234567;ext=1")
    phones += ("+74957654321", "+74950000000", "+74959999999")
    emails = ("ivan@mail.ru", "sales@romashka.ru", "info@romashka.ru")
    frame = build_frame([RecordRow(id=1, phones=phones, emails=emails)])

    def values(field: str) -> list[str]:
        codes = frame.multi[field][0]
        return [str(frame.vocab[field].values[c]) for c in codes if c >= 0]

    assert values("phones") == [
        "+74951234567;ext=1",
        "+74951234567;ext=2",
        "+74957654321",
        "+74950000000",
    ]
    assert values("phone_lines") == ["+74951234567", "+74957654321", "+74950000000"]
    assert values("email_domains") == ["romashka.ru"]  # free mail says nothing


def test_a_frame_of_columns_is_the_frame_of_rows() -> None:
    rows = [
        RecordRow.of(i, normalise_record(r.payload))
        for i, r in enumerate(iter_sample_rows(300, 5), start=1)
    ]
    rows.append(RecordRow(id=99_999, phones=("+74951111111", "+74951111111;ext=2")))
    names = [f.name for f in dataclasses.fields(RecordRow)]
    columns = {name: [getattr(r, name) for r in rows] for name in names}
    columns["phones"] = [list(r.phones) for r in rows]  # lists, as a base loads them
    expected, found = build_frame(rows), frame_of_columns(columns)
    assert np.array_equal(found.ids, expected.ids)
    for name, codes in expected.codes.items():
        assert np.array_equal(found.codes[name], codes), name
    for name, matrix in expected.multi.items():
        assert np.array_equal(found.multi[name], matrix), name
    for name, vocabulary in expected.vocab.items():
        assert list(found.vocab[name].values) == list(vocabulary.values), name
        assert np.array_equal(found.vocab[name].counts, vocabulary.counts), name
    assert list(found.name_key) == list(expected.name_key)
    assert list(found.address_key) == list(expected.address_key)
