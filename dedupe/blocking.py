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
from itertools import chain

import numpy as np
import numpy.typing as npt
import pandas as pd

from dedupe.frame import IntArray, ObjArray, RecordFrame

BoolArray = npt.NDArray[np.bool_]

# Order matters: a pair found by several keys is credited to the first.
RULES = ("inn", "ogrn", "phone", "email", "domain", "name_city", "name_sorted")
NAME_BLOCK = 12  # name-word blocks larger than this are paired by neighbourhood
RULE_SPAN = 8  # rule numbers packed under a pair's code; > len(RULES)


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
    block_window: int | None = None,
) -> Candidates:
    """Every pair sharing a key, restricted to pairs touching `focus` when given.

    Args:
        frame: the records (ordered by id).
        focus: rows whose pairs are wanted (an incremental batch); all when None.
        max_block: blocks above this size are paired by neighbourhood only.
        window: how many name-order neighbours each record is paired with in the
            sorted-neighbourhood pass over all records.
        block_window: the same within an oversized block; None: `window`.

    Returns:
        The pairs ordered by (left, right), each credited to the first rule that
        found it.
    """
    if block_window is None:
        block_window = window
    rank = name_rank(frame)
    packed: list[IntArray] = []  # per rule: its pairs packed with the rule, see _pack
    oversized: Counter[str] = Counter()
    found: Counter[str] = Counter()
    for number, rule in enumerate(RULES):
        if rule == "name_sorted":
            order = np.empty_like(rank)
            order[rank] = np.arange(len(rank), dtype=np.int64)
            left, right = _neighbours(order, window)
        else:
            rows, keys = _keys(frame, rule)
            # A name word in a city is weak evidence: beyond a few records, such a
            # block is paired by name order only, like the sorted-neighbourhood pass.
            cap = min(max_block, NAME_BLOCK) if rule == "name_city" else max_block
            left, right, big = _pairs_in_blocks(
                rows, keys, rank, focus, cap, block_window
            )
            oversized[rule] += big
        if focus is not None:
            keep = focus[left] | focus[right]
            left, right = left[keep], right[keep]
        found[rule] = len(left)
        packed.append(_pack(left, right, number, len(frame)))
    return _unique(np.concatenate(packed), len(frame), oversized, found)


