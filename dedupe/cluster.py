"""Clusters from strong pairs, without chaining.

Connected components chain: A~B and B~C put A and C together however different they
are, and one shared switchboard phone can glue hundreds of firms into one. Here strong
pairs are taken strongest first and two groups are joined only when

- no hard rule forbids it: two different valid INNs (or OGRNs) never join; the same INN
  with different KPPs are branches, kept as separate companies; groups in different
  regions do not join on their own (a branch, or a move a person should confirm); a
  reviewer's `distinct` between any two members is never overridden;
- and the link is not a lone weak bridge: a record joins a group on one strong pair,
  but two groups of several records each join only when at least half the members of
  the smaller group have a strong pair into the other.

Links refused this way are reported with the reason, so they can go to review.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import numpy.typing as npt

from dedupe.frame import IntArray

INN_CONFLICT = "inn_conflict"
OGRN_CONFLICT = "ogrn_conflict"
BRANCH = "branch"
OTHER_PLACE = "other_place"
REVIEWER_DISTINCT = "reviewer_distinct"
WEAK_LINK = "weak_link"


@dataclass
class Clustering:
    """Cluster label (a representative row) per row, and the links refused."""

    labels: IntArray
    refused: dict[tuple[int, int], str] = field(default_factory=dict)


class _Groups:
    """Union-find that keeps each group's members and identifiers."""

    def __init__(
        self, inn: IntArray, ogrn: IntArray, kpp: IntArray, region: IntArray
    ) -> None:
        self.parent = list(range(len(inn)))
        self.members: dict[int, list[int]] = {}
        self.inns: dict[int, set[int]] = {}
        self.ogrns: dict[int, set[int]] = {}
        self.kpps: dict[int, set[int]] = {}
        self.regions: dict[int, set[int]] = {}
        self._inn, self._ogrn, self._kpp, self._region = inn, ogrn, kpp, region
        # Plain lists: reading one element is several times cheaper than from numpy.
        self._one = list(
            zip(inn.tolist(), ogrn.tolist(), kpp.tolist(), region.tolist(), strict=True)
        )

    def find(self, row: int) -> int:
        parent = self.parent
        root = row
        while parent[root] != root:
            root = parent[root]
        while parent[row] != root:  # path compression
            parent[row], row = root, parent[row]
        return root

    def group(self, root: int) -> list[int]:
        return self.members.get(root) or [root]

    def _ids(self, table: dict[int, set[int]], codes: IntArray, root: int) -> set[int]:
        found = table.get(root)
        if found is None:
            code = int(codes[root])
            return {code} if code >= 0 else set()
        return found

    def conflict(self, a: int, b: int) -> str | None:
        if a not in self.members and b not in self.members:
            return self._conflict_of_two(a, b)
        return self._conflict_of_groups(a, b)

    def _conflict_of_two(self, a: int, b: int) -> str | None:
        """`conflict` for two lone records (most calls): no sets built."""
        inn_a, ogrn_a, kpp_a, region_a = self._one[a]
        inn_b, ogrn_b, kpp_b, region_b = self._one[b]
        if inn_a >= 0 and inn_b >= 0 and inn_a != inn_b:
            return INN_CONFLICT
        if ogrn_a >= 0 and ogrn_b >= 0 and ogrn_a != ogrn_b:
            return OGRN_CONFLICT
        if (inn_a >= 0 or inn_b >= 0) and kpp_a >= 0 and kpp_b >= 0 and kpp_a != kpp_b:
            return BRANCH
        if region_a >= 0 and region_b >= 0 and region_a != region_b:
            return OTHER_PLACE
        return None

    def _conflict_of_groups(self, a: int, b: int) -> str | None:
        inns = self._ids(self.inns, self._inn, a) | self._ids(self.inns, self._inn, b)
        if len(inns) > 1:
            return INN_CONFLICT
        if (
            len(
                self._ids(self.ogrns, self._ogrn, a)
                | self._ids(self.ogrns, self._ogrn, b)
            )
            > 1
        ):
            return OGRN_CONFLICT
        if (
            inns
            and len(
                self._ids(self.kpps, self._kpp, a) | self._ids(self.kpps, self._kpp, b)
            )
            > 1
        ):
            return BRANCH
        here = self._ids(self.regions, self._region, a)
        there = self._ids(self.regions, self._region, b)
        if here and there and not here & there:
            return OTHER_PLACE
        return None

    def union(self, a: int, b: int) -> int:
        if len(self.group(a)) < len(self.group(b)):
            a, b = b, a
        merged = self.group(a) + self.group(b)
        for table, codes in (
            (self.inns, self._inn),
            (self.ogrns, self._ogrn),
            (self.kpps, self._kpp),
            (self.regions, self._region),
        ):
            table[a] = self._ids(table, codes, a) | self._ids(table, codes, b)
            table.pop(b, None)
        self.parent[b] = a
        self.members[a] = merged
        self.members.pop(b, None)
        return a


