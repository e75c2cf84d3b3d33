"""Candidate pairs: records sharing a key, each pair once, no block allowed to explode.

Keys: INN, OGRN, each phone, each email, website domain, each name-key token with the
city (or region), and a sorted-neighbourhood pass over the name key. A block larger than
`max_block` (one switchboard phone shared by 400 firms in a business centre) is not
paired all-to-all: its members are paired only with their neighbours in name order, and
the block is counted as oversized.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import numpy.typing as npt
import pandas as pd

from dedupe.frame import IntArray, RecordFrame

BoolArray = npt.NDArray[np.bool_]

# Order matters: a pair found by several keys is credited to the first.
RULES = ("inn", "ogrn", "phone", "email", "domain", "name_city", "name_sorted")
NAME_BLOCK = 12  # name-word blocks larger than this are paired by neighbourhood


@dataclass
class Candidates:
    """Candidate pairs as row indices into a frame, left < right."""

    left: IntArray
    right: IntArray
    rule: npt.NDArray[np.int8]  # index into RULES
    oversized: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)

    def __len__(self) -> int:
        return len(self.left)


def candidate_pairs(
    frame: RecordFrame,
    focus: BoolArray | None = None,
    *,
    max_block: int = 50,
    window: int = 4,
) -> Candidates:
    """Every pair sharing a key, restricted to pairs touching `focus` when given.

    Args:
        frame: the records (ordered by id).
        focus: rows whose pairs are wanted (an incremental batch); all when None.
        max_block: blocks above this size are paired by neighbourhood only.
        window: how many name-order neighbours each record is paired with.
    """
    rank = name_rank(frame)
    lefts: list[IntArray] = []
    rights: list[IntArray] = []
    rules: list[npt.NDArray[np.int8]] = []
    oversized: Counter[str] = Counter()
    found: Counter[str] = Counter()
    for number, rule in enumerate(RULES):
        if rule == "name_sorted":
            left, right = _neighbours(np.argsort(rank, kind="stable"), window)
        else:
            rows, keys = _keys(frame, rule)
            # A name word in a city is weak evidence: beyond a few records, such a
            # block is paired by name order only, like the sorted-neighbourhood pass.
            cap = min(max_block, NAME_BLOCK) if rule == "name_city" else max_block
            left, right, big = _pairs_in_blocks(rows, keys, rank, focus, cap, window)
            oversized[rule] += big
        if focus is not None:
            keep = focus[left] | focus[right]
            left, right = left[keep], right[keep]
        found[rule] = len(left)
        lefts.append(left)
        rights.append(right)
        rules.append(np.full(len(left), number, dtype=np.int8))
    return _unique(
        np.concatenate(lefts),
        np.concatenate(rights),
        np.concatenate(rules),
        len(frame),
        oversized,
        found,
    )


def name_rank(frame: RecordFrame) -> IntArray:
    """Each row's position in name-key order (records without a name sort last)."""
    keys = [k if k is not None else "\uffff" for k in frame.name_key]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    rank = np.empty(len(keys), dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(len(keys), dtype=np.int64)
    return rank


def _keys(frame: RecordFrame, rule: str) -> tuple[IntArray, IntArray]:
    """(row, key code) for every key of one kind."""
    if rule in ("inn", "ogrn", "domain"):
        codes = frame.codes[rule]
        rows = np.flatnonzero(codes >= 0)
        return rows, codes[rows]
    if rule in ("phone", "email"):
        matrix = frame.multi["phone_lines" if rule == "phone" else "emails"]
        rows, slots = np.nonzero(matrix >= 0)
        return rows.astype(np.int64), matrix[rows, slots]
    return _name_city_keys(frame)


def _name_city_keys(frame: RecordFrame) -> tuple[IntArray, IntArray]:
    """(row, key) for each record's rarest name word with its city (or region).

    A name word on its own is too common ("строй"); with the place it is a block.
    Only the rarest word of a name is used: two records of one firm share it, while
    the common words ("торговый", "дом", "group") only make large blocks of strangers
    (on a million records, all words gave 7 million pairs for 2 % of the matches).
    """
    place = place_codes(frame)
    tokens = name_words(frame)
    if tokens.empty:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    # Codes in word order, so ties between equally rare words break the same way
    # whichever records a frame holds (an incremental run's frame holds a part).
    codes, words = pd.factorize(tokens, sort=True)
    row = tokens.index.to_numpy(np.int64)
    token = codes.astype(np.int64)
    if frame.word_counts is None:
        frequency = np.bincount(token)[token]
    else:
        counts = frame.word_counts
        frequency = np.array([counts.get(w, 0) for w in words], dtype=np.int64)[token]
    order = np.lexsort((token, frequency, row))  # per row: rarest word first
    row, token = row[order], token[order]
    first = np.r_[True, row[1:] != row[:-1]]
    row, token = row[first], token[first]
    span = int(place.max() - place.min()) + 1 if len(place) else 1
    return row, token * span + (place[row] - place.min())


def name_words(frame: RecordFrame) -> pd.Series:
    """Each record's distinct name-key words of three letters or more, indexed by
    row: the words name-and-place blocks are made of."""
    names = pd.Series(frame.name_key, dtype=object).dropna()
    tokens = names.str.split().explode().dropna()
    tokens = tokens[tokens.str.len() >= 3]
    pairs = pd.DataFrame(
        {"row": tokens.index.to_numpy(np.int64), "word": tokens.to_numpy()}
    ).drop_duplicates()
    return pd.Series(pairs["word"].to_numpy(), index=pairs["row"].to_numpy())


def place_codes(frame: RecordFrame) -> IntArray:
    """Each row's place for name blocks: its city, else its region (negative)."""
    return np.where(
        frame.codes["city"] >= 0, frame.codes["city"], -2 - frame.codes["region"]
    )


def _pairs_in_blocks(
    rows: IntArray,
    keys: IntArray,
    rank: IntArray,
    focus: BoolArray | None,
    max_block: int,
    window: int,
) -> tuple[IntArray, IntArray, int]:
    if len(rows) == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, 0
    order = np.lexsort((rank[rows], keys))
    rows, keys = rows[order], keys[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    if focus is not None:  # skip blocks with nothing new in them
        touched = np.add.reduceat(focus[rows].astype(np.int64), starts) > 0
        starts, sizes = starts[touched], sizes[touched]
    lefts: list[IntArray] = []
    rights: list[IntArray] = []
    two = starts[sizes == 2]
    lefts.append(rows[two])
    rights.append(rows[two + 1])
    big = 0
    for start, size in zip(
        starts[sizes > 2].tolist(), sizes[sizes > 2].tolist(), strict=True
    ):
        members = rows[start : start + size]  # already in name order
        if size > max_block:
            big += 1
            left, right = _neighbours(members, window)
        else:
            i, j = _triangle(size)
            left, right = members[i], members[j]
        lefts.append(left)
        rights.append(right)
    return np.concatenate(lefts), np.concatenate(rights), big


@cache
def _triangle(size: int) -> tuple[IntArray, IntArray]:
    i, j = np.triu_indices(size, 1)
    return i.astype(np.int64), j.astype(np.int64)


def _neighbours(ordered: IntArray, window: int) -> tuple[IntArray, IntArray]:
    """Pairs of each member with the next `window` members in the given order."""
    lefts = [ordered[:-step] for step in range(1, window + 1) if step < len(ordered)]
    rights = [ordered[step:] for step in range(1, window + 1) if step < len(ordered)]
    if not lefts:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(lefts), np.concatenate(rights)


def _unique(
    left: IntArray,
    right: IntArray,
    rule: npt.NDArray[np.int8],
    rows: int,
    oversized: Counter[str],
    found: Counter[str],
) -> Candidates:
    low, high = np.minimum(left, right), np.maximum(left, right)
    distinct = low != high
    low, high, rule = low[distinct], high[distinct], rule[distinct]
    code = low * rows + high
    # First occurrence = earliest rule; hashing, where np.unique would sort them all.
    first = ~pd.Series(code).duplicated(keep="first").to_numpy()
    return Candidates(low[first], high[first], rule[first], oversized, found)