def name_rank(frame: RecordFrame) -> IntArray:
    """Each row's position in name-key order (records without a name sort last).

    Only the distinct names are sorted; rows with the same name keep their row order.
    """
    values = frame.vocab["name_key"].values
    by_name = sorted(range(len(values)), key=values.__getitem__)
    value_rank = np.empty(len(values) + 1, dtype=np.int64)
    value_rank[np.asarray(by_name, dtype=np.int64)] = np.arange(len(values))
    value_rank[-1] = len(values)  # code -1: no name
    order = np.argsort(value_rank[frame.codes["name_key"]], kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
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
    codes = frame.codes["name_key"]
    word_of_name = _rarest_words(frame)
    word = np.where(codes >= 0, word_of_name[np.maximum(codes, 0)], -1)
    row = np.flatnonzero(word >= 0)
    if not len(row):
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    place = place_codes(frame)
    span = int(place.max() - place.min()) + 1
    return row, word[row] * span + (place[row] - place.min())


def _rarest_words(frame: RecordFrame) -> IntArray:
    """Per distinct name key, the code of its rarest word (-1 if it has none).

    A word's frequency is the number of records whose name holds it: this frame's
    records, or the whole base's (`frame.word_counts`) for a frame holding a part.
    Words are split once per distinct name, not once per record.
    """
    names = frame.vocab["name_key"]
    words, sizes = _words_of(names.values)
    rarest = np.full(len(names.values), -1, dtype=np.int64)
    if not len(words):
        return rarest
    # Codes in word order, so ties between equally rare words break the same way
    # whichever records a frame holds (an incremental run's frame holds a part).
    codes, uniques = pd.factorize(words, sort=True)
    word = codes.astype(np.int64)
    name = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    if frame.word_counts is None:
        counts = np.bincount(word, weights=names.counts[name])
    else:
        found = frame.word_counts
        counts = np.array([found.get(w, 0) for w in uniques], dtype=np.float64)
    order = np.lexsort((word, counts[word], name))  # per name: rarest word first
    name, word = name[order], word[order]
    first = np.r_[True, name[1:] != name[:-1]]
    rarest[name[first]] = word[first]
    return rarest


def _words_of(names: ObjArray) -> tuple[ObjArray, IntArray]:
    """The distinct words of three letters or more of each name, flattened, and how
    many each name has."""
    per_name = [dict.fromkeys(w for w in str(n).split() if len(w) >= 3) for n in names]
    sizes = np.fromiter(map(len, per_name), dtype=np.int64, count=len(per_name))
    flat = np.fromiter(
        chain.from_iterable(per_name), dtype=object, count=int(sizes.sum())
    )
    return flat, sizes


def name_words(frame: RecordFrame) -> pd.Series:
    """Each record's distinct name-key words of three letters or more, indexed by
    row: the words name-and-place blocks are made of."""
    words, sizes = _words_of(frame.vocab["name_key"].values)
    codes = frame.codes["name_key"]
    rows = np.flatnonzero(codes >= 0)
    holding = sizes[codes[rows]] if len(sizes) else np.zeros(len(rows), np.int64)
    first = (np.cumsum(sizes) - sizes)[codes[rows]] if len(sizes) else holding
    at = _ranges(first, holding)
    return pd.Series(words[at], index=np.repeat(rows, holding), dtype=object)


def place_codes(frame: RecordFrame) -> IntArray:
    """Each row's place for name blocks: its city, else its region (negative)."""
    place: IntArray = np.where(
        frame.codes["city"] >= 0, frame.codes["city"], -2 - frame.codes["region"]
    )
    return place


def _pairs_in_blocks(
    rows: IntArray,
    keys: IntArray,
    rank: IntArray,
    focus: BoolArray | None,
    max_block: int,
    window: int,
) -> tuple[IntArray, IntArray, int]:
    """All pairs within each block up to `max_block` records, neighbours beyond."""
    empty = np.empty(0, dtype=np.int64)
    if len(rows) == 0:
        return empty, empty, 0
    order = np.lexsort((rank[rows], keys))  # by key, then name order
    rows, keys = rows[order], keys[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    if focus is not None:  # skip blocks with nothing new in them
        touched = np.add.reduceat(focus[rows].astype(np.int64), starts) > 0
        starts, sizes = starts[touched], sizes[touched]
    lefts: list[IntArray] = [empty]
    rights: list[IntArray] = [empty]
    # Blocks of one size at once: each block start plus the triangle's offsets.
    small = (sizes >= 2) & (sizes <= max_block)
    for size in np.unique(sizes[small]).tolist():
        i, j = _triangle(size)
        first = starts[sizes == size][:, None]
        lefts.append(rows[first + i].ravel())
        rights.append(rows[first + j].ravel())
    big = sizes > max_block
    if big.any():
        # Oversized blocks: each member with the next `window` members (name order).
        position = _ranges(starts[big], sizes[big])
        end = np.repeat(starts[big] + sizes[big], sizes[big])
        for step in range(1, window + 1):
            paired = position + step < end
            lefts.append(rows[position[paired]])
            rights.append(rows[position[paired] + step])
    return np.concatenate(lefts), np.concatenate(rights), int(big.sum())


def _ranges(starts: IntArray, sizes: IntArray) -> IntArray:
    """Concatenated start..start+size ranges."""
    offsets = np.arange(int(sizes.sum()), dtype=np.int64)
    shifted: IntArray = offsets + np.repeat(starts - (np.cumsum(sizes) - sizes), sizes)
    return shifted


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


def _pack(left: IntArray, right: IntArray, rule: int, rows: int) -> IntArray:
    """One integer per pair of distinct rows: (low row, high row, rule), in that
    order of significance, so sorting orders pairs and puts a pair's earliest rule
    first. Packed as soon as a rule is done: a third of the memory of three arrays."""
    low, high = np.minimum(left, right), np.maximum(left, right)
    distinct = low != high
    code: IntArray = (low[distinct] * rows + high[distinct]) * RULE_SPAN + rule
    return code


def _unique(
    packed: IntArray, rows: int, oversized: Counter[str], found: Counter[str]
) -> Candidates:
    """Each pair once, lower row first, credited to its earliest rule; sorted."""
    packed.sort()
    code = packed // RULE_SPAN
    first = np.r_[True, code[1:] != code[:-1]] if len(code) else np.zeros(0, bool)
    code = code[first]
    rule = (packed[first] % RULE_SPAN).astype(np.int8)
    return Candidates(code // rows, code % rows, rule, oversized, found)