def cluster(
    rows: int,
    left: IntArray,
    right: IntArray,
    weight: IntArray | np.ndarray,
    *,
    inn: IntArray,
    ogrn: IntArray,
    kpp: IntArray,
    region: IntArray,
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
    initial: Iterable[Iterable[int]] = (),
) -> Clustering:
    """Group rows linked by strong pairs (left[i], right[i]) of the given weights.

    Args:
        rows: number of rows; rows without a strong pair stay alone.
        left, right, weight: the strong pairs (above the auto-merge threshold).
        inn, ogrn, kpp, region: per-row codes (-1 when missing) for the hard rules.
        must_link: pairs a reviewer confirmed; joined first.
        cannot_link: pairs a reviewer called distinct; never in one cluster.
        initial: groups that already exist (an incremental run's companies).
    """
    must_link, cannot_link = list(must_link), list(cannot_link)
    # A group of one record constrains nothing: it is a lone record.
    groups_before = [m for m in (list(members) for members in initial) if len(m) > 1]
    labels = np.arange(rows, dtype=np.int64)
    refused: dict[tuple[int, int], str] = {}
    # A pair alone in its component (neither record in another strong pair, in a
    # person's decision or in an existing group) joins unless a hard rule forbids
    # it, whatever the order: such pairs, most of them, are decided at once.
    decided = np.zeros(rows, dtype=bool)
    for pairs in (must_link, cannot_link):
        for a, b in pairs:
            decided[[a, b]] = True
    decided[list(chain.from_iterable(groups_before))] = True
    degree = np.bincount(left, minlength=rows) + np.bincount(right, minlength=rows)
    lone = (degree[left] == 1) & (degree[right] == 1)
    lone &= ~decided[left] & ~decided[right]
    _join_lone_pairs(left[lone], right[lone], (inn, ogrn, kpp, region), labels, refused)
    left, right = left[~lone], right[~lone]
    weight = np.asarray(weight, dtype=np.float64)[~lone]
    # The rest, strongest first, on the rows involved only.
    involved = np.unique(np.concatenate([left, right, np.flatnonzero(decided)]))
    compact = np.full(rows, -1, dtype=np.int64)
    compact[involved] = np.arange(len(involved), dtype=np.int64)
    groups = _Groups(inn[involved], ogrn[involved], kpp[involved], region[involved])
    apart: dict[int, set[int]] = defaultdict(set)
    for a, b in cannot_link:
        apart[int(compact[a])].add(int(compact[b]))
        apart[int(compact[b])].add(int(compact[a]))
    for members in groups_before:
        first = int(compact[members[0]])
        for other in members[1:]:
            ra, rb = groups.find(first), groups.find(int(compact[other]))
            if ra != rb:
                groups.union(ra, rb)
    joins: dict[tuple[int, int], str] = {}
    for a, b in must_link:
        _try_join(
            groups, apart, None, int(compact[a]), int(compact[b]), joins, strict=False
        )
    neighbours: dict[int, list[int]] = defaultdict(list)
    for a, b in zip(compact[left].tolist(), compact[right].tolist(), strict=True):
        neighbours[a].append(b)
        neighbours[b].append(a)
    order = np.argsort(-weight, kind="stable")
    for a, b in zip(
        compact[left[order]].tolist(), compact[right[order]].tolist(), strict=True
    ):
        _try_join(groups, apart, neighbours, a, b, joins, strict=True)
    roots = np.fromiter(
        (groups.find(r) for r in range(len(involved))),
        dtype=np.int64,
        count=len(involved),
    )
    labels[involved] = involved[roots]
    for (a, b), reason in joins.items():
        x, y = int(involved[a]), int(involved[b])
        refused[(min(x, y), max(x, y))] = reason
    return Clustering(labels, refused)


# Codes of the hard rules between two lone records, in the order they are checked.
_LONE_REASONS = (None, INN_CONFLICT, OGRN_CONFLICT, BRANCH, OTHER_PLACE)


def _join_lone_pairs(
    left: IntArray,
    right: IntArray,
    codes: tuple[IntArray, IntArray, IntArray, IntArray],
    labels: IntArray,
    refused: dict[tuple[int, int], str],
) -> None:
    """`_Groups.conflict` of two lone records, for many pairs at once: join the
    pairs no rule forbids (the left record leads), report the others."""
    inn, ogrn, kpp, region = codes

    def differ(values: IntArray) -> npt.NDArray[np.bool_]:
        a, b = values[left], values[right]
        found: npt.NDArray[np.bool_] = (a >= 0) & (b >= 0) & (a != b)
        return found

    has_inn = (inn[left] >= 0) | (inn[right] >= 0)
    reason = np.select(
        [differ(inn), differ(ogrn), has_inn & differ(kpp), differ(region)],
        [1, 2, 3, 4],
        0,
    )
    join = reason == 0
    labels[right[join]] = left[join]
    for a, b, code in zip(
        left[~join].tolist(), right[~join].tolist(), reason[~join].tolist(), strict=True
    ):
        refused[(min(a, b), max(a, b))] = str(_LONE_REASONS[code])


def _try_join(
    groups: _Groups,
    apart: dict[int, set[int]],
    neighbours: dict[int, list[int]] | None,
    a: int,
    b: int,
    refused: dict[tuple[int, int], str],
    *,
    strict: bool,
) -> None:
    ra, rb = groups.find(a), groups.find(b)
    if ra == rb:
        return
    reason = groups.conflict(ra, rb) if strict else None
    if reason is None:
        reason = _reviewer_apart(groups, apart, ra, rb)
    if reason is None and strict and neighbours is not None:
        reason = _weak_link(groups, neighbours, ra, rb)
    if reason is None:
        groups.union(ra, rb)
    else:
        refused[(min(a, b), max(a, b))] = reason


def _reviewer_apart(
    groups: _Groups, apart: dict[int, set[int]], ra: int, rb: int
) -> str | None:
    if not apart:
        return None
    small, large = _smaller_first(groups, ra, rb)
    for member in groups.group(small):
        if any(groups.find(other) == large for other in apart.get(member, ())):
            return REVIEWER_DISTINCT
    return None


def _weak_link(
    groups: _Groups, neighbours: dict[int, list[int]], ra: int, rb: int
) -> str | None:
    if ra not in groups.members or rb not in groups.members:
        return None  # a lone record joins on one strong pair
    small, large = _smaller_first(groups, ra, rb)
    size = len(groups.group(small))
    need = max(2, math.ceil(size / 2))
    linked = sum(
        1
        for member in groups.group(small)
        if any(groups.find(other) == large for other in neighbours.get(member, ()))
    )
    return None if linked >= need else WEAK_LINK


def _smaller_first(groups: _Groups, ra: int, rb: int) -> tuple[int, int]:
    if len(groups.group(ra)) <= len(groups.group(rb)):
        return ra, rb
    return rb, ra
